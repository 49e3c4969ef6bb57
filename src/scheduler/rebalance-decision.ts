/**
 * What a decision records for rebalancing besides the clusters: the rebalance in progress (a fresh
 * decision that takes replicas off clusters keeps their copies until the new ones are ready; any
 * other new decision ends it) and, with `failover.rebalanceOnRecovery`, the failed clusters the
 * workload returns to when they recover (in its scheduling history entry).
 */
import type { RebalanceState, ResourceBinding, TargetCluster } from '../api/flotilla/binding.js';
import { TAINT_MANAGER_PRODUCER } from '../api/flotilla/binding.js';
import type { Cluster } from '../api/flotilla/cluster.js';
import { awaitingRecovery, rebalanceFor, recoveredSince } from '../api/flotilla/rebalance.js';
import type { ScheduleTrigger } from './binding-status.js';
import { sameTargets } from './binding-status.js';

export interface RebalanceFields {
  /** The new `spec.rebalance`: null ends one, undefined leaves it as it is. */
  rebalance?: RebalanceState | null;
  /** For the history entry. */
  awaitingRecovery?: string[];
}

/** The rebalance fields of the decision `next` for `binding`, made for `trigger` at `now`. */
export function rebalanceFields(
  binding: ResourceBinding,
  d: { trigger: ScheduleTrigger; next: readonly TargetCluster[]; clusters: readonly Cluster[]; now: string },
): RebalanceFields {
  const out: RebalanceFields = {};
  const changed = !sameTargets(binding.spec.clusters ?? [], d.next);
  if (d.trigger === 'Rebalance' && changed) out.rebalance = rebalanceFor(binding, d.next, d.now) ?? null;
  else if (binding.spec.rebalance && changed) out.rebalance = null;
  if (!binding.spec.failover?.rebalanceOnRecovery) return out;
  if (d.trigger === 'ClusterFailover') {
    const evicted = (binding.spec.gracefulEvictionTasks ?? [])
      .filter((t) => t.producer === TAINT_MANAGER_PRODUCER)
      .map((t) => t.fromCluster);
    const names = [...new Set(evicted)].sort();
    if (names.length > 0) out.awaitingRecovery = names;
  } else if (d.trigger === 'Rebalance') {
    const byName = new Map(d.clusters.map((c) => [c.metadata.name ?? '', c]));
    const still = awaitingRecovery(binding).filter((name) => {
      const cluster = byName.get(name);
      return cluster !== undefined && recoveredSince(cluster) === undefined;
    });
    if (still.length > 0) out.awaitingRecovery = still;
  }
  return out;
}
