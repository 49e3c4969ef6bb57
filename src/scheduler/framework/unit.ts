/**
 * A ResourceBinding as the scheduler sees it: the scheduling unit, and whether this decision is
 * Fresh (a reschedule was requested after the last decision: `rescheduleTriggeredAt` later than
 * `lastScheduledTime`) or Steady.
 */
import type { ResourceBinding } from '../../api/flotilla/binding.js';
import { rebalanceRequested } from '../../api/flotilla/rebalance.js';
import type { SchedulingUnit } from './interface.js';

/** The scheduling unit of `binding` and whether to divide from scratch. */
export function unitFromBinding(binding: ResourceBinding): { unit: SchedulingUnit; fresh: boolean } {
  const { spec, status } = binding;
  const requirements = spec.replicaRequirements;
  const unit: SchedulingUnit = {
    apiVersion: spec.resource.apiVersion,
    kind: spec.resource.kind,
    namespace: spec.resource.namespace ?? '',
    uid: spec.resource.uid ?? '',
    replicas: spec.replicas ?? 0,
    ...(requirements && Object.keys(requirements).length > 0 ? { requirements } : {}),
    placement: spec.placement ?? {},
    previous: spec.clusters ?? [],
    ...(status?.schedulerObservingAffinityName
      ? { observedAffinityName: status.schedulerObservingAffinityName }
      : {}),
    ...(spec.gracefulEvictionTasks?.length
      ? { evictedFrom: spec.gracefulEvictionTasks.map((t) => t.fromCluster) }
      : {}),
  };
  return { unit, fresh: rebalanceRequested(binding) };
}
