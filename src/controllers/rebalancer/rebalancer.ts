/**
 * The rebalancer: starts rebalances a policy asks for and sees each rebalance through.
 *
 * Starting (`failover.rebalanceOnRecovery`): a workload moved off failed clusters remembers them
 * (`awaitingRecovery` in its scheduling history). Once one of them has been Ready, without the
 * hub's health taints, for `recoveryDelayMs` (so a flapping cluster does not pull workloads
 * back and forth), and no eviction of the workload is still in progress, the rebalancer requests
 * a fresh decision (`spec.rescheduleTriggeredAt`); the scheduler records it as `Rebalance`. At
 * most `maxInFlight` rebalances run at once, so a recovered cluster fills gradually.
 * `flotilla rebalance` requests the same by hand.
 *
 * Seeing it through (`spec.rebalance`, written by the scheduler with the new decision): the old
 * copies stay (the binding controller keeps every cluster's larger share) until every cluster of
 * the new decision reports its share Healthy and ready; then the rebalance ends and the surplus
 * goes, so the workload never has fewer ready replicas than it wants. A rebalance whose new
 * placement is not ready within `timeoutMs` is rolled back to the decision before it.
 */
import type { ResourceBinding, TargetCluster } from '../../api/flotilla/binding.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import { clusterDefinitionOrReadinessChanged } from '../../api/flotilla/cluster.js';
import { decisionReady, fullyPlaced } from '../../api/flotilla/placement-ready.js';
import { awaitingRecovery, rebalanceRequested, recoveredSince } from '../../api/flotilla/rebalance.js';
import { isConflict } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import { patchBindingSpec } from '../../client/binding-writes.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import {
  CLUSTERS,
  CLUSTER_RESOURCE_BINDINGS,
  RESOURCE_BINDINGS,
  bindingOfKey,
  keyOf,
} from '../../client/flotilla-resources.js';
import type { Informer } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';

export interface RebalancerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
  /** How long a recovered cluster must stay healthy before workloads move back (default 30 s). */
  recoveryDelayMs?: number;
  /** How long a new placement may take to become ready before the rebalance is undone (default 10 min). */
  timeoutMs?: number;
  /** Rebalances requested or in progress at once (default 20). */
  maxInFlight?: number;
}

const DEFAULTS = { recoveryDelayMs: 30_000, timeoutMs: 600_000, maxInFlight: 20 };
/** How soon a rebalance held back by `maxInFlight` is tried again. */
const IN_FLIGHT_RETRY_MS = 2_000;

/** Starts rebalances on recovery and ends each one once its new placement is ready. */
export class Rebalancer implements Runnable, Reconciler {
  readonly #o: RebalancerOptions & typeof DEFAULTS;
  readonly #rb: Informer<ResourceBinding>;
  readonly #crb: Informer<ResourceBinding>;
  readonly #clusters: Informer<Cluster>;
  readonly #controller: Controller;

