/**
 * BalancedAllocation score (the seeds' "prefer balanced resource usage across clusters"): the
 * less of its cpu and memory a cluster has committed (allocated + allocating over allocatable,
 * the mean of the two), the higher it scores, so new work evens out utilisation over the fleet.
 * A cluster that reports no allocatable cpu or memory scores 0. It breaks ties only (clusters
 * equal in score and available replicas), so it never overrides a decision Karmada would make.
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import { clusterCapacity } from '../../core/cluster-capacity.js';
import type { ScorePlugin } from '../../framework/interface.js';
import { MAX_CLUSTER_SCORE, MIN_CLUSTER_SCORE } from '../../framework/interface.js';

export const balancedAllocation: ScorePlugin = {
  name: 'BalancedAllocation',
  tieBreak: true,
  score(_ctx, cluster: Cluster): number {
    const { committed } = clusterCapacity(cluster);
    return committed === undefined ? MIN_CLUSTER_SCORE : Math.round(MAX_CLUSTER_SCORE * (1 - committed));
  },
};
