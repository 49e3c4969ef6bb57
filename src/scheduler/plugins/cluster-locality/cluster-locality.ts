/** ClusterLocality score: 100 for a cluster that already holds the workload, so placements stay put. */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import type { CycleContext, ScorePlugin } from '../../framework/interface.js';
import { MAX_CLUSTER_SCORE, MIN_CLUSTER_SCORE } from '../../framework/interface.js';

export const clusterLocality: ScorePlugin = {
  name: 'ClusterLocality',
  score(ctx: CycleContext, cluster: Cluster): number {
    return ctx.previousNames.has(cluster.metadata.name ?? '') ? MAX_CLUSTER_SCORE : MIN_CLUSTER_SCORE;
  },
};
