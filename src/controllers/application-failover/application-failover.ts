/**
 * Application failover: a binding whose policy sets `failover.application` is evicted from a
 * cluster where its copy has stayed Unhealthy (interpreted health in `aggregatedStatus`, e.g. a
 * Deployment whose pods crash-loop) for longer than `decisionConditions.tolerationSeconds`
 * (default 300). The eviction is the same as cluster failover's (api/flotilla/eviction.ts):
 * the scheduler re-places the replicas elsewhere, dependencies follow the workload, and the old
 * copy goes when the graceful-eviction controller says so.
 *
 * A copy that is Unhealthy everywhere is not evicted anywhere: then the application, not a
 * cluster, is at fault, and moving it would only churn. An Unhealthy stretch counts from the
 * `healthSince` the binding status controller records in `aggregatedStatus`, so a restarted hub keeps
 * counting (Karmada keeps it in memory and starts again); without one, from when this controller
 * first saw it.
 */
import type { ResourceBinding } from '../../api/flotilla/binding.js';
import { APPLICATION_FAILOVER_PRODUCER } from '../../api/flotilla/binding.js';
import { evictedSpec, purgeWording } from '../../api/flotilla/eviction.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import { patchBindingSpec } from '../../client/binding-writes.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import {
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

export interface ApplicationFailoverOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
  /** Called for every eviction (metrics). */
  onEvict?: (cluster: string) => void;
}

const DEFAULT_TOLERATION_SECONDS = 300;

/** Evicts workloads from clusters where they stay Unhealthy. */
export class ApplicationFailoverController implements Runnable, Reconciler {
  readonly #o: ApplicationFailoverOptions;
  readonly #rb: Informer<ResourceBinding>;
  readonly #crb: Informer<ResourceBinding>;
  readonly #controller: Controller;
  /** When each (binding key, cluster) was first seen Unhealthy, in ms. */
  readonly #unhealthySince = new Map<string, Map<string, number>>();

  constructor(options: ApplicationFailoverOptions) {
    this.#o = options;
    this.#rb = options.informers.informer<ResourceBinding>(RESOURCE_BINDINGS);
    this.#crb = options.informers.informer<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS);
    this.#controller = new Controller({
      name: 'application-failover',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [
        { informer: this.#rb as unknown as Informer, keys: (b) => [keyOf('rb', b)] },
        { informer: this.#crb as unknown as Informer, keys: (b) => [keyOf('crb', b)] },
      ],
      workers: 2,
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const binding = bindingOfKey(key, this.#rb, this.#crb);
    const app = binding?.spec.failover?.application;
    if (!binding || binding.metadata.deletionTimestamp || !app) {
      this.#unhealthySince.delete(key);
      return done;
    }
    const now = this.#o.clock.now();
    const toleranceMs = (app.decisionConditions?.tolerationSeconds ?? DEFAULT_TOLERATION_SECONDS) * 1000;
    const items = new Map((binding.status?.aggregatedStatus ?? []).map((s) => [s.clusterName, s]));
    const health = new Map([...items].map(([name, s]) => [name, s.health]));
    const targets = (binding.spec.clusters ?? []).map((t) => t.name);
    const since = this.#unhealthySince.get(key) ?? new Map<string, number>();
    this.#unhealthySince.set(key, since);
    for (const cluster of [...since.keys()])
      if (!targets.includes(cluster) || health.get(cluster) !== 'Unhealthy') since.delete(cluster);
    const unhealthy = targets.filter((c) => health.get(c) === 'Unhealthy');
    if (unhealthy.length === 0 || unhealthy.length === targets.length) return done;
    const due: string[] = [];
    let nextMs: number | undefined;
    for (const cluster of unhealthy) {
      // The binding says since when (it survives a restart); else since this controller first saw it.
      const reported = Date.parse(items.get(cluster)?.healthSince ?? '');
      const from = Number.isFinite(reported) ? reported : (since.get(cluster) ?? now);
      since.set(cluster, from);
      if (now - from >= toleranceMs) due.push(cluster);
      else nextMs = Math.min(nextMs ?? Infinity, from + toleranceMs);
    }
    if (due.length > 0) await this.#evict(binding, due, signal);
    return nextMs === undefined ? done : requeueAfter(nextMs - now);
  }

  async #evict(binding: ResourceBinding, clusters: readonly string[], signal: AbortSignal): Promise<void> {
    const app = binding.spec.failover?.application;
    const seconds = app?.decisionConditions?.tolerationSeconds ?? DEFAULT_TOLERATION_SECONDS;
    const spec = evictedSpec(binding, clusters, {
      reason: 'ApplicationFailure',
      producer: APPLICATION_FAILOVER_PRODUCER,
      ...(app?.purgeMode ? { purgeMode: app.purgeMode } : {}),
      ...(app?.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: app.gracePeriodSeconds } : {}),
      now: new Date(this.#o.clock.now()).toISOString(),
      message: (c) => `the workload was Unhealthy on ${c} for ${seconds} s`,
    });
    const current = await patchBindingSpec(this.#o.client, binding, { spec, signal });
    if (!current) return;
    for (const cluster of clusters) {
      this.#o.onEvict?.(cluster);
      this.#o.recorder?.record(current, {
        type: 'Warning',
        reason: 'ApplicationFailover',
        message: `Evicted from ${cluster}: Unhealthy there for ${seconds} s; its replicas move to other clusters, the copy there goes ${purgeWording(app?.purgeMode)}.`,
      });
    }
    this.#o.log.info({ binding: binding.metadata.name, clusters }, 'application failover');
  }
}
