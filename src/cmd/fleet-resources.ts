/**
 * The kinds the fleet commands (`flotilla get`, `flotilla describe`) show, the words that name
 * them (kubectl-style singulars, plurals and short names) and the checks on names and
 * namespaces given on the command line.
 */
import type { ResourceRef } from '../client/resource-path.js';
import {
  CLUSTERS,
  CLUSTER_RESOURCE_BINDINGS,
  RESOURCE_BINDINGS,
  WORKS,
} from '../client/flotilla-resources.js';
import { isDNS1123Label, isValidPathSegmentName } from '../api/validation/names.js';
import { UsageError } from './flags.js';

/** A kind the fleet commands show: `bindings` are ResourceBindings, `clusterbindings` ClusterResourceBindings. */
export type FleetResource = 'clusters' | 'bindings' | 'clusterbindings' | 'works';

const ALIASES: Readonly<Record<string, FleetResource>> = {
  clusters: 'clusters',
  cluster: 'clusters',
  bindings: 'bindings',
  binding: 'bindings',
  resourcebindings: 'bindings',
  resourcebinding: 'bindings',
  rb: 'bindings',
  clusterbindings: 'clusterbindings',
  clusterbinding: 'clusterbindings',
  clusterresourcebindings: 'clusterbindings',
  clusterresourcebinding: 'clusterbindings',
  crb: 'clusterbindings',
  works: 'works',
  work: 'works',
};

/** Where each kind is served on the hub. */
export const FLEET_REFS: Readonly<Record<FleetResource, ResourceRef>> = {
  clusters: CLUSTERS,
  bindings: RESOURCE_BINDINGS,
  clusterbindings: CLUSTER_RESOURCE_BINDINGS,
  works: WORKS,
};

/** Whether objects of the kind live in a namespace. */
export function isNamespaced(resource: FleetResource): boolean {
  return resource === 'bindings' || resource === 'works';
}

/**
 * The kind `word` names among `allowed`; a missing or unknown word is a `UsageError` listing them.
 */
export function fleetResource(word: string | undefined, allowed: readonly FleetResource[]): FleetResource {
  const found = word === undefined ? undefined : ALIASES[word.toLowerCase()];
  if (found === undefined || !allowed.includes(found))
    throw new UsageError(
      word === undefined
        ? `a resource type is required: one of ${allowed.join(', ')}`
        : `unknown resource type "${word}": one of ${allowed.join(', ')}`,
    );
  return found;
}

/** `name` when it can name an object; a `UsageError` otherwise. */
export function objectName(name: string): string {
  const problem = isValidPathSegmentName(name)[0] ?? (name === '' ? 'must not be empty' : undefined);
  if (problem) throw new UsageError(`invalid name "${name}": ${problem}`);
  return name;
}

/** `namespace` when it is a valid namespace name; a `UsageError` otherwise. */
export function namespaceName(namespace: string): string {
  const problem = isDNS1123Label(namespace)[0];
  if (problem) throw new UsageError(`invalid namespace "${namespace}": ${problem}`);
  return namespace;
}
