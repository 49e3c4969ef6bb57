/**
 * SpreadConstraint filter: spreading by provider, region, zone or a label needs the cluster to
 * have that property; a cluster without it cannot be counted in any group.
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import { spreadDimension, spreadGroupOf } from '../../core/select-clusters.js';
import type { CycleContext, FilterPlugin, PluginStatus } from '../../framework/interface.js';
import { SUCCESS, unschedulable } from '../../framework/interface.js';

export const spreadConstraint: FilterPlugin = {
  name: 'SpreadConstraint',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    for (const constraint of ctx.unit.placement.spreadConstraints ?? [])
      if (spreadGroupOf(cluster, constraint) === undefined)
        return unschedulable(`cluster(s) did not have ${spreadDimension(constraint)} property`);
    return SUCCESS;
  },
};
