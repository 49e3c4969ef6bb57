/**
 * MarkPodsNotReady (pkg/controller/util/node): the pods of a node that is not Ready get their
 * Ready condition set to False, with a `NodeNotReady` event, so Services stop sending them
 * traffic even though their kubelet cannot say so.
 */
import { rfc3339Seconds } from '../../../base/clock.js';
import type { KubeObject } from '../../../api/meta.js';
import { isNotFound } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder } from '../../../client/event-recorder.js';

/** Who writes, and when. */
export interface MarkContext {
  client: ApiClient;
  recorder?: EventRecorder | undefined;
  fieldManager: string;
  now: number;
  signal: AbortSignal;
}

/** Sets Ready=False on each of `pods` that is Ready; pods gone meanwhile are skipped. Throws on API failures. */
export async function markPodsNotReady(pods: readonly KubeObject[], ctx: MarkContext): Promise<void> {
  for (const pod of pods) {
    const conditions =
      (pod['status'] as { conditions?: Record<string, unknown>[] } | undefined)?.conditions ?? [];
    if (!conditions.some((c) => c['type'] === 'Ready' && c['status'] === 'True')) continue;
    const next = conditions.map((c) =>
      c['type'] === 'Ready' ? { ...c, status: 'False', lastTransitionTime: rfc3339Seconds(ctx.now) } : c,
    );
    const ref = { apiVersion: 'v1', plural: 'pods', namespace: pod.metadata.namespace ?? 'default' };
    try {
      await ctx.client.patch(ref, pod.metadata.name ?? '', {
        body: { status: { conditions: next } },
        options: { type: 'merge', subresource: 'status', fieldManager: ctx.fieldManager, signal: ctx.signal },
      });
    } catch (err) {
      if (isNotFound(err)) continue;
      throw err;
    }
    ctx.recorder?.record(pod, { type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready' });
  }
}
