/**
 * Deployment status (kube's calculateStatus / syncDeploymentStatus / syncRolloutStatus /
 * requeueStuckDeployment): replica counts summed over the ReplicaSets, Available by
 * `maxUnavailable`, and — during rollouts with a progress deadline — Progressing
 * ReplicaSetUpdated while anything moves (only `lastUpdateTime` advances), NewReplicaSetAvailable
 * once complete, ProgressDeadlineExceeded when nothing moved for `progressDeadlineSeconds`.
 * ReplicaFailure conditions of the ReplicaSets are surfaced on the Deployment. Status is written
 * only when it changed; a rollout that is not done asks to be looked at again at its deadline.
 */
import { jsonEqual } from '../../../api/json-equal.js';
import type { JsonValue } from '../../../api/meta.js';
import type { DeploymentCondition, DeploymentStatus, ReplicaSet } from '../workload-common/types.js';
import { specReplicas } from '../workload-common/types.js';
import {
  AVAILABLE,
  PROGRESSING,
  REPLICA_FAILURE,
  Reason,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  removeCondition,
  setCondition,
} from './conditions.js';
import { actualReplicaSum, availableReplicaSum, readyReplicaSum, specReplicaSum } from './replica-sets.js';
import type { Rollout } from './rollout.js';
import { maxUnavailable } from './strategy.js';

/** The status the ReplicaSets imply, with the Available condition (calculateStatus). */
export function calculateStatus(
  r: Rollout,
  rss: { all: (ReplicaSet | undefined)[]; newRS: ReplicaSet | undefined },
): DeploymentStatus {
  const d = r.d;
  const available = availableReplicaSum(rss.all);
  const unavailable = Math.max(0, specReplicaSum(rss.all) - available);
  const counts: [keyof DeploymentStatus, number][] = [
    ['observedGeneration', d.metadata.generation ?? 0],
    ['replicas', actualReplicaSum(rss.all)],
    ['updatedReplicas', actualReplicaSum([rss.newRS])],
    ['readyReplicas', readyReplicaSum(rss.all)],
    ['availableReplicas', available],
    ['unavailableReplicas', unavailable],
  ];
  // Go field order, zero counts omitted, as kube serializes DeploymentStatus.
  const status: DeploymentStatus = {};
  for (const [k, v] of counts) if (v !== 0) (status as Record<string, number>)[k] = v;
  status.conditions = [...(d.status?.conditions ?? [])];
  const at = { now: r.nowText() };
  if (available >= specReplicas(d) - maxUnavailable(d))
    setCondition(
      status,
      newCondition(AVAILABLE, 'True', {
        ...at,
        reason: Reason.MinimumReplicasAvailable,
        message: 'Deployment has minimum availability.',
      }),
    );
  else
    setCondition(
      status,
      newCondition(AVAILABLE, 'False', {
        ...at,
        reason: Reason.MinimumReplicasUnavailable,
        message: 'Deployment does not have minimum availability.',
      }),
    );
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  return status;
}

/** Writes the calculated status if it differs (syncDeploymentStatus: scaling and paused syncs). */
export async function syncDeploymentStatus(
  r: Rollout,
  rss: { all: (ReplicaSet | undefined)[]; newRS: ReplicaSet | undefined },
): Promise<void> {
  const next = calculateStatus(r, latest(r, rss));
  if (sameStatus(r.d.status, next)) return;
  r.d.status = next;
  await r.updateStatus();
}

