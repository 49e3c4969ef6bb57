/**
 * A cluster's resource summary parsed once: free amounts (allocatable − allocated − allocating,
 * or `available` when allocatable is absent), the largest free amounts on one node, and the
 * committed fraction of cpu and memory. Cached per Cluster object: informer objects are never
 * mutated (an update replaces the object), so the cache never goes stale.
 */
import type { Cluster, ResourceSummary } from '../../api/flotilla/cluster.js';
import { resourceAmounts } from '../../api/pod-resources.js';
import type { ResourceAmounts, ResourceList } from '../../api/pod-resources.js';

export interface ClusterCapacity {
  free: Readonly<ResourceAmounts>;
  continuous?: Readonly<ResourceAmounts>;
  /** Mean committed fraction of cpu and memory (0..1); undefined when either is not reported. */
  committed?: number;
}

const cache = new WeakMap<Cluster, ClusterCapacity>();
const requests = new WeakMap<ResourceList, Readonly<ResourceAmounts>>();

/** The parsed capacity of `cluster`. */
export function clusterCapacity(cluster: Cluster): ClusterCapacity {
  let capacity = cache.get(cluster);
  if (!capacity) {
    capacity = parse(cluster.status?.resourceSummary);
    cache.set(cluster, capacity);
  }
  return capacity;
}

/** A parsed resource request (cached per request object). */
export function parsedRequest(list: ResourceList): Readonly<ResourceAmounts> {
  let amounts = requests.get(list);
  if (!amounts) {
    amounts = resourceAmounts(list);
    requests.set(list, amounts);
  }
  return amounts;
}

function parse(summary: ResourceSummary | undefined): ClusterCapacity {
  if (!summary) return { free: {} };
  const continuous = summary.continuous ? resourceAmounts(summary.continuous) : undefined;
  if (!summary.allocatable)
    return { free: resourceAmounts(summary.available), ...(continuous ? { continuous } : {}) };
  const allocatable = resourceAmounts(summary.allocatable);
  const used: ResourceAmounts = {};
  for (const list of [summary.allocated, summary.allocating]) {
    const amounts = resourceAmounts(list);
    for (const name in amounts) used[name] = (used[name] ?? 0) + (amounts[name] ?? 0);
  }
  const free: ResourceAmounts = {};
  for (const name in allocatable) free[name] = (allocatable[name] ?? 0) - (used[name] ?? 0);
  let committed: number | undefined = 0;
  for (const r of ['cpu', 'memory']) {
    const total = allocatable[r] ?? 0;
    if (total <= 0) {
      committed = undefined;
      break;
    }
    committed += Math.min(1, (used[r] ?? 0) / total) / 2;
  }
  return { free, ...(continuous ? { continuous } : {}), ...(committed !== undefined ? { committed } : {}) };
}
