/**
 * How many more replicas of a workload a cluster can host, from its `status.resourceSummary`
 * (Karmada's general estimator, ../shared/reference/karmada.md §3.4, plus the `continuous` check
 * of API.md):
 * - free pods = allocatable.pods − allocated.pods − allocating.pods (0 when not positive);
 * - for each resource one replica requests: ⌊(allocatable − allocated − allocating) / request⌋,
 *   0 when the cluster does not have the resource at all;
 * - 0 when one replica requests more of some resource than the largest free amount on any one
 *   node (`continuous`): it would fit on no node;
 * - the minimum of all of these. With no requirements, the free pods.
 * CPU is counted in millicores, everything else in whole base units.
 *
 * When preemption is being weighed, `freed` adds what lower-priority replicas would release.
 */
import type { ReplicaRequirements } from '../../api/flotilla/binding.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import type { ResourceAmounts } from '../../api/pod-resources.js';
import { clusterCapacity, parsedRequest } from './cluster-capacity.js';

/** What a cluster would regain if some of its replicas were preempted. */
export interface FreedCapacity {
  /** Resources released, `pods` included. */
  amounts: Readonly<ResourceAmounts>;
  /** The largest one-replica request released, per resource: that much is free on one node. */
  largest: Readonly<ResourceAmounts>;
}

/** Replicas `cluster` can still host of a workload whose replicas need `requirements`. */
export function estimateAvailableReplicas(
  cluster: Cluster,
  requirements: ReplicaRequirements | undefined,
  freed?: FreedCapacity,
): number {
  const { free, continuous } = clusterCapacity(cluster);
  const pods = Math.max(0, (free['pods'] ?? 0) + (freed?.amounts['pods'] ?? 0));
  if (!requirements?.resourceRequest) return pods;
  const request = parsedRequest(requirements.resourceRequest);
  let answer = pods;
  for (const name in request) {
    const amount = request[name] ?? 0;
    if (amount <= 0 || name === 'pods') continue;
    const own = free[name];
    const regained = freed?.amounts[name];
    if (own === undefined && regained === undefined) return 0;
    const available = (own ?? 0) + (regained ?? 0);
    if (available <= 0) return 0;
    if (continuous && Math.max(continuous[name] ?? 0, freed?.largest[name] ?? 0) < amount) return 0;
    answer = Math.min(answer, Math.floor(available / amount));
  }
  return answer;
}
