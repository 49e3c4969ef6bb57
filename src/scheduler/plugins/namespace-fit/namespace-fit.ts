/** NamespaceFit filter: a cluster with `allowedNamespaces` takes templates of those namespaces only. */
import type { Cluster } from '../../../api/flotilla/cluster.js';
import type { CycleContext, FilterPlugin, PluginStatus } from '../../framework/interface.js';
import { SUCCESS, unschedulable } from '../../framework/interface.js';

export const namespaceFit: FilterPlugin = {
  name: 'NamespaceFit',
  filter(ctx: CycleContext, cluster: Cluster): PluginStatus {
    const allowed = cluster.spec?.allowedNamespaces ?? [];
    if (allowed.length === 0 || ctx.unit.namespace === '' || allowed.includes(ctx.unit.namespace))
      return SUCCESS;
    return unschedulable(`cluster(s) do not allow namespace ${ctx.unit.namespace}`);
  },
};
