/**
 * The taint manager: cluster failover. A binding placed on a cluster with a NoExecute taint it
 * does not tolerate (the health taints get their NoExecute twin after the eviction delay) is
 * evicted from that cluster: the cluster leaves `spec.clusters` and a graceful eviction task
 * records it, so the scheduler re-places its replicas elsewhere (the ClusterEviction filter keeps
 * them off the evicted cluster) while the old copy stays until the graceful-eviction controller
 * lets it go. A toleration with `tolerationSeconds` delays the eviction by exactly that long,
 * counted from the taint's `timeAdded`. When an evicted cluster is healthy again before the
 * workload found a place elsewhere, the eviction is undone: the cluster goes back into the
 * decision with the replicas it had (its copy never left).
 *
 * Protection against mass evictions, as kube-controller-manager protects nodes: clusters are
 * admitted for eviction at a limited rate (a token bucket: a burst of 10, then one per 10 s by
 * default), and once admitted all their workloads move at once; when most clusters are unhealthy
 * at once (at least `disruptionThreshold` of them) nothing is evicted at all — the hub is then
 * more likely cut off than the clusters dead.
 */
import type { GracefulEvictionTask, ResourceBinding, TargetCluster } from '../../api/flotilla/binding.js';
import { evictedSpec, purgeWording } from '../../api/flotilla/eviction.js';
import { TAINT_MANAGER_PRODUCER } from '../../api/flotilla/binding.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import { clusterDefinitionOrReadinessChanged, isClusterReady } from '../../api/flotilla/cluster.js';
import type { Taint } from '../../api/taints.js';
import { toleratesTaint } from '../../api/taints.js';
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
import type { Lanes } from '../../runtime/lanes.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';
import { TokenBucket } from './token-bucket.js';

export interface TaintManagerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
  /** Clusters per second whose workloads may start being evicted, on average (default 0.1). */
  clusterEvictionRate?: number;
  /** Clusters whose workloads may start being evicted at once (default 10). */
  clusterEvictionBurst?: number;
  /** Share of unhealthy clusters at which evictions stop (default 0.55; needs 3 clusters or more). */
  disruptionThreshold?: number;
  /** Called for every eviction (metrics). */
  onEvict?: (cluster: string) => void;
  /** When given, this controller's waiting keys go before background work (runtime/lanes.ts). */
  lanes?: Lanes;
}

/** How often evictions are reconsidered while the fleet is disrupted. */
const DISRUPTED_RETRY_MS = 10_000;

/** Evicts bindings from clusters whose NoExecute taints they do not tolerate. */
export class TaintManager implements Runnable, Reconciler {
  readonly #o: TaintManagerOptions;
  readonly #rb: Informer<ResourceBinding>;
  readonly #crb: Informer<ResourceBinding>;
  readonly #clusters: Informer<Cluster>;
  readonly #controller: Controller;
  /** Admits clusters for eviction (rate limit). */
  readonly #bucket: TokenBucket;
  /** Clusters admitted for eviction, with the taint instance they were admitted for. */
  readonly #admitted = new Map<string, string>();
  #disrupted = false;

