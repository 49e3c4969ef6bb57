/**
 * The ReplicaSet controller of a simulated member cluster (kube's pkg/controller/replicaset): keeps
 * `spec.replicas` active pods per ReplicaSet and reports them in `status`.
 *
 * Contract:
 * - Level-based: each sync re-reads the ReplicaSet and its pods from the shared informer caches,
 *   claims pods (adopts matching orphans, releases owned pods that stopped matching), creates or
 *   deletes pods toward `spec.replicas` (see manage-replicas.ts) and writes status through the
 *   status subresource only when it changed. Terminating and finished pods do not count, so a
 *   Terminating pod is replaced at once.
 * - Expectations (see expectations.ts) make creates and deletes happen once even when the pod
 *   cache lags behind this controller's own writes.
 * - Pod events update per-ReplicaSet counters (owned-pods.ts), and orphans and ReplicaSets are
 *   found through informer indexes: an event and a steady-state sync cost O(1); only a
 *   scale-down or a selector change looks at every pod of the ReplicaSet.
 * - Failures (409 Conflict included) are thrown, so the key is retried with backoff.
 */
import type { Clock } from '../../../base/clock.js';
import { rfc3339Seconds } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { ApiClient } from '../../../client/api-client.js';
import { EventRecorder } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done, requeueAfter } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';
import { claimChildren } from '../workload-common/claim.js';
import { ControllerExpectations } from '../workload-common/expectations.js';
import {
  CONTROLLER_UID_INDEX,
  ORPHAN_NAMESPACE_INDEX,
  controllerRefOf,
  indexChildren,
  indexOrphans,
  indexOwners,
  keyOf,
  selectorOf,
} from '../workload-common/ownership.js';
import { asError } from '../../../base/errors.js';
import { isPodActive } from '../workload-common/pod-state.js';
import type { Pod, ReplicaSet } from '../workload-common/types.js';
import { FIELD_MANAGER, PODS, REPLICASETS, specReplicas } from '../workload-common/types.js';
import { REPLICASET_KIND, manageReplicas } from './manage-replicas.js';
import type { ReplicaManager } from './manage-replicas.js';
import { OwnedPods } from './owned-pods.js';
import { routePodEvents } from './pod-events.js';
import {
  calculateReplicaSetStatus,
  countPods,
  replicaSetStatusCurrent,
  withObservedGeneration,
} from './replicaset-status.js';

/** Options of `ReplicaSetController`. */
export interface ReplicaSetControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Records events as `replicaset-controller` (one is made when absent). */
  recorder?: EventRecorder;
  /** Concurrent ReplicaSet syncs (default 5, as kube-controller-manager). */
  workers?: number;
  /** Most pods created or deleted per sync (default 500). */
  burstReplicas?: number;
}

/** Keeps ReplicaSets' pods at `spec.replicas`. */
export class ReplicaSetController implements Runnable, Reconciler {
  readonly #o: ReplicaSetControllerOptions;
  readonly #replicaSets: Informer<ReplicaSet>;
  readonly #pods: Informer<Pod>;
  readonly #expectations: ControllerExpectations;
  readonly #owned: OwnedPods;
  readonly #manager: ReplicaManager;
  readonly #controller: Controller;

