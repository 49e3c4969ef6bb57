/**
 * ReplicaSet status as kube's `calculateStatus` / `updateReplicaSetStatus` compute it: counts of
 * the pods the ReplicaSet controls (active ones only), the ReplicaFailure condition while
 * creating or deleting pods fails, and `observedGeneration`. Objects are built in the Go field
 * order with zero counts omitted (except `replicas`), so they serialize as kube's do.
 */
import { errorMessage } from '../../../base/errors.js';
import { isPodAvailable, isPodReady } from '../workload-common/pod-state.js';
import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '../workload-common/types.js';
import { specReplicas } from '../workload-common/types.js';

/** The condition type a ReplicaSet reports failed creates or deletes under. */
export const REPLICA_FAILURE = 'ReplicaFailure';

/** What a ReplicaSet's status counts, over the active pods it controls. */
export interface PodCounts {
  replicas: number;
  fullyLabeled: number;
  ready: number;
  available: number;
}

/** Counts `pods` (active ones the ReplicaSet controls) at `now`, as kube's calculateStatus does. */
export function countPods(rs: ReplicaSet, pods: readonly Pod[], now: number): PodCounts {
  const templateLabels = Object.entries(rs.spec.template.metadata?.labels ?? {});
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  const counts: PodCounts = { replicas: pods.length, fullyLabeled: 0, ready: 0, available: 0 };
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    if (templateLabels.every(([k, v]) => labels[k] === v)) counts.fullyLabeled++;
    if (!isPodReady(pod)) continue;
    counts.ready++;
    if (isPodAvailable(pod, minReadySeconds, now)) counts.available++;
  }
  return counts;
}

/**
 * The status `rs` should have given the counts of its pods. `manageError` is the failure of this
 * pass's creates or deletes, if any; `nowText` (RFC 3339, from the Clock) stamps a new condition.
 */
export function calculateReplicaSetStatus(
  rs: ReplicaSet,
  counts: PodCounts,
  at: { manageError?: unknown; nowText: string },
): ReplicaSetStatus {
  let conditions = rs.status?.conditions ?? [];
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (at.manageError !== undefined && failure === undefined) {
    const diff = counts.replicas - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions = setCondition(conditions, {
      type: REPLICA_FAILURE,
      status: 'True',
      lastTransitionTime: at.nowText,
      reason,
      message: errorMessage(at.manageError),
    });
  } else if (at.manageError === undefined && failure !== undefined) {
    conditions = conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  return statusObject({
    replicas: counts.replicas,
    fullyLabeledReplicas: counts.fullyLabeled,
    readyReplicas: counts.ready,
    availableReplicas: counts.available,
    observedGeneration: rs.status?.observedGeneration ?? 0,
    conditions,
  });
}

/** True when writing `next` would change nothing kube compares (counts, conditions, generation). */
export function replicaSetStatusCurrent(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur = rs.status;
  return (
    (cur?.replicas ?? 0) === next.replicas &&
    (cur?.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (cur?.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (cur?.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    (rs.metadata.generation ?? 0) === (cur?.observedGeneration ?? 0) &&
    JSON.stringify(cur?.conditions ?? []) === JSON.stringify(next.conditions ?? [])
  );
}

/** `status` with `observedGeneration` set to the ReplicaSet's generation, in Go field order. */
export function withObservedGeneration(status: ReplicaSetStatus, generation: number): ReplicaSetStatus {
  return statusObject({ ...status, observedGeneration: generation });
}

/** Go's field order, zero values omitted (`replicas` has no omitempty). */
function statusObject(s: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: s.replicas };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions !== undefined && s.conditions.length > 0) out.conditions = s.conditions;
  return out;
}

/** Replaces the condition of the same type unless status and reason are unchanged. */
function setCondition(conditions: ReplicaSetCondition[], cond: ReplicaSetCondition): ReplicaSetCondition[] {
  const current = conditions.find((c) => c.type === cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return conditions;
  return [...conditions.filter((c) => c.type !== cond.type), cond];
}