  constructor(options: TaintManagerOptions) {
    this.#o = options;
    this.#rb = options.informers.informer<ResourceBinding>(RESOURCE_BINDINGS);
    this.#crb = options.informers.informer<ResourceBinding>(CLUSTER_RESOURCE_BINDINGS);
    this.#clusters = options.informers.informer<Cluster>(CLUSTERS);
    this.#bucket = new TokenBucket({
      clock: options.clock,
      ratePerSecond: options.clusterEvictionRate ?? 0.1,
      burst: options.clusterEvictionBurst ?? 10,
    });
    const on = (cluster: Cluster): string[] => this.#bindingsOn(cluster.metadata.name ?? '');
    this.#controller = new Controller({
      name: 'taint-manager',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [
        { informer: this.#rb as unknown as Informer, keys: (b) => [keyOf('rb', b)] },
        { informer: this.#crb as unknown as Informer, keys: (b) => [keyOf('crb', b)] },
        { informer: this.#clusters, keys: (c) => on(c), relevant: clusterDefinitionOrReadinessChanged },
      ],
      workers: 16,
      lane: { lanes: options.lanes, priority: 'critical' },
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const binding = this.#bindingOf(key);
    if (!binding || binding.metadata.deletionTimestamp) return done;
    const now = this.#o.clock.now();
    const recovered = this.#recovered(binding);
    if (recovered.length > 0) {
      await this.#cancel(binding, recovered, signal);
      return done; // the update brings the key back
    }
    const { evict, nextMs } = this.#verdict(binding, now);
    if (evict.length === 0) return nextMs === undefined ? done : requeueAfter(nextMs - now);
    if (this.#fleetDisrupted()) return requeueAfter(DISRUPTED_RETRY_MS);
    const admitted = evict.filter((e) => this.#admit(e));
    if (admitted.length > 0) await this.#evict(binding, admitted, signal);
    if (admitted.length < evict.length) return requeueAfter(Math.max(1, this.#bucket.wait()));
    return nextMs === undefined ? done : requeueAfter(Math.max(0, nextMs - now));
  }

  /**
   * True when evictions from the cluster of `e` may go ahead: a cluster is admitted once per
   * NoExecute taint (its `timeAdded`), taking a token; then all its workloads move at once.
   */
  #admit(e: Eviction): boolean {
    const instance = `${e.taint.key}:${e.taint.timeAdded ?? ''}`;
    if (this.#admitted.get(e.target.name) === instance) return true;
    if (this.#bucket.take() > 0) return false;
    this.#admitted.set(e.target.name, instance);
    this.#o.log.info({ cluster: e.target.name, taint: e.taint.key }, 'evicting workloads from cluster');
    return true;
  }

  /** The clusters to evict `binding` from now, and when the next toleration runs out. */
  #verdict(binding: ResourceBinding, now: number): { evict: Eviction[]; nextMs?: number } {
    const tolerations = binding.spec.placement?.clusterTolerations ?? [];
    const evict: Eviction[] = [];
    let nextMs: number | undefined;
    for (const target of binding.spec.clusters ?? []) {
      const cluster = this.#clusters.get(target.name);
      let due: Taint | undefined;
      for (const taint of cluster?.spec?.taints ?? []) {
        if (taint.effect !== 'NoExecute') continue;
        const tolerating = tolerations.filter((t) => toleratesTaint(t, taint));
        if (tolerating.length === 0) {
          due = taint;
          break;
        }
        // Several tolerations may match: the most patient one counts; none limited = forever.
        if (tolerating.some((t) => t.tolerationSeconds === undefined)) continue;
        const seconds = Math.max(...tolerating.map((t) => Math.max(0, t.tolerationSeconds ?? 0)));
        const added = Date.parse(taint.timeAdded ?? '');
        const at = (Number.isFinite(added) ? added : now) + seconds * 1000;
        if (at <= now) {
          due = taint;
          break;
        }
        nextMs = nextMs === undefined ? at : Math.min(nextMs, at);
      }
      if (due) evict.push({ target, taint: due });
    }
    return { evict, ...(nextMs !== undefined ? { nextMs } : {}) };
  }

  /**
   * This controller's eviction tasks whose cluster is fine again (no NoExecute taint the placement
   * does not tolerate) while the workload is still not placed elsewhere: the eviction is undone.
   */
  #recovered(binding: ResourceBinding): GracefulEvictionTask[] {
    const placed = binding.spec.clusters ?? [];
    const divided = binding.spec.placement?.replicaScheduling?.replicaSchedulingType === 'Divided';
    const full = divided
      ? placed.reduce((n, t) => n + (t.replicas ?? 0), 0) >= (binding.spec.replicas ?? 0) && placed.length > 0
      : placed.length > 0;
    if (full) return [];
    const tolerations = binding.spec.placement?.clusterTolerations ?? [];
    return (binding.spec.gracefulEvictionTasks ?? []).filter((task) => {
      if (task.producer !== TAINT_MANAGER_PRODUCER) return false;
      const cluster = this.#clusters.get(task.fromCluster);
      if (!cluster || !isClusterReady(cluster)) return false;
      return !(cluster.spec?.taints ?? []).some(
        (taint) => taint.effect === 'NoExecute' && !tolerations.some((t) => toleratesTaint(t, taint)),
      );
    });
  }

  /** Puts `binding` back on the clusters of `tasks`, with the replicas it had there. */
  async #cancel(
    binding: ResourceBinding,
    tasks: readonly GracefulEvictionTask[],
    signal: AbortSignal,
  ): Promise<void> {
    const back = new Set(tasks.map((t) => t.fromCluster));
    const clusters = [
      ...(binding.spec.clusters ?? []).filter((t) => !back.has(t.name)),
      ...tasks.map((t) => ({
        name: t.fromCluster,
        ...(t.replicas !== undefined ? { replicas: t.replicas } : {}),
      })),
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const left = (binding.spec.gracefulEvictionTasks ?? []).filter((t) => !tasks.includes(t));
    await this.#patch(binding, { clusters, gracefulEvictionTasks: left.length > 0 ? left : null }, signal);
    for (const cluster of back)
      this.#o.recorder?.record(this.#withKind(binding), {
        type: 'Normal',
        reason: 'EvictionCancelled',
        message: `${cluster} is healthy again and the workload found no other place: it stays on ${cluster}.`,
      });
    this.#o.log.info({ binding: nameOf(binding), clusters: [...back] }, 'eviction cancelled');
  }

  /** True when so many clusters are unhealthy that the hub, not they, is probably cut off. */
  #fleetDisrupted(): boolean {
    const clusters = this.#clusters.list();
    const unhealthy = clusters.filter((c) => !isClusterReady(c)).length;
    const disrupted =
      clusters.length >= 3 && unhealthy / clusters.length >= (this.#o.disruptionThreshold ?? 0.55);
    if (disrupted !== this.#disrupted)
      this.#o.log[disrupted ? 'warn' : 'info'](
        { unhealthy, clusters: clusters.length },
        disrupted
          ? 'most clusters are unhealthy: evictions stop until most are Ready again'
          : 'most clusters are Ready again: evictions resume',
      );
    this.#disrupted = disrupted;
    return disrupted;
  }

  async #evict(binding: ResourceBinding, evict: readonly Eviction[], signal: AbortSignal): Promise<void> {
    const failover = binding.spec.failover?.cluster;
    const taints = new Map(evict.map((e) => [e.target.name, describeTaint(e.taint)]));
    const spec = evictedSpec(binding, [...taints.keys()], {
      reason: 'TaintUntolerated',
      producer: TAINT_MANAGER_PRODUCER,
      ...(failover?.purgeMode ? { purgeMode: failover.purgeMode } : {}),
      ...(failover?.gracePeriodSeconds !== undefined
        ? { gracePeriodSeconds: failover.gracePeriodSeconds }
        : {}),
      now: new Date(this.#o.clock.now()).toISOString(),
      message: (c) =>
        `cluster ${c} has the taint ${taints.get(c) ?? ''} that the placement does not tolerate`,
    });
    const current = await this.#patch(binding, spec, signal);
    if (!current) return;
    for (const [cluster, taint] of taints) {
      this.#o.onEvict?.(cluster);
      this.#o.recorder?.record(this.#withKind(current), {
        type: 'Warning',
        reason: 'EvictWorkloadFromCluster',
        message: `Evicted from ${cluster} (taint ${taint} not tolerated); its replicas move to other clusters, the copy there goes ${purgeWording(failover?.purgeMode)}.`,
      });
    }
    this.#o.log.info({ binding: nameOf(binding), clusters: [...taints.keys()] }, 'evicted');
  }

  #patch(
    binding: ResourceBinding,
    spec: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ResourceBinding | undefined> {
    return patchBindingSpec(this.#o.client, binding, { spec, signal });
  }

  #withKind(binding: ResourceBinding): ResourceBinding {
    return { ...binding, kind: binding.metadata.namespace ? 'ResourceBinding' : 'ClusterResourceBinding' };
  }

  /** Keys of the bindings placed on `cluster`, or evicted from it. */
  #bindingsOn(cluster: string): string[] {
    const on = (b: ResourceBinding): boolean =>
      (b.spec.clusters ?? []).some((t) => t.name === cluster) ||
      (b.spec.gracefulEvictionTasks ?? []).some((t) => t.fromCluster === cluster);
    return [
      ...this.#rb
        .list()
        .filter(on)
        .map((b) => keyOf('rb', b)),
      ...this.#crb
        .list()
        .filter(on)
        .map((b) => keyOf('crb', b)),
    ];
  }

  #bindingOf(key: string): ResourceBinding | undefined {
    return bindingOfKey(key, this.#rb, this.#crb);
  }
}

interface Eviction {
  target: TargetCluster;
  taint: Taint;
}

function describeTaint(taint: Taint): string {
  return `{${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}}`;
}

function nameOf(binding: ResourceBinding): string {
  const { namespace, name } = binding.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}
