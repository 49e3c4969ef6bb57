/**
 * Rebalancing: moving a workload back to its preferred distribution (a fresh decision) without
 * dropping below its desired ready replicas. While a rebalance is in progress every cluster keeps
 * the larger of its old and new shares, and clusters only the old decision names keep theirs, so
 * new copies come up before old ones go. With `failover.rebalanceOnRecovery`, a workload moved
 * off failed clusters remembers them in its scheduling history and is rebalanced once one of
 * them has been healthy for a while. Pure.
 */
import type { RebalanceState, ResourceBinding, TargetCluster } from './binding.js';
import type { Cluster } from './cluster.js';
import { TAINT_CLUSTER_NOT_READY, TAINT_CLUSTER_UNREACHABLE, conditionStatus } from './cluster.js';

/** `schedulingHistory[].trigger` of a fresh decision after `rescheduleTriggeredAt`. */
export const REBALANCE_TRIGGER = 'Rebalance';
/** `schedulingHistory[].trigger` of a decision that followed an eviction by cluster failover. */
export const CLUSTER_FAILOVER_TRIGGER = 'ClusterFailover';

/**
 * True when a fresh decision was requested after the binding's last one (`rescheduleTriggeredAt`
 * later than `lastScheduledTime`): the scheduler then divides from scratch.
 */
export function rebalanceRequested(binding: ResourceBinding): boolean {
  const triggered = Date.parse(binding.spec.rescheduleTriggeredAt ?? '');
  const last = Date.parse(binding.status?.lastScheduledTime ?? '');
  return Number.isFinite(triggered) && (!Number.isFinite(last) || triggered > last);
}

/**
 * The failed clusters `binding` will be rebalanced back to: those named by its `ClusterFailover`
 * history entries since its last rebalance, plus those its last rebalance still waited for.
 */
export function awaitingRecovery(binding: ResourceBinding): string[] {
  const names = new Set<string>();
  for (const entry of binding.status?.schedulingHistory ?? []) {
    if (entry.trigger === CLUSTER_FAILOVER_TRIGGER || entry.trigger === REBALANCE_TRIGGER)
      for (const name of entry.awaitingRecovery ?? []) names.add(name);
    if (entry.trigger === REBALANCE_TRIGGER) break;
  }
  return [...names].sort();
}

/**
 * Since when (ms) `cluster` counts as recovered: Ready, without the hub's health taints, since its
 * Ready condition last turned True. Undefined while it is not healthy.
 */
export function recoveredSince(cluster: Cluster): number | undefined {
  const ready = conditionStatus(cluster, 'Ready');
  if (ready?.status !== 'True' || cluster.metadata.deletionTimestamp) return undefined;
  const health = new Set([TAINT_CLUSTER_NOT_READY, TAINT_CLUSTER_UNREACHABLE]);
  if ((cluster.spec?.taints ?? []).some((t) => health.has(t.key))) return undefined;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  return Number.isFinite(since) ? since : 0;
}

/**
 * The rebalance `binding` is in once its decision becomes `next`: undefined when no cluster loses
 * replicas (nothing old has to wait for anything new). A rebalance already in progress keeps the
 * copies it was keeping and starts its clock again.
 */
export function rebalanceFor(
  binding: ResourceBinding,
  next: readonly TargetCluster[],
  now: string,
): RebalanceState | undefined {
  const kept = mergeLarger(binding.spec.rebalance?.previousClusters ?? [], binding.spec.clusters ?? []);
  const wanted = new Map(next.map((t) => [t.name, t]));
  const loses = kept.some((t) => {
    const n = wanted.get(t.name);
    return !n || (n.replicas ?? 0) < (t.replicas ?? 0);
  });
  if (!loses) return undefined;
  return { previousClusters: kept, startedAt: now };
}

/**
 * The clusters whose copies the binding keeps and how many replicas each runs: its decision, and
 * during a rebalance each cluster's larger share, with the clusters only the old decision names.
 */
export function keptTargets(binding: ResourceBinding): TargetCluster[] {
  const current = binding.spec.clusters ?? [];
  const previous = binding.spec.rebalance?.previousClusters;
  return previous ? mergeLarger(current, previous) : current;
}

/**
 * Every cluster the binding keeps a copy on: its kept targets (decision and rebalance) and the
 * clusters of its graceful eviction tasks. A workload's dependencies must stay on all of them.
 */
export function clustersWithCopies(binding: ResourceBinding): TargetCluster[] {
  const kept = keptTargets(binding).map((t) => ({ name: t.name }));
  for (const task of binding.spec.gracefulEvictionTasks ?? [])
    if (!kept.some((t) => t.name === task.fromCluster)) kept.push({ name: task.fromCluster });
  return kept;
}

/** Both decisions' clusters, each with the larger share, in `a`'s order then `b`'s. */
function mergeLarger(a: readonly TargetCluster[], b: readonly TargetCluster[]): TargetCluster[] {
  const out = new Map<string, TargetCluster>();
  for (const t of [...a, ...b]) {
    const seen = out.get(t.name);
    if (!seen) out.set(t.name, { ...t });
    else if (t.replicas !== undefined && (seen.replicas === undefined || t.replicas > seen.replicas))
      seen.replicas = t.replicas;
  }
  return [...out.values()];
}
