/**
 * The StatefulSet controller of a simulated member cluster (kube `pkg/controller/statefulset`):
 * stable pod identities `<set>-<ordinal>` with their claims, OrderedReady or Parallel pod
 * management, RollingUpdate (partition, maxUnavailable) or OnDelete updates tracked through
 * ControllerRevisions, and the status `kubectl rollout status` reads.
 *
 * Level-based: every pass re-reads the set, its pods (an informer index by controller uid) and
 * its revisions, runs `syncStatefulPods`, writes the status through the status subresource only
 * when it changed, and trims history to `revisionHistoryLimit`. A 409 throws and retries.
 */
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { KubeObject } from '../../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import type { ResourceRef } from '../../../client/resource-path.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done, requeueAfter } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';
import { ControllerHistory } from '../revisions/controller-history.js';
import { OwnWrites } from '../revisions/own-writes.js';
import { PODS, controllerUidIndex, ownerKey } from '../revisions/workload-pods.js';
import type { Pod } from '../revisions/workload-pods.js';
import { CLAIMS, claimWithRetention, managesClaimOwners, newClaim } from './stateful-claims.js';
import {
  POD_INDEX_LABEL,
  POD_NAME_LABEL,
  STATEFULSET_KIND,
  identityMatches,
  podName,
} from './stateful-pods.js';
import type { StatefulSet, StatefulSetStatus } from './stateful-pods.js';
import { resolveRevisions, truncateHistory } from './stateful-revisions.js';
import { syncStatefulPods } from './stateful-sync.js';
import type { StatefulPodOps } from './stateful-sync.js';
import { cloneJson } from '../../../base/json-clone.js';

/** apps/v1 StatefulSets of every namespace. */
export const STATEFULSETS: ResourceRef = { apiVersion: 'apps/v1', plural: 'statefulsets' };

const POD_INDEX = 'statefulset-controller/controller-uid';

/** Options of `StatefulSetController`. */
export interface StatefulSetControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Events about StatefulSets (component `statefulset-controller`); none when absent. */
  recorder?: EventRecorder;
  /** Concurrent StatefulSets (default 5, as kube-controller-manager). */
  workers?: number;
}

/** Reconciles StatefulSets into pods, claims, revisions and status. */
export class StatefulSetController implements Runnable, Reconciler {
  readonly #o: StatefulSetControllerOptions;
  readonly #log: Logger;
  readonly #sets: Informer<StatefulSet>;
  readonly #pods: Informer<Pod>;
  readonly #claims: Informer;
  readonly #history: ControllerHistory;
  readonly #writes = new OwnWrites();
  readonly #controller: Controller;

