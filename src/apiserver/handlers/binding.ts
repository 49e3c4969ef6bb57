/**
 * `POST pods/<name>/binding`: the scheduler's write. Sets `spec.nodeName` and the PodScheduled
 * condition in one update, as kube-apiserver's binding storage does; a pod that already has a node
 * or is being deleted is a 409. Answers a `Status` of Success (201).
 */
import type { KubeObject } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { badRequest, conflict, invalid } from '../../api/status.js';
import { rfc3339Seconds } from '../../base/clock.js';
import type { ServerContext, WriteOptions } from '../context.js';
import type { ApiResponse } from '../request.js';
import { jsonResponse } from '../request.js';
import { guaranteedUpdate } from './write.js';

interface Condition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Binds pod `name` in `namespace` to the node the body's `target` names. */
export async function bindPod(
  ctx: ServerContext,
  info: ResourceInfo,
  request: { namespace: string; name: string; binding: KubeObject },
  opts: WriteOptions,
): Promise<ApiResponse> {
  const { binding } = request;
  if (binding.kind !== undefined && binding.kind !== 'Binding')
    throw badRequest(`the kind in the data (${binding.kind}) does not match the expected kind (Binding)`);
  const bodyName = binding.metadata.name;
  if (bodyName !== undefined && bodyName !== '' && bodyName !== request.name)
    throw badRequest(
      `the name of the object (${bodyName}) does not match the name on the URL (${request.name})`,
    );
  const target = isJsonObject(binding['target']) ? binding['target'] : {};
  const node = typeof target['name'] === 'string' ? target['name'] : '';
  if (node === '')
    throw invalid('', 'Binding', request.name, [
      { field: 'target.name', type: 'FieldValueRequired', detail: '' },
    ]);
  const annotations = binding.metadata.annotations ?? {};
  await guaranteedUpdate(
    ctx,
    info,
    {
      namespace: request.namespace,
      name: request.name,
      scope: 'binding',
      compute: (current) => {
        const pod = current as KubeObject;
        const spec = (pod['spec'] ?? {}) as { nodeName?: string };
        if (pod.metadata.deletionTimestamp !== undefined)
          throw conflict(
            '',
            'pods/binding',
            request.name,
            `pod ${request.name} is being deleted, cannot be assigned to a host`,
          );
        if (spec.nodeName !== undefined && spec.nodeName !== '')
          throw conflict(
            '',
            'pods/binding',
            request.name,
            `pod ${request.name} is already assigned to node "${spec.nodeName}"`,
          );
        spec.nodeName = node;
        pod['spec'] = spec;
        if (Object.keys(annotations).length > 0)
          pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...annotations };
        pod['status'] = withScheduled(pod['status'] ?? {}, ctx.clock.now());
        return { object: pod, managed: true };
      },
    },
    opts,
  );
  return jsonResponse(201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

function withScheduled(status: { conditions?: Condition[] }, now: number): { conditions: Condition[] } {
  const others = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  const scheduled: Condition = {
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: rfc3339Seconds(now),
  };
  return { ...status, conditions: [scheduled, ...others] };
}
