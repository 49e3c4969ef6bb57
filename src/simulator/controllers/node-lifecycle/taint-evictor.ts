/**
 * The NoExecute taint manager (pkg/controller/tainteviction): a pod on a node with a NoExecute
 * taint it does not tolerate is deleted at once; one that tolerates every such taint, some for
 * `tolerationSeconds` only, is deleted when the shortest of those runs out, counted from the
 * taint's `timeAdded`. Before deleting it marks the pod with a `DisruptionTarget` condition and
 * records `TaintManagerEviction`; a scheduled eviction whose taint went away is cancelled with an
 * event. Deletion uses the pod's own grace period, so a pod on a dead node stays Terminating.
 */
import { rfc3339Seconds } from '../../../base/clock.js';
import type { KubeObject } from '../../../api/meta.js';
import { isConflict, isNotFound } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder } from '../../../client/event-recorder.js';
import { objectKey } from '../../../client/informer.js';
import { matchingTolerations } from './taints.js';
import type { Taint, Toleration } from './taints.js';
import { cloneJson } from '../../../base/json-clone.js';

/** Options of `TaintEvictor`. */
export interface TaintEvictorOptions {
  client: ApiClient;
  /** Component `taint-eviction-controller`. */
  recorder?: EventRecorder | undefined;
  fieldManager: string;
}

interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Evicts pods from nodes with NoExecute taints. */
export class TaintEvictor {
  readonly #o: TaintEvictorOptions;
  /** Pod key → when its eviction is due. */
  readonly #scheduled = new Map<string, number>();
  /** UIDs of pods this evictor deleted (until their deletionTimestamp reaches the cache). */
  readonly #evicted = new Set<string>();
  /** `node|key|effect` → first time a taint without timeAdded was seen. */
  readonly #firstSeen = new Map<string, number>();

  constructor(options: TaintEvictorOptions) {
    this.#o = options;
  }

  /**
   * Evicts what is due among `pods` of `node` at `now`; answers the next time an eviction falls
   * due (undefined when none is pending). Throws on API failures (the node is retried).
   */
  async sync(
    node: KubeObject,
    pods: readonly KubeObject[],
    at: { now: number; signal: AbortSignal },
  ): Promise<number | undefined> {
    const taints = this.#noExecuteTaints(node, at.now);
    let next: number | undefined;
    for (const pod of pods) {
      const key = objectKey(pod);
      if (pod.metadata.deletionTimestamp !== undefined || this.#evicted.has(pod.metadata.uid ?? '')) continue;
      const due = taints.length === 0 ? undefined : dueAt(pod, taints, at.now);
      if (due === undefined) {
        if (this.#scheduled.delete(key)) this.#event(pod, 'Cancelling deletion of Pod');
        continue;
      }
      if (due > at.now) {
        this.#scheduled.set(key, due);
        next = next === undefined ? due : Math.min(next, due);
        continue;
      }
      this.#scheduled.delete(key);
      await this.#evict(pod, at);
    }
    return next;
  }

  /** Forgets a pod that left the cache. */
  podGone(pod: KubeObject): void {
    this.#scheduled.delete(objectKey(pod));
    this.#evicted.delete(pod.metadata.uid ?? '');
  }

  #noExecuteTaints(node: KubeObject, now: number): (Taint & { since: number })[] {
    const name = node.metadata.name ?? '';
    const taints = ((node['spec'] as { taints?: Taint[] } | undefined)?.taints ?? []).filter(
      (t) => t.effect === 'NoExecute',
    );
    const live = new Set<string>();
    const out = taints.map((t) => {
      const id = `${name}|${t.key}|${t.effect}`;
      live.add(id);
      let since = t.timeAdded !== undefined ? Date.parse(t.timeAdded) : NaN;
      if (!Number.isFinite(since)) {
        since = this.#firstSeen.get(id) ?? now;
        this.#firstSeen.set(id, since);
      }
      return { ...t, since };
    });
    for (const id of this.#firstSeen.keys())
      if (id.startsWith(`${name}|`) && !live.has(id)) this.#firstSeen.delete(id);
    return out;
  }

  async #evict(pod: KubeObject, at: { now: number; signal: AbortSignal }): Promise<void> {
    const ref = { apiVersion: 'v1', plural: 'pods', namespace: pod.metadata.namespace ?? 'default' };
    const name = pod.metadata.name ?? '';
    this.#event(pod, 'Marking for deletion Pod');
    try {
      const conditions = cloneJson(
        (pod['status'] as { conditions?: PodCondition[] } | undefined)?.conditions ?? [],
      );
      if (!conditions.some((c) => c.type === 'DisruptionTarget' && c.status === 'True')) {
        const others = conditions.filter((c) => c.type !== 'DisruptionTarget');
        others.push({
          type: 'DisruptionTarget',
          status: 'True',
          lastTransitionTime: rfc3339Seconds(at.now),
          reason: 'DeletionByTaintManager',
          message: 'Taint manager: deleting due to NoExecute taint',
        });
        await this.#o.client.patch(ref, name, {
          body: { status: { conditions: others } },
          options: {
            type: 'merge',
            subresource: 'status',
            fieldManager: this.#o.fieldManager,
            signal: at.signal,
          },
        });
      }
      await this.#o.client.delete(ref, name, {
        preconditions: { uid: pod.metadata.uid ?? '' },
        signal: at.signal,
      });
      this.#evicted.add(pod.metadata.uid ?? '');
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return; // gone, or replaced by a new pod of that name
      throw err;
    }
  }

  #event(pod: KubeObject, what: string): void {
    const { name, namespace } = pod.metadata;
    // Like kube, the event names the pod by reference only (no uid).
    const ref = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: name ?? '', namespace: namespace ?? 'default' },
    };
    this.#o.recorder?.record(ref, {
      type: 'Normal',
      reason: 'TaintManagerEviction',
      message: `${what} ${namespace ?? 'default'}/${name ?? ''}`,
    });
  }
}

/** When `pod` must go: now when a taint is not tolerated, never (undefined) when all are tolerated forever. */
function dueAt(
  pod: KubeObject,
  taints: readonly (Taint & { since: number })[],
  now: number,
): number | undefined {
  const tolerations = (pod['spec'] as { tolerations?: Toleration[] } | undefined)?.tolerations ?? [];
  const used = matchingTolerations(taints, tolerations);
  if (!used) return now;
  let due: number | undefined;
  for (const [i, { toleration }] of used.entries()) {
    const seconds = toleration.tolerationSeconds;
    if (seconds === undefined || seconds === null) continue;
    const at = seconds <= 0 ? now : (taints[i]?.since ?? now) + seconds * 1000;
    due = due === undefined ? at : Math.min(due, at);
  }
  return due;
}
