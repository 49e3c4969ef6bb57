/**
 * TaintToleration filter: a NoSchedule or NoExecute taint (the cordon and health taints included)
 * keeps new placements off a cluster unless `placement.clusterTolerations` tolerates it. Clusters
 * that already hold the workload pass: evicting it is the taint manager's job, not the scheduler's.
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import { toleratesTaint } from '../../../api/taints.js';
import type { CycleContext, FilterPlugin, PluginStatus } from '../../framework/interface.js';
import { SUCCESS, unschedulable } from '../../framework/interface.js';

export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    if (ctx.previousNames.has(cluster.metadata.name ?? '')) return SUCCESS;
    const tolerations = ctx.unit.placement.clusterTolerations ?? [];
    for (const taint of cluster.spec?.taints ?? []) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (tolerations.some((t) => toleratesTaint(t, taint))) continue;
      const value = taint.value ? `=${taint.value}` : '';
      return unschedulable(`cluster(s) had untolerated taint {${taint.key}${value}:${taint.effect}}`);
    }
    return SUCCESS;
  },
};
