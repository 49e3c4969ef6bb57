/**
 * Evicting a workload from clusters (cluster and application failover share it): the clusters
 * leave the decision and each gets a graceful eviction task that keeps its copy until the
 * graceful-eviction controller lets it go. Pure.
 */
import type { GracefulEvictionTask, ResourceBinding, TargetCluster } from './binding.js';
import type { PurgeMode } from './policy.js';

/** What evicts, and how the copies left behind are treated. */
export interface EvictionCause {
  reason: string;
  producer: string;
  purgeMode?: PurgeMode;
  gracePeriodSeconds?: number;
  /** RFC 3339 time of the eviction. */
  now: string;
  /** Why, per cluster. */
  message: (cluster: string) => string;
}

/** `spec.clusters` and `spec.gracefulEvictionTasks` of `binding` once evicted from `clusters`. */
export function evictedSpec(
  binding: ResourceBinding,
  clusters: readonly string[],
  cause: EvictionCause,
): { clusters: TargetCluster[]; gracefulEvictionTasks: GracefulEvictionTask[] } {
  const gone = new Set(clusters);
  const purgeMode = cause.purgeMode ?? 'Gracefully';
  const existing = binding.spec.gracefulEvictionTasks ?? [];
  const added = (binding.spec.clusters ?? [])
    .filter((t) => gone.has(t.name) && !existing.some((e) => e.fromCluster === t.name))
    .map((t): GracefulEvictionTask => ({
      fromCluster: t.name,
      purgeMode,
      ...(t.replicas !== undefined ? { replicas: t.replicas } : {}),
      reason: cause.reason,
      message: cause.message(t.name),
      producer: cause.producer,
      ...(cause.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: cause.gracePeriodSeconds } : {}),
      ...(purgeMode === 'Never' ? { suppressDeletion: true } : {}),
      creationTimestamp: cause.now,
    }));
  return {
    clusters: (binding.spec.clusters ?? []).filter((t) => !gone.has(t.name)),
    gracefulEvictionTasks: [...existing, ...added],
  };
}

/** When the evicted copy goes, as the Events say it. */
export function purgeWording(purgeMode: PurgeMode | undefined): string {
  return purgeMode === 'Directly'
    ? 'once they are placed'
    : purgeMode === 'Never'
      ? 'when you clear the eviction task'
      : 'once they are Healthy';
}
