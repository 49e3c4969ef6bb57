/**
 * The PodScheduled=False condition kube-scheduler writes on a pod it cannot place:
 * `{type: PodScheduled, status: "False", lastProbeTime: null, lastTransitionTime, reason:
 * Unschedulable, message}`, through the status subresource.
 *
 * Writes are skipped when the pod already shows the same condition, or when the same message was
 * just written on top of the version the informer still shows (its echo has not arrived yet).
 * `lastTransitionTime` moves only when the status changes, as kube's UpdatePodCondition does.
 */
import type { Clock } from '../../base/clock.js';
import { rfc3339Seconds } from '../../base/clock.js';
import { errorMessage } from '../../base/errors.js';
import type { Logger } from '../../base/logger.js';
import type { KubeObject } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../api/status.js';
import type { ApiClient } from '../../client/api-client.js';
import { objectKey } from '../../client/informer.js';

const MAX_ATTEMPTS = 5;

/** A pod condition on the wire. */
export interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

function isUnassigned(pod: KubeObject): boolean {
  const node = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
  return (node === undefined || node === '') && pod.metadata.deletionTimestamp === undefined;
}

/** Options of `UnschedulableConditions`. */
export interface UnschedulableConditionsOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
}

/** Writes PodScheduled=False/Unschedulable conditions. */
export class UnschedulableConditions {
  readonly #o: UnschedulableConditionsOptions;
  /** key → the pod version the last write was based on, and its message. */
  readonly #written = new Map<string, { resourceVersion: string | undefined; message: string }>();

  constructor(options: UnschedulableConditionsOptions) {
    this.#o = options;
  }

  /**
   * Sets the condition on `pod` (the latest cached version) unless it already says `message`.
   * A lost race (409) re-reads the pod and tries again, a few times. Never throws: a failed
   * write is logged, and the next attempt of the pod writes again.
   */
  async write(pod: KubeObject, message: string): Promise<void> {
    const key = objectKey(pod);
    const last = this.#written.get(key);
    if (last?.resourceVersion === pod.metadata.resourceVersion && last?.message === message) return;
    const ref = { apiVersion: 'v1', plural: 'pods', namespace: pod.metadata.namespace ?? 'default' };
    let current = pod;
    for (let attempt = 1; ; attempt++) {
      const next = this.#withCondition(current, message);
      if (!next) {
        this.#written.delete(key);
        return;
      }
      this.#written.set(key, { resourceVersion: current.metadata.resourceVersion, message });
      try {
        // PUT rather than a patch: a patch cannot keep `lastProbeTime: null`, which kube shows.
        await this.#o.client.updateStatus(ref, next);
        return;
      } catch (err) {
        this.#written.delete(key);
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= MAX_ATTEMPTS) {
          this.#o.log.warn({ pod: key, err: errorMessage(err) }, 'pod condition not written');
          return;
        }
      }
      try {
        current = await this.#o.client.get(ref, pod.metadata.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) this.#o.log.warn({ pod: key, err: errorMessage(err) }, 'pod not re-read');
        return;
      }
      if (!isUnassigned(current)) return;
    }
  }

  /** `pod` with the condition set, or undefined when it already shows it. */
  #withCondition(pod: KubeObject, message: string): KubeObject | undefined {
    const status = (pod['status'] ?? {}) as { conditions?: PodCondition[] };
    const conditions = status.conditions ?? [];
    const existing = conditions.find((c) => c.type === 'PodScheduled');
    if (existing?.status === 'False' && existing.reason === 'Unschedulable' && existing.message === message)
      return undefined;
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime:
        existing?.status === 'False' && existing.lastTransitionTime !== undefined
          ? existing.lastTransitionTime
          : rfc3339Seconds(this.#o.clock.now()),
      reason: 'Unschedulable',
      message,
    };
    const others = conditions.filter((c) => c.type !== 'PodScheduled');
    const next = existing
      ? conditions.map((c) => (c.type === 'PodScheduled' ? condition : c))
      : [...others, condition];
    return { ...pod, status: { ...status, conditions: next } };
  }

  /** Drops what is remembered about pod `key` (bound or deleted). */
  forget(key: string): void {
    this.#written.delete(key);
  }
}
