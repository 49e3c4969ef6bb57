/**
 * WorkloadAffinity and WorkloadAntiAffinity filters (Karmada's, gate WorkloadAffinity): the
 * members of an affinity group (same namespace, same value of the policy's `groupByLabelKey`
 * label) share clusters — once one member is placed, the others may go only where members already
 * run; the members of an anti-affinity group never share a cluster. Clusters a workload already
 * holds always pass, so a placement never has to move because a peer moved.
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import type { CycleContext, FilterPlugin, PluginStatus } from '../../framework/interface.js';
import { SUCCESS, unschedulable } from '../../framework/interface.js';

export const workloadAffinity: FilterPlugin = {
  name: 'WorkloadAffinity',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    const group = ctx.unit.workloadGroups?.affinity;
    const name = cluster.metadata.name ?? '';
    if (!group || group.clusters.size === 0 || ctx.previousNames.has(name) || group.clusters.has(name))
      return SUCCESS;
    return unschedulable(`cluster(s) did not run workloads of affinity group ${group.name}`);
  },
};

export const workloadAntiAffinity: FilterPlugin = {
  name: 'WorkloadAntiAffinity',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    const group = ctx.unit.workloadGroups?.antiAffinity;
    const name = cluster.metadata.name ?? '';
    if (!group || ctx.previousNames.has(name) || !group.clusters.has(name)) return SUCCESS;
    return unschedulable(`cluster(s) already ran a workload of anti-affinity group ${group.name}`);
  },
};
