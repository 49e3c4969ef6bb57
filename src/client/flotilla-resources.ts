/** Where Flotilla's own kinds are served on the hub (resource references for `ApiClient`). */
import { WORK_API_VERSION } from '../api/flotilla/binding.js';
import { CLUSTER_API_VERSION } from '../api/flotilla/cluster.js';
import { POLICY_API_VERSION } from '../api/flotilla/policy.js';
import type { KubeObject } from '../api/meta.js';
import type { Informer } from './informer.js';
import type { ResourceRef } from './resource-path.js';

export const CLUSTERS: ResourceRef = { apiVersion: CLUSTER_API_VERSION, plural: 'clusters' };
export const PROPAGATION_POLICIES: ResourceRef = {
  apiVersion: POLICY_API_VERSION,
  plural: 'propagationpolicies',
};
export const CLUSTER_PROPAGATION_POLICIES: ResourceRef = {
  apiVersion: POLICY_API_VERSION,
  plural: 'clusterpropagationpolicies',
};
export const OVERRIDE_POLICIES: ResourceRef = { apiVersion: POLICY_API_VERSION, plural: 'overridepolicies' };
export const CLUSTER_OVERRIDE_POLICIES: ResourceRef = {
  apiVersion: POLICY_API_VERSION,
  plural: 'clusteroverridepolicies',
};
export const CLUSTER_TAINT_POLICIES: ResourceRef = {
  apiVersion: POLICY_API_VERSION,
  plural: 'clustertaintpolicies',
};
export const WORKS: ResourceRef = { apiVersion: WORK_API_VERSION, plural: 'works' };
export const RESOURCE_BINDINGS: ResourceRef = { apiVersion: WORK_API_VERSION, plural: 'resourcebindings' };
export const CLUSTER_RESOURCE_BINDINGS: ResourceRef = {
  apiVersion: WORK_API_VERSION,
  plural: 'clusterresourcebindings',
};

/** scheduling.k8s.io PriorityClasses (the hub serves them for `schedulePriority`). */
export const PRIORITY_CLASSES: ResourceRef = {
  apiVersion: 'scheduling.k8s.io/v1',
  plural: 'priorityclasses',
};

/** How controllers name a binding in their queues: `rb/<namespace>/<name>` or `crb//<name>`. */
export function bindingKey(prefix: 'rb' | 'crb', namespace: string | undefined, name: string): string {
  return `${prefix}/${namespace ?? ''}/${name}`;
}

/** The queue key of binding `b`, a ResourceBinding (`rb`) or ClusterResourceBinding (`crb`). */
export function keyOf(prefix: 'rb' | 'crb', b: KubeObject): string {
  return bindingKey(prefix, b.metadata.namespace, b.metadata.name ?? '');
}

/**
 * The cached binding queue key `key` names, from the informers of ResourceBindings and
 * ClusterResourceBindings, with its `kind` set (informers' objects may lack it).
 */
export function bindingOfKey<T extends KubeObject>(
  key: string,
  rb: Informer<T>,
  crb: Informer<T>,
): T | undefined {
  const [prefix, namespace, name] = key.split('/') as ['rb' | 'crb', string, string];
  const found = (prefix === 'rb' ? rb : crb).get(namespace ? `${namespace}/${name}` : name);
  return found && { ...found, kind: prefix === 'rb' ? 'ResourceBinding' : 'ClusterResourceBinding' };
}

/** The resource (with namespace) of the binding `key` names. */
export function refOf(key: string): ResourceRef {
  const [prefix, namespace] = key.split('/') as ['rb' | 'crb', string];
  return {
    ...(prefix === 'rb' ? RESOURCE_BINDINGS : CLUSTER_RESOURCE_BINDINGS),
    ...(namespace ? { namespace } : {}),
  };
}
