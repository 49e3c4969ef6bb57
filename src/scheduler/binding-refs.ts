/**
 * How the scheduler names a binding in its queue (`rb/<namespace>/<name>` or `crb//<name>`), and
 * where bindings and clusters live on the hub (re-exported from client/flotilla-resources.ts).
 */
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { CLUSTERS, CLUSTER_RESOURCE_BINDINGS, RESOURCE_BINDINGS } from '../client/flotilla-resources.js';
import type { ResourceRef } from '../client/resource-path.js';

export { CLUSTERS, CLUSTER_RESOURCE_BINDINGS, RESOURCE_BINDINGS };

/** The queue key of `b`, a ResourceBinding (`rb`) or ClusterResourceBinding (`crb`). */
export function keyOf(prefix: 'rb' | 'crb', b: ResourceBinding): string {
  return `${prefix}/${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
}

/** The resource (with namespace) of the binding `key` names. */
export function refOf(key: string): ResourceRef {
  const [prefix, namespace] = key.split('/') as ['rb' | 'crb', string];
  return {
    ...(prefix === 'rb' ? RESOURCE_BINDINGS : CLUSTER_RESOURCE_BINDINGS),
    ...(namespace ? { namespace } : {}),
  };
}
