/**
 * ClusterReady filter: new placements go only to clusters whose Ready condition is True. Clusters
 * that already hold the workload pass (failover, not the scheduler, moves replicas off them).
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import { conditionStatus } from '../../../api/flotilla/cluster.js';
import type { CycleContext, FilterPlugin, PluginStatus } from '../../framework/interface.js';
import { SUCCESS, unschedulable } from '../../framework/interface.js';

export const clusterReady: FilterPlugin = {
  name: 'ClusterReady',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    if (ctx.previousNames.has(cluster.metadata.name ?? '')) return SUCCESS;
    const ready = conditionStatus(cluster, 'Ready');
    if (ready?.status === 'True') return SUCCESS;
    if (!ready) return unschedulable('cluster(s) have not reported a Ready condition');
    return unschedulable(`cluster(s) were not ready (${ready.reason ?? ready.status})`);
  },
};
