/**
 * CapacityFit filter: a divided workload's new placements go only to clusters with room for at
 * least one more replica, counted so that a replica that fits on no single node (`continuous`)
 * does not count. Clusters that already hold some of the workload pass (they keep what they have).
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import type { CycleContext, FilterPlugin, PluginStatus } from '../../framework/interface.js';
import { SUCCESS, unschedulable } from '../../framework/interface.js';

export const capacityFit: FilterPlugin = {
  name: 'CapacityFit',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    const { unit } = ctx;
    if (unit.replicas === 0 || unit.placement.replicaScheduling?.replicaSchedulingType !== 'Divided')
      return SUCCESS;
    if (ctx.previousNames.has(cluster.metadata.name ?? '') || ctx.available(cluster) > 0) return SUCCESS;
    return unschedulable('cluster(s) had no room for one more replica');
  },
};