  constructor(options: RebalancerOptions) {
    this.#o = { ...DEFAULTS, ...options };
    this.#rb = options.informers.informer<ResourceBinding>(RESOURCE_BINDINGS);
    this.#crb = options.informers.informer<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS);
    this.#clusters = options.informers.informer<Cluster>(CLUSTERS);
    this.#controller = new Controller({
      name: 'rebalancer',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [
        { informer: this.#rb as unknown as Informer, keys: (b) => [keyOf('rb', b)] },
        { informer: this.#crb as unknown as Informer, keys: (b) => [keyOf('crb', b)] },
        {
          informer: this.#clusters,
          keys: (c) => this.#awaiting(c.metadata.name ?? ''),
          relevant: clusterDefinitionOrReadinessChanged,
        },
      ],
      workers: 2,
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const binding = bindingOfKey(key, this.#rb, this.#crb);
    if (!binding || binding.metadata.deletionTimestamp) return done;
    try {
      return binding.spec.rebalance
        ? await this.#follow(binding, signal)
        : await this.#begin(binding, signal);
    } catch (err) {
      if (isConflict(err)) return done; // the binding's update event brings it back
      throw err;
    }
  }

  /** Requests a rebalance of `binding` once a failed cluster it awaits has recovered for long enough. */
  async #begin(binding: ResourceBinding, signal: AbortSignal): Promise<Result> {
    if (!binding.spec.failover?.rebalanceOnRecovery || rebalanceRequested(binding)) return done;
    if (binding.spec.gracefulEvictionTasks?.length) return done; // the move is still going on
    const nowMs = this.#o.clock.now();
    const recovered: string[] = [];
    let nextMs: number | undefined;
    for (const name of awaitingRecovery(binding)) {
      const cluster = this.#clusters.get(name);
      const since = cluster ? recoveredSince(cluster) : undefined;
      if (since === undefined) continue;
      const due = since + this.#o.recoveryDelayMs;
      if (due <= nowMs) recovered.push(name);
      else nextMs = Math.min(nextMs ?? due, due);
    }
    if (recovered.length === 0) return nextMs === undefined ? done : requeueAfter(nextMs - nowMs);
    if (this.#inFlight() >= this.#o.maxInFlight) return requeueAfter(IN_FLIGHT_RETRY_MS);
    const now = new Date(nowMs).toISOString();
    const written = await patchBindingSpec(this.#o.client, binding, {
      spec: { rescheduleTriggeredAt: now },
      signal,
    });
    if (written)
      this.#o.recorder?.record(written, {
        type: 'Normal',
        reason: 'Rebalancing',
        message: `${recovered.join(', ')} recovered: moving replicas back to the preferred distribution, new copies before old.`,
      });
    return done;
  }

  /** Ends `binding`'s rebalance once its new placement is ready, or undoes it when that takes too long. */
  async #follow(binding: ResourceBinding, signal: AbortSignal): Promise<Result> {
    const rebalance = binding.spec.rebalance;
    if (!rebalance) return done;
    const nowMs = this.#o.clock.now();
    if (fullyPlaced(binding) && decisionReady(binding)) {
      const written = await patchBindingSpec(this.#o.client, binding, { spec: { rebalance: null }, signal });
      if (written)
        this.#o.recorder?.record(written, {
          type: 'Normal',
          reason: 'RebalanceDone',
          message: `The new placement is ready (${targets(binding.spec.clusters ?? [])}); the surplus copies go.`,
        });
      return done;
    }
    const started = Date.parse(rebalance.startedAt);
    const deadline = (Number.isFinite(started) ? started : nowMs) + this.#o.timeoutMs;
    if (nowMs < deadline) return requeueAfter(deadline - nowMs);
    const written = await patchBindingSpec(this.#o.client, binding, {
      spec: { clusters: rebalance.previousClusters, rebalance: null },
      signal,
    });
    if (written)
      this.#o.recorder?.record(written, {
        type: 'Warning',
        reason: 'RebalanceAborted',
        message: `The new placement (${targets(binding.spec.clusters ?? [])}) was not ready within ${Math.round(this.#o.timeoutMs / 1000)} s: back to ${targets(rebalance.previousClusters)}.`,
      });
    return done;
  }

  /** Keys of the bindings that await `cluster`'s recovery. */
  #awaiting(cluster: string): string[] {
    const keys: string[] = [];
    for (const [prefix, informer] of [
      ['rb', this.#rb],
      ['crb', this.#crb],
    ] as const)
      for (const b of informer.list())
        if (b.spec.failover?.rebalanceOnRecovery && awaitingRecovery(b).includes(cluster))
          keys.push(keyOf(prefix, b));
    return keys;
  }

  /** Rebalances requested and not yet decided, or decided and not yet done. */
  #inFlight(): number {
    let n = 0;
    for (const informer of [this.#rb, this.#crb])
      for (const b of informer.list()) if (b.spec.rebalance || rebalanceRequested(b)) n++;
    return n;
  }
}

function targets(clusters: readonly TargetCluster[]): string {
  return clusters.map((t) => (t.replicas === undefined ? t.name : `${t.name}:${t.replicas}`)).join(', ');
}
