/** ClusterAffinity filter: the cluster must match the affinity term being tried (if any). */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import { clusterMatchesAffinity } from '../../../api/flotilla/cluster-affinity.js';
import type { CycleContext, FilterPlugin, PluginStatus } from '../../framework/interface.js';
import { SUCCESS, unschedulable } from '../../framework/interface.js';

export const clusterAffinity: FilterPlugin = {
  name: 'ClusterAffinity',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    if (!ctx.affinity || clusterMatchesAffinity(cluster, ctx.affinity)) return SUCCESS;
    return unschedulable('cluster(s) did not match the placement cluster affinity constraint');
  },
};