  constructor(options: ReplicaSetControllerOptions) {
    this.#o = options;
    this.#replicaSets = options.informers.informer<ReplicaSet>(REPLICASETS);
    this.#pods = options.informers.informer<Pod>(PODS);
    indexOrphans(this.#pods);
    indexChildren(this.#replicaSets);
    indexOwners(this.#replicaSets);
    // Registered before the handlers below, so a sync always sees the bookkeeping current.
    this.#owned = new OwnedPods(this.#pods);
    this.#expectations = new ControllerExpectations({ clock: options.clock });
    const recorder =
      options.recorder ??
      new EventRecorder({
        client: options.client,
        clock: options.clock,
        log: options.log,
        component: 'replicaset-controller',
      });
    this.#manager = {
      client: options.client,
      recorder,
      expectations: this.#expectations,
      burstReplicas: options.burstReplicas ?? 500,
    };
    const ignore = (): string[] => [];
    this.#controller = new Controller({
      name: 'replicaset',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 5,
      sources: [
        // Handlers below map events to keys; the sources only start and sync the informers.
        { informer: this.#replicaSets as unknown as Informer, keys: ignore },
        { informer: this.#pods, keys: ignore },
      ],
    });
    this.#replicaSets.addHandlers({
      onAdd: (rs) => this.#controller.enqueue(keyOf(rs)),
      onUpdate: (old, cur) => {
        // Same name, new object: the old one's expectations must not hold the new one back.
        if (old.metadata.uid !== cur.metadata.uid) this.#expectations.delete(keyOf(old));
        this.#controller.enqueue(keyOf(cur));
      },
      onDelete: (rs) => {
        this.#expectations.delete(keyOf(rs));
        this.#owned.forget(rs.metadata.uid ?? '');
        this.#controller.enqueue(keyOf(rs));
      },
    });
    routePodEvents({
      pods: this.#pods,
      replicaSets: this.#replicaSets,
      expectations: this.#expectations,
      enqueue: (key, afterMs) =>
        afterMs === undefined ? this.#controller.enqueue(key) : this.#controller.enqueueAfter(key, afterMs),
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** One sync of the ReplicaSet `namespace/name`. */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const rs = this.#replicaSets.get(key);
    if (!rs) {
      this.#expectations.delete(key);
      return done;
    }
    const needsSync = this.#expectations.satisfied(key);
    const bucket = this.#owned.of(rs);
    const namespace = rs.metadata.namespace ?? '';
    // Claiming touches only pods that need it: owned ones that stopped matching, and orphans.
    const orphans = this.#pods.byIndex(ORPHAN_NAMESPACE_INDEX, namespace).filter(isPodActive);
    const adopted =
      orphans.length + bucket.mismatched.size === 0
        ? []
        : await claimChildren({
            client: this.#o.client,
            owner: rs,
            ownerKind: REPLICASET_KIND,
            ownerResource: { ...REPLICASETS, namespace },
            childResource: { ...PODS, namespace },
            selector: selectorOf(rs),
            candidates: [...bucket.mismatchedPods(), ...orphans],
            signal,
          });
    let manageError: unknown;
    if (needsSync && rs.metadata.deletionTimestamp === undefined) {
      try {
        await manageReplicas(this.#manager, rs, {
          key,
          active: bucket.active + adopted.length,
          pods: () => [...bucket.activePods(), ...adopted],
          related: () => this.#relatedPods(rs),
          now: this.#o.clock.now(),
          signal,
        });
      } catch (err) {
        if (signal.aborted) throw err;
        manageError = err;
      }
    }
    const now = this.#o.clock.now();
    const extra = countPods(rs, adopted, now);
    const counts = {
      replicas: bucket.active + extra.replicas,
      fullyLabeled: bucket.fullyLabeled + extra.fullyLabeled,
      ready: bucket.ready + extra.ready,
      available: bucket.available(now) + extra.available,
    };
    const status = calculateReplicaSetStatus(rs, counts, {
      ...(manageError !== undefined ? { manageError } : {}),
      nowText: rfc3339Seconds(now),
    });
    if (!replicaSetStatusCurrent(rs, status)) {
      const body = {
        ...rs,
        ...REPLICASET_KIND,
        status: withObservedGeneration(status, rs.metadata.generation ?? 0),
      };
      await this.#o.client.updateStatus<ReplicaSet>(
        { ...REPLICASETS, namespace: rs.metadata.namespace ?? '' },
        body,
        { fieldManager: FIELD_MANAGER, signal },
      );
    }
    if (manageError !== undefined) throw asError(manageError);
    const minReadySeconds = rs.spec.minReadySeconds ?? 0;
    const replicas = specReplicas(rs);
    // A last line of defence for availability: look again once minReadySeconds have passed.
    if (
      minReadySeconds > 0 &&
      (status.readyReplicas ?? 0) === replicas &&
      (status.availableReplicas ?? 0) !== replicas
    )
      return requeueAfter(minReadySeconds * 1000);
    return done;
  }

  /** Pods of every ReplicaSet sharing `rs`'s controller (kube's getIndirectlyRelatedPods). */
  #relatedPods(rs: ReplicaSet): Pod[] {
    const ref = controllerRefOf(rs);
    if (!ref) return [];
    const related: Pod[] = [];
    for (const sibling of this.#replicaSets.byIndex(CONTROLLER_UID_INDEX, ref.uid))
      related.push(...this.#owned.podsOf(sibling.metadata.uid ?? ''));
    return related;
  }
}
