/**
 * The status a binding gets after a scheduling attempt: the `Scheduled` condition (its transition
 * time kept while the status stays the same), `lastScheduledTime` on success, the observed
 * generation, the cluster-affinity term in use, and a bounded `schedulingHistory` (newest first)
 * that gains an entry whenever the outcome differs from the newest one, and for every rebalance.
 */
import type {
  ResourceBindingStatus,
  SchedulingHistoryEntry,
  TargetCluster,
} from '../api/flotilla/binding.js';
import type { Condition } from '../api/flotilla/cluster.js';
import type { ResourceBinding } from '../api/flotilla/binding.js';
import type { ScheduleResult } from './core/schedule.js';

/** Entries kept in `status.schedulingHistory`. */
export const HISTORY_LIMIT = 10;

/** Why a binding was (re)scheduled, as `schedulingHistory[].trigger` records it. */
export type ScheduleTrigger =
  | 'Initial'
  | 'SpecChange'
  | 'Rebalance'
  | 'Retry'
  | 'ClusterChange'
  | 'Preemption'
  | 'ClusterFailover'
  | 'ApplicationFailover';

export interface StatusInput {
  result: ScheduleResult;
  /** The decision now in `spec.clusters` (the previous one when this attempt failed). */
  clusters: readonly TargetCluster[];
  trigger: ScheduleTrigger;
  /** RFC 3339 time of the attempt. */
  now: string;
  /** `metadata.generation` of the binding after the decision was written. */
  generation: number;
  /** Failed clusters the workload returns to when they recover (rebalanceOnRecovery). */
  awaitingRecovery?: string[];
}

/** The new status from the previous one and this attempt. */
export function scheduledStatus(
  prev: ResourceBindingStatus | undefined,
  input: StatusInput,
): ResourceBindingStatus {
  const { result, now } = input;
  const conditions = (prev?.conditions ?? []).filter((c) => c.type !== 'Scheduled');
  const old = prev?.conditions?.find((c) => c.type === 'Scheduled');
  const status: Condition['status'] = result.scheduled ? 'True' : 'False';
  conditions.push({
    type: 'Scheduled',
    status,
    reason: result.reason,
    message: result.message,
    lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : now,
    observedGeneration: input.generation,
  });
  const entry: SchedulingHistoryEntry = {
    time: now,
    reason: result.reason,
    message: result.message,
    clusters: input.clusters.map((c) => ({ ...c })),
    trigger: input.trigger,
    ...(input.awaitingRecovery?.length ? { awaitingRecovery: [...input.awaitingRecovery] } : {}),
  };
  const history = prev?.schedulingHistory ?? [];
  const newest = history[0];
  // A rebalance was asked for: it is recorded even when it changed nothing.
  const same =
    input.trigger !== 'Rebalance' &&
    newest !== undefined &&
    newest.reason === entry.reason &&
    newest.message === entry.message &&
    sameTargets(newest.clusters, entry.clusters) &&
    (newest.awaitingRecovery ?? []).join() === (entry.awaitingRecovery ?? []).join();
  const affinity = result.scheduled ? result.affinityName : prev?.schedulerObservingAffinityName;
  return {
    ...prev,
    conditions,
    ...(result.scheduled ? { lastScheduledTime: now } : {}),
    schedulerObservedGeneration: input.generation,
    ...(affinity ? { schedulerObservingAffinityName: affinity } : {}),
    schedulingHistory: same ? history : [entry, ...history].slice(0, HISTORY_LIMIT),
  };
}

/** True when two decisions name the same clusters with the same replicas, in the same order. */
export function sameTargets(a: readonly TargetCluster[], b: readonly TargetCluster[]): boolean {
  return a.length === b.length && a.every((t, i) => t.name === b[i]?.name && t.replicas === b[i]?.replicas);
}

/**
 * The outcome the scheduler records for a dependency's binding (no placement of its own, placed
 * by the detector where the workloads that need it are), so it reads Scheduled like the others.
 */
export function dependencyResult(binding: ResourceBinding): ScheduleResult {
  const requirers = (binding.spec.requiredBy ?? []).map((r) =>
    r.namespace ? `${r.namespace}/${r.name}` : r.name,
  );
  return {
    scheduled: true,
    reason: 'Success',
    message: `Placed with the workloads that need it: ${requirers.join(', ')}.`,
    clusters: [...(binding.spec.clusters ?? [])],
    candidates: [],
    strategy: 'Duplicated',
  };
}
