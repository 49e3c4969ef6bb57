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
 */
import type { ReplicaRequirements } from '../../api/flotilla/binding.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import { clusterCapacity, parsedRequest } from './cluster-capacity.js';

/** Replicas `cluster` can still host of a workload whose replicas need `requirements`. */
export function estimateAvailableReplicas(
  cluster: Cluster,
  requirements: ReplicaRequirements | undefined,
): number {
  const { free, continuous } = clusterCapacity(cluster);
  const pods = Math.max(0, free['pods'] ?? 0);
  if (!requirements?.resourceRequest) return pods;
  const request = parsedRequest(requirements.resourceRequest);
  let answer = pods;
  for (const name in request) {
    const amount = request[name] ?? 0;
    if (amount <= 0 || name === 'pods') continue;
    const available = free[name];
    if (available === undefined || available <= 0) return 0;
    if (continuous && (continuous[name] ?? 0) < amount) return 0;
    answer = Math.min(answer, Math.floor(available / amount));
  }
  return answer;
}
