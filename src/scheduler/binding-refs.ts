/**
 * Where bindings and clusters live on the hub, and how the scheduler names a binding in its
 * queue: `rb/<namespace>/<name>` or `crb//<name>`.
 */
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { WORK_API_VERSION } from '../api/flotilla/binding.js';
import { CLUSTER_API_VERSION } from '../api/flotilla/cluster.js';
import type { ResourceRef } from '../client/resource-path.js';

export const RESOURCE_BINDINGS: ResourceRef = { apiVersion: WORK_API_VERSION, plural: 'resourcebindings' };
export const CLUSTER_RESOURCE_BINDINGS: ResourceRef = {
  apiVersion: WORK_API_VERSION,
  plural: 'clusterresourcebindings',
};
export const CLUSTERS: ResourceRef = { apiVersion: CLUSTER_API_VERSION, plural: 'clusters' };

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
