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
import type { Cluster, ResourceSummary } from '../../api/flotilla/cluster.js';
import { resourceAmounts } from '../../api/pod-resources.js';
import type { ResourceAmounts } from '../../api/pod-resources.js';

/** Replicas `cluster` can still host of a workload whose replicas need `requirements`. */
export function estimateAvailableReplicas(
  cluster: Cluster,
  requirements: ReplicaRequirements | undefined,
): number {
  const summary = cluster.status?.resourceSummary;
  const free = freeAmounts(summary);
  const pods = Math.max(0, free['pods'] ?? 0);
  if (!requirements?.resourceRequest) return pods;
  const request = resourceAmounts(requirements.resourceRequest);
  const continuous = summary?.continuous ? resourceAmounts(summary.continuous) : undefined;
  let answer = pods;
  for (const [name, amount] of Object.entries(request)) {
    if (amount <= 0 || name === 'pods') continue;
    const available = free[name];
    if (available === undefined || available <= 0) return 0;
    if (continuous && (continuous[name] ?? 0) < amount) return 0;
    answer = Math.min(answer, Math.floor(available / amount));
  }
  return answer;
}

/** allocatable − allocated − allocating per resource; `available` when allocatable is absent. */
function freeAmounts(summary: ResourceSummary | undefined): ResourceAmounts {
  if (!summary) return {};
  if (!summary.allocatable) return resourceAmounts(summary.available);
  const free = resourceAmounts(summary.allocatable);
  for (const used of [summary.allocated, summary.allocating]) {
    const amounts = resourceAmounts(used);
    for (const name in amounts) if (name in free) free[name] = (free[name] ?? 0) - (amounts[name] ?? 0);
  }
  return free;
}