/** Writes the status of a rollout, with progress estimation (syncRolloutStatus). */
export async function syncRolloutStatus(
  r: Rollout,
  rss: { all: (ReplicaSet | undefined)[]; newRS: ReplicaSet | undefined },
): Promise<void> {
  const d = r.d;
  const current = latest(r, rss);
  const next = calculateStatus(r, current);
  if (!hasProgressDeadline(d)) removeCondition(next, PROGRESSING);
  const currentCond = getCondition(d.status, PROGRESSING);
  const isComplete =
    (next.replicas ?? 0) === (next.updatedReplicas ?? 0) &&
    currentCond?.reason === Reason.NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const newName = current.newRS?.metadata.name;
    const at = { now: r.nowText() };
    if (deploymentComplete(d, next)) {
      const message =
        newName !== undefined
          ? `ReplicaSet "${newName}" has successfully progressed.`
          : `Deployment "${d.metadata.name ?? ''}" has successfully progressed.`;
      setCondition(
        next,
        newCondition(PROGRESSING, 'True', { ...at, reason: Reason.NewReplicaSetAvailable, message }),
      );
    } else if (deploymentProgressing(d, next)) {
      const message =
        newName !== undefined
          ? `ReplicaSet "${newName}" is progressing.`
          : `Deployment "${d.metadata.name ?? ''}" is progressing.`;
      const cond = newCondition(PROGRESSING, 'True', { ...at, reason: Reason.ReplicaSetUpdated, message });
      // Progress moves lastUpdateTime even when the reason stays the same.
      if (currentCond) {
        if (currentCond.status === 'True' && currentCond.lastTransitionTime !== undefined)
          cond.lastTransitionTime = currentCond.lastTransitionTime;
        removeCondition(next, PROGRESSING);
      }
      setCondition(next, cond);
    } else if (deploymentTimedOut(d, next, r.now())) {
      const message =
        newName !== undefined
          ? `ReplicaSet "${newName}" has timed out progressing.`
          : `Deployment "${d.metadata.name ?? ''}" has timed out progressing.`;
      setCondition(next, newCondition(PROGRESSING, 'False', { ...at, reason: Reason.TimedOut, message }));
    }
  }
  const failure = replicaFailures(current.all, current.newRS)[0];
  if (failure) setCondition(next, failure);
  else removeCondition(next, REPLICA_FAILURE);
  if (sameStatus(d.status, next)) {
    r.requeueAfterMs = stuckRequeue(r, next);
    return;
  }
  d.status = next;
  await r.updateStatus();
}

/**
 * When to look at a rollout again to check its deadline (requeueStuckDeployment): at
 * lastUpdateTime + progressDeadlineSeconds (+1s of slack); undefined when there is nothing to check.
 */
function stuckRequeue(r: Rollout, next: DeploymentStatus): number | undefined {
  const d = r.d;
  const cond = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !cond) return undefined;
  if (deploymentComplete(d, next) || cond.reason === Reason.TimedOut) return undefined;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return undefined;
  const after = from + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - r.now();
  return Math.max(after, 0) + 1000;
}

/** ReplicaFailure conditions of the new ReplicaSet, else of any (getReplicaFailures). */
function replicaFailures(
  all: (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
): DeploymentCondition[] {
  const of = (rs: ReplicaSet | undefined): DeploymentCondition[] =>
    (rs?.status?.conditions ?? [])
      .filter((c) => c.type === REPLICA_FAILURE)
      .map((c) => ({
        type: c.type,
        status: c.status,
        ...(c.lastTransitionTime !== undefined
          ? { lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime }
          : {}),
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
        ...(c.message !== undefined ? { message: c.message } : {}),
      }));
  const fromNew = of(newRS);
  return fromNew.length > 0 ? fromNew : all.flatMap(of);
}

/** The ReplicaSets as last written in this sync (scales earlier in the sync change `spec.replicas`). */
function latest(
  r: Rollout,
  rss: { all: (ReplicaSet | undefined)[]; newRS: ReplicaSet | undefined },
): { all: (ReplicaSet | undefined)[]; newRS: ReplicaSet | undefined } {
  const byUid = new Map(r.rsList.map((rs) => [rs.metadata.uid, rs]));
  const fresh = (rs: ReplicaSet | undefined): ReplicaSet | undefined =>
    rs ? (byUid.get(rs.metadata.uid) ?? rs) : undefined;
  return { all: rss.all.map(fresh), newRS: fresh(rss.newRS) };
}

function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  const norm = (s: DeploymentStatus | undefined): JsonValue => {
    const { conditions, ...rest } = s ?? {};
    return {
      ...rest,
      ...(conditions && conditions.length > 0 ? { conditions } : {}),
    } as unknown as JsonValue;
  };
  return jsonEqual(norm(a), norm(b));
}
