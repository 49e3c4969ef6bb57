/**
 * APIEnablement filter: the cluster must serve the template's kind (its `status.apiEnablements`).
 * A cluster that already holds the workload passes; one that has not reported its APIs at all
 * (no `apiEnablements`) is not held against it.
 */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import type { CycleContext, FilterPlugin, PluginStatus } from '../../framework/interface.js';
import { SUCCESS, unschedulable } from '../../framework/interface.js';

export const apiEnablement: FilterPlugin = {
  name: 'APIEnablement',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    const enablements = cluster.status?.apiEnablements;
    if (enablements === undefined || ctx.previousNames.has(cluster.metadata.name ?? '')) return SUCCESS;
    const { apiVersion, kind } = ctx.unit;
    const served = enablements.some(
      (e) => e.groupVersion === apiVersion && (e.resources ?? []).some((r) => r.kind === kind),
    );
    return served ? SUCCESS : unschedulable(`cluster(s) did not have the API resource ${apiVersion}/${kind}`);
  },
};