  constructor(options: StatefulSetControllerOptions) {
    this.#o = options;
    this.#log = options.log.child({ controller: 'statefulset' });
    this.#sets = options.informers.informer<StatefulSet>(STATEFULSETS);
    this.#pods = options.informers.informer<Pod>(PODS);
    this.#pods.addIndex(POD_INDEX, controllerUidIndex(STATEFULSET_KIND.kind));
    this.#claims = options.informers.informer(CLAIMS);
    this.#history = new ControllerHistory({ client: options.client, informers: options.informers });
    const owner = (obj: KubeObject): string[] => {
      const key = ownerKey(obj, STATEFULSET_KIND.kind);
      return key === undefined ? [] : [key];
    };
    this.#controller = new Controller({
      name: 'statefulset',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 5,
      sources: [
        { informer: this.#sets as unknown as Informer },
        { informer: this.#pods, keys: owner },
        { informer: this.#history.informer as unknown as Informer, keys: owner },
        { informer: this.#claims, keys: () => [] },
      ],
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** One pass over the StatefulSet `namespace/name`. */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const cached = this.#sets.get(key);
    if (!cached) {
      this.#writes.forget(key);
      return done;
    }
    // Our last status write is on its way to the cache; its event brings the key back.
    if (this.#writes.stale(key, cached)) return done;
    const set: StatefulSet = { ...cached, ...STATEFULSET_KIND };
    const uid = set.metadata.uid ?? '';
    const pods = this.#pods.byIndex(POD_INDEX, uid);
    const revisions = this.#history.owned(uid);
    const resolved = await resolveRevisions(set, { history: this.#history, revisions, signal });
    const outcome = await syncStatefulPods(
      {
        set,
        pods,
        current: resolved.current,
        update: resolved.update,
        collisionCount: resolved.collisionCount,
        nowMs: this.#o.clock.now(),
      },
      this.#ops(set, signal),
    );
    await this.#writeStatus(set, { key, status: outcome.status }, signal);
    await truncateHistory(set, {
      history: this.#history,
      pods: this.#pods.byIndex(POD_INDEX, uid),
      live: [resolved.current.name, resolved.update.name],
      signal,
    });
    return outcome.requeueAfterMs === undefined ? done : requeueAfter(outcome.requeueAfterMs);
  }

  #ops(set: StatefulSet, signal: AbortSignal): StatefulPodOps {
    const ns = set.metadata.namespace ?? 'default';
    const name = set.metadata.name ?? '';
    const pods: ResourceRef = { ...PODS, namespace: ns };
    const event = (type: 'Normal' | 'Warning', reason: string, message: string): void =>
      this.#o.recorder?.record(set, { type, reason, message });
    return {
      event,
      create: async (pod, ordinal) => {
        await this.#createClaims(set, { pod, ordinal, signal });
        try {
          await this.#o.client.create(pods, pod, { signal });
        } catch (err) {
          // The cache has not seen a pod this set made a moment ago: the watch event brings it.
          if (isAlreadyExists(err)) return false;
          event(
            'Warning',
            'FailedCreate',
            `create Pod ${pod.metadata.name ?? ''} in StatefulSet ${name} failed error: ${String(err)}`,
          );
          throw err;
        }
        event(
          'Normal',
          'SuccessfulCreate',
          `create Pod ${pod.metadata.name ?? ''} in StatefulSet ${name} successful`,
        );
        return true;
      },
      delete: async (pod) => {
        try {
          await this.#o.client.delete(pods, pod.metadata.name ?? '', {
            signal,
            ...(pod.metadata.uid !== undefined ? { preconditions: { uid: pod.metadata.uid } } : {}),
          });
        } catch (err) {
          if (isNotFound(err)) return;
          event(
            'Warning',
            'FailedDelete',
            `delete Pod ${pod.metadata.name ?? ''} in StatefulSet ${name} failed error: ${String(err)}`,
          );
          throw err;
        }
        event(
          'Normal',
          'SuccessfulDelete',
          `delete Pod ${pod.metadata.name ?? ''} in StatefulSet ${name} successful`,
        );
      },
      maintain: async (pod, ordinal) => {
        if (!identityMatches(set, pod, ordinal)) {
          const labels = { [POD_NAME_LABEL]: podName(set, ordinal), [POD_INDEX_LABEL]: String(ordinal) };
          await this.#o.client.patch(pods, pod.metadata.name ?? '', {
            body: { metadata: { labels } },
            options: { type: 'merge', signal },
          });
        }
        if (managesClaimOwners(set)) await this.#retainClaims(set, { pod, ordinal, signal });
      },
    };
  }

  async #createClaims(
    set: StatefulSet,
    at: { pod: Pod; ordinal: number; signal: AbortSignal },
  ): Promise<void> {
    const ns = set.metadata.namespace ?? 'default';
    for (const template of set.spec.volumeClaimTemplates ?? []) {
      const claim = newClaim(set, template, at.ordinal);
      const cached = this.#claims.get(`${ns}/${claim.metadata.name ?? ''}`);
      if (cached?.metadata.deletionTimestamp !== undefined)
        throw new Error(`pvc ${claim.metadata.name ?? ''} is being deleted`);
      if (cached) continue;
      try {
        await this.#o.client.create({ ...CLAIMS, namespace: ns }, claim, { signal: at.signal });
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        throw err;
      }
      this.#o.recorder?.record(set, {
        type: 'Normal',
        reason: 'SuccessfulCreate',
        message: `create Claim ${claim.metadata.name ?? ''} Pod ${at.pod.metadata.name ?? ''} in StatefulSet ${set.metadata.name ?? ''} success`,
      });
    }
  }

  async #retainClaims(
    set: StatefulSet,
    at: { pod: Pod; ordinal: number; signal: AbortSignal },
  ): Promise<void> {
    const ns = set.metadata.namespace ?? 'default';
    for (const template of set.spec.volumeClaimTemplates ?? []) {
      const cached = this.#claims.get(`${ns}/${newClaim(set, template, at.ordinal).metadata.name ?? ''}`);
      if (!cached || cached.metadata.deletionTimestamp !== undefined) continue;
      const next = claimWithRetention(cached, set, { pod: at.pod, ordinal: at.ordinal });
      if (next) await this.#o.client.update({ ...CLAIMS, namespace: ns }, next, { signal: at.signal });
    }
  }

  async #writeStatus(
    set: StatefulSet,
    at: { key: string; status: StatefulSetStatus },
    signal: AbortSignal,
  ): Promise<void> {
    const { status } = at;
    const before = set.status;
    const same =
      before !== undefined &&
      (before.observedGeneration ?? 0) >= (status.observedGeneration ?? 0) &&
      before.replicas === status.replicas &&
      (before.readyReplicas ?? 0) === (status.readyReplicas ?? 0) &&
      (before.currentReplicas ?? 0) === (status.currentReplicas ?? 0) &&
      (before.updatedReplicas ?? 0) === (status.updatedReplicas ?? 0) &&
      (before.availableReplicas ?? 0) === status.availableReplicas &&
      before.currentRevision === status.currentRevision &&
      before.updateRevision === status.updateRevision &&
      before.collisionCount === status.collisionCount;
    if (same) return;
    const next = cloneJson(set);
    const kept: Partial<StatefulSetStatus> = { ...(before ?? {}) };
    for (const k of MANAGED_STATUS) delete kept[k];
    next.status = { ...kept, ...wireStatus(status) };
    this.#writes.record(at.key, await this.#o.client.updateStatus(STATEFULSETS, next, { signal }));
    this.#log.debug(
      { set: `${set.metadata.namespace ?? ''}/${set.metadata.name ?? ''}`, ...status },
      'status updated',
    );
  }
}

const MANAGED_STATUS = [
  'observedGeneration',
  'readyReplicas',
  'currentReplicas',
  'updatedReplicas',
] as const satisfies readonly (keyof StatefulSetStatus)[];

/** The status as kube serializes it: omitempty counters left out when zero. */
function wireStatus(status: StatefulSetStatus): StatefulSetStatus {
  const out: StatefulSetStatus = { ...status };
  if (!out.readyReplicas) delete out.readyReplicas;
  if (!out.currentReplicas) delete out.currentReplicas;
  if (!out.updatedReplicas) delete out.updatedReplicas;
  if (!out.observedGeneration) delete out.observedGeneration;
  return out;
}
