/**
 * When a binding needs a decision (level-based: from the binding and the fleet as they are now),
 * and which cluster changes matter to placements.
 */
import type { ResourceBinding, TargetCluster } from '../api/flotilla/binding.js';
import { APPLICATION_FAILOVER_PRODUCER } from '../api/flotilla/binding.js';
import type { Cluster } from '../api/flotilla/cluster.js';
import type { JsonValue } from '../api/meta.js';
import type { ScheduleTrigger } from './binding-status.js';
import { divisionStrategy } from './division/strategy.js';
import { unitFromBinding } from './framework/unit.js';

/** Why `binding` needs a decision now, or undefined when its decision stands. */
export function triggerOf(
  binding: ResourceBinding,
  clusters: readonly Cluster[],
): ScheduleTrigger | undefined {
  const { spec, status, metadata } = binding;
  if (status?.schedulerObservedGeneration === undefined) return 'Initial';
  // A requested fresh decision (which changes the spec too) covers any other spec change.
  if (unitFromBinding(binding).fresh) return 'Rebalance';
  if (status.schedulerObservedGeneration !== metadata.generation)
    return evictionSince(binding) ?? 'SpecChange';
  if (status.conditions?.find((c) => c.type === 'Scheduled')?.status !== 'True') return 'Retry';
  const live = liveNames(clusters);
  if ((spec.clusters ?? []).some((t: TargetCluster) => !live.has(t.name))) return 'ClusterChange';
  const workload = (spec.replicas ?? 0) > 0 || spec.replicaRequirements !== undefined;
  if (!workload || divisionStrategy(spec.placement?.replicaScheduling) === 'Duplicated')
    return 'ClusterChange';
  return undefined;
}

/**
 * Names of the clusters not being deleted, per array of clusters: an informer's list is the same
 * array until a cluster changes, and an array given here is never changed afterwards (readonly).
 */
const liveNamesOf = new WeakMap<readonly Cluster[], ReadonlySet<string | undefined>>();

function liveNames(clusters: readonly Cluster[]): ReadonlySet<string | undefined> {
  let live = liveNamesOf.get(clusters);
  if (live === undefined) {
    live = new Set(clusters.filter((c) => !c.metadata.deletionTimestamp).map((c) => c.metadata.name));
    liveNamesOf.set(clusters, live);
  }
  return live;
}

/** What of a cluster placement depends on, except capacity (a JSON string to compare). */
export function placementRelevant(c: Cluster): string {
  return JSON.stringify([
    c.metadata.labels ?? {},
    c.metadata.deletionTimestamp ?? '',
    c.spec ?? {},
    c.status?.conditions?.map((x) => [x.type, x.status]) ?? [],
    c.status?.apiEnablements ?? [],
  ]);
}

/** A cluster's capacity, to compare. */
export function capacity(c: Cluster): JsonValue {
  return (c.status?.resourceSummary ?? null) as unknown as JsonValue;
}

/**
 * `ClusterFailover` or `ApplicationFailover` when the binding changed because it was evicted from
 * a cluster since its last decision (the newest such eviction task names the producer).
 */
function evictionSince(binding: ResourceBinding): ScheduleTrigger | undefined {
  const last = Date.parse(binding.status?.lastScheduledTime ?? '');
  const fresh = (binding.spec.gracefulEvictionTasks ?? []).filter(
    (t) => !Number.isFinite(last) || Date.parse(t.creationTimestamp ?? '') >= last,
  );
  const newest = fresh
    .sort((a, b) => (a.creationTimestamp ?? '').localeCompare(b.creationTimestamp ?? ''))
    .at(-1);
  if (!newest) return undefined;
  return newest.producer === APPLICATION_FAILOVER_PRODUCER ? 'ApplicationFailover' : 'ClusterFailover';
}

/** What of a binding its placement depends on (a string to compare between decisions). */
export function placementInputs(binding: ResourceBinding): string {
  const { spec } = binding;
  return JSON.stringify([
    spec.resource.uid ?? '',
    spec.replicas ?? 0,
    spec.replicaRequirements ?? null,
    spec.placement ?? null,
    spec.schedulePriority ?? null,
    spec.workloadAffinityGroups ?? null,
  ]);
}

/**
 * True when the binding's decision is whole: on live clusters none of which it is being evicted
 * from, and (divided workloads) with all its replicas.
 */
export function decisionComplete(binding: ResourceBinding, clusters: readonly Cluster[]): boolean {
  const { spec } = binding;
  const targets = spec.clusters ?? [];
  const live = new Set(clusters.filter((c) => !c.metadata.deletionTimestamp).map((c) => c.metadata.name));
  const evicted = new Set((spec.gracefulEvictionTasks ?? []).map((t) => t.fromCluster));
  if (targets.length === 0 || targets.some((t) => !live.has(t.name) || evicted.has(t.name))) return false;
  if (divisionStrategy(spec.placement?.replicaScheduling) === 'Duplicated' || !spec.replicas) return true;
  return targets.reduce((n, t) => n + (t.replicas ?? 0), 0) === spec.replicas;
}
