/**
 * BalancedAllocation score (the seeds' "prefer balanced resource usage across clusters"): the
 * less of its cpu and memory a cluster has committed (allocated + allocating over allocatable,
 * the mean of the two), the higher it scores, so new work evens out utilisation over the fleet.
 * A cluster that reports no allocatable cpu or memory scores 0. It breaks ties only (clusters
 * equal in score and available replicas), so it never overrides a decision Karmada would make.
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import { resourceAmounts } from '../../../api/pod-resources.js';
import type { ScorePlugin } from '../../framework/interface.js';
import { MAX_CLUSTER_SCORE, MIN_CLUSTER_SCORE } from '../../framework/interface.js';

const RESOURCES = ['cpu', 'memory'] as const;

export const balancedAllocation: ScorePlugin = {
  name: 'BalancedAllocation',
  tieBreak: true,
  score(_ctx, cluster: Cluster): number {
    const summary = cluster.status?.resourceSummary;
    const allocatable = resourceAmounts(summary?.allocatable);
    const allocated = resourceAmounts(summary?.allocated);
    const allocating = resourceAmounts(summary?.allocating);
    let used = 0;
    for (const r of RESOURCES) {
      const total = allocatable[r] ?? 0;
      if (total <= 0) return MIN_CLUSTER_SCORE;
      used += Math.min(1, ((allocated[r] ?? 0) + (allocating[r] ?? 0)) / total);
    }
    return Math.round(MAX_CLUSTER_SCORE * (1 - used / RESOURCES.length));
  },
};
