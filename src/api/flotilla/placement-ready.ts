/**
 * Whether a binding's decision is in place: scheduled for its current generation with all its
 * replicas, and every cluster of it reporting the workload Healthy with its share ready. The
 * graceful-eviction and rebalance controllers wait for this before old copies go. Pure.
 */
import type { AggregatedStatusItem, ResourceBinding, TargetCluster } from './binding.js';

/** True when the scheduler placed the binding's current generation, all of it, somewhere. */
export function fullyPlaced(binding: ResourceBinding): boolean {
  const { spec, status, metadata } = binding;
  const scheduled = status?.conditions?.find((c) => c.type === 'Scheduled');
  if (scheduled?.status !== 'True' || status?.schedulerObservedGeneration !== metadata.generation)
    return false;
  const clusters = spec.clusters ?? [];
  if (clusters.length === 0) return false;
  const divided = spec.placement?.replicaScheduling?.replicaSchedulingType === 'Divided';
  if (!divided || !spec.replicas) return true;
  return clusters.reduce((n, t) => n + (t.replicas ?? 0), 0) >= spec.replicas;
}

/** True when the scheduler tried the binding's current generation and could not place it. */
export function unschedulable(binding: ResourceBinding): boolean {
  const scheduled = binding.status?.conditions?.find((c) => c.type === 'Scheduled');
  return (
    scheduled?.status === 'False' &&
    binding.status?.schedulerObservedGeneration === binding.metadata.generation
  );
}

/**
 * True when `item` reports the workload Healthy on `target`'s cluster with at least the replicas
 * the decision puts there ready: a status from before a move (Healthy with fewer) does not count.
 */
export function readyThere(target: TargetCluster, item: AggregatedStatusItem | undefined): boolean {
  if (item?.health !== 'Healthy') return false;
  const ready = (item.status as { readyReplicas?: unknown } | undefined)?.readyReplicas;
  return target.replicas === undefined || typeof ready !== 'number' || ready >= target.replicas;
}

/** True when every cluster of the binding's decision reports its share Healthy and ready. */
export function decisionReady(binding: ResourceBinding): boolean {
  const reported = new Map((binding.status?.aggregatedStatus ?? []).map((s) => [s.clusterName, s]));
  return (binding.spec.clusters ?? []).every((t) => readyThere(t, reported.get(t.name)));
}
