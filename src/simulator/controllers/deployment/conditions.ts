/**
 * Deployment conditions and the rollout predicates built on them (kube's deploymentutil): the
 * reasons and messages `kubectl rollout status` and `kubectl describe` show, `lastUpdateTime` /
 * `lastTransitionTime` semantics, completeness, progress and the progress deadline.
 */
import type { Deployment, DeploymentCondition, DeploymentStatus } from '../workload-common/types.js';
import { specReplicas } from '../workload-common/types.js';

/** Condition type: at least `replicas - maxUnavailable` pods are available. */
export const AVAILABLE = 'Available';
/** Condition type: how the current rollout is doing. */
export const PROGRESSING = 'Progressing';
/** Condition type: a ReplicaSet cannot create or delete pods (copied from it). */
export const REPLICA_FAILURE = 'ReplicaFailure';

/** Condition reasons, exactly as kube's. */
export const Reason = {
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

const MAX_INT32 = 2 ** 31 - 1;

/** A condition stamped `now` for both times (NewDeploymentCondition), in Go field order. */
export function newCondition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  at: { reason: string; message: string; now: string },
): DeploymentCondition {
  return {
    type,
    status,
    lastUpdateTime: at.now,
    lastTransitionTime: at.now,
    reason: at.reason,
    message: at.message,
  };
}

/** The condition of `type`, if present. */
export function getCondition(
  status: DeploymentStatus | undefined,
  type: string,
): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Puts `cond` into `status` (SetDeploymentCondition): no-op when status and reason are unchanged;
 * keeps the old `lastTransitionTime` when only the reason changed; the condition moves to the end.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return;
  const next = { ...cond };
  if (current && current.status === cond.status && current.lastTransitionTime !== undefined)
    next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

/** Drops the condition of `type`. */
export function removeCondition(status: DeploymentStatus, type: string): void {
  if (status.conditions === undefined) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** `progressDeadlineSeconds` is set and not "infinite" (MaxInt32). */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec.progressDeadlineSeconds;
  return s !== undefined && s !== MAX_INT32;
}

/** `revisionHistoryLimit` is set and not "infinite" (MaxInt32). */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const n = d.spec.revisionHistoryLimit;
  return n !== undefined && n !== MAX_INT32;
}

/** Every replica is updated and available and the latest generation is observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = specReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/**
 * Something moved since the status `d` carries: more updated, ready or available replicas, or
 * fewer old ones (DeploymentProgressing).
 */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** No progress for `progressDeadlineSeconds` since the Progressing condition last moved. */
export function deploymentTimedOut(d: Deployment, next: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(next, PROGRESSING);
  if (!cond) return false;
  // A finished rollout is not re-judged against a deadline long past.
  if (cond.reason === Reason.NewReplicaSetAvailable) return false;
  if (cond.reason === Reason.TimedOut) return true;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 < now;
}
