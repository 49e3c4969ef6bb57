/**
 * ClusterEviction filter: a cluster the workload was evicted from (a graceful eviction task names
 * it) is not a candidate while the task lasts, as in Karmada: its copy is on the way out.
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import type { CycleContext, FilterPlugin, PluginStatus } from '../../framework/interface.js';
import { SUCCESS, unschedulable } from '../../framework/interface.js';

export const clusterEviction: FilterPlugin = {
  name: 'ClusterEviction',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    return ctx.unit.evictedFrom?.includes(cluster.metadata.name ?? '')
      ? unschedulable('cluster(s) were in the process of eviction')
      : SUCCESS;
  },
};
