/**
 * The `scale` subresource (kube-api.md §10.2): an `autoscaling/v1 Scale` view of a resource's
 * replica count, read from and written back to the parent through its scale paths.
 */
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo, ScaleInfo } from '../../api/resource-info.js';
import { invalid, notFound } from '../../api/status.js';
import { formatLabelSelector } from '../../api/labels/selector.js';
import { labelSelectorFromObject } from '../../api/labels/selector-object.js';
import type { ServerContext, WriteOptions } from '../context.js';
import type { WriteResult } from './write.js';
import { guaranteedUpdate } from './write.js';
import { cloneJson } from '../../base/json-clone.js';

export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: KubeObject['metadata'];
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (typeof next !== 'object' || next === null) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] ?? ''] = value;
}

function scaleInfo(info: ResourceInfo): ScaleInfo {
  const s = info.subresources.scale;
  if (!s) throw notFound(info.group, `${info.plural}/scale`, '');
  return s;
}

/** The Scale view of `parent`. */
export function scaleOf(info: ResourceInfo, parent: KubeObject): Scale {
  const s = scaleInfo(info);
  const meta = parent.metadata;
  const replicas = readPath(parent, s.specReplicasPath);
  const statusReplicas = readPath(parent, s.statusReplicasPath);
  let selector: string | undefined;
  if (info.builtin) {
    const sel = readPath(parent, '.spec.selector');
    if (sel !== undefined && sel !== null) selector = formatLabelSelector(labelSelectorFromObject(sel));
  } else if (s.labelSelectorPath) {
    const sel = readPath(parent, s.labelSelectorPath);
    if (typeof sel === 'string') selector = sel;
  }
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: meta.name ?? '',
      ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}),
      uid: meta.uid ?? '',
      resourceVersion: meta.resourceVersion ?? '',
      creationTimestamp: meta.creationTimestamp ?? '',
    },
    spec: typeof replicas === 'number' ? { replicas } : {},
    status: {
      replicas: typeof statusReplicas === 'number' ? statusReplicas : 0,
      ...(selector !== undefined ? { selector } : {}),
    },
  };
}

/**
 * Writes a Scale back to its parent. `computeScale` receives the current Scale and returns the
 * desired one (PUT returns the body; PATCH applies the patch). A Scale resourceVersion is a
 * precondition on the parent.
 */
export async function updateScale(
  ctx: ServerContext,
  info: ResourceInfo,
  target: { namespace: string | undefined; name: string; computeScale: (current: Scale) => Scale },
  opts: WriteOptions,
): Promise<{ result: WriteResult; scale: Scale }> {
  const s = scaleInfo(info);
  const result = await guaranteedUpdate(
    ctx,
    info,
    {
      namespace: target.namespace,
      name: target.name,
      scope: 'main',
      compute: (current) => {
        if (!current) throw notFound(info.group, info.plural, target.name);
        const desired = target.computeScale(scaleOf(info, current));
        const replicas = desired.spec.replicas;
        if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
          throw invalid('autoscaling', 'Scale', target.name, [
            {
              field: 'spec.replicas',
              type: 'FieldValueInvalid',
              value: replicas ?? null,
              detail: 'must be greater than or equal to 0',
            },
          ]);
        }
        const next = cloneJson(current);
        writePath(next, s.specReplicasPath, replicas);
        const rv = desired.metadata.resourceVersion;
        next.metadata.resourceVersion =
          rv !== undefined && rv !== '' ? rv : (current.metadata.resourceVersion ?? '');
        return { object: next };
      },
    },
    opts,
  );
  return { result, scale: scaleOf(info, result.object) };
}
