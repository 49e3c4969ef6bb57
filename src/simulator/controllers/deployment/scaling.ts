/**
 * Syncs that are not rollouts (kube's sync.go): a scaling event or a paused Deployment resizes
 * ReplicaSets without advancing the rollout — the one active ReplicaSet takes the whole size, a
 * saturated new ReplicaSet retires the old ones, and mid-rollout the difference is spread over
 * the active ReplicaSets in proportion to their size (larger first, leftovers to the largest).
 * Also: the paused/resumed Progressing condition, and pruning of old ReplicaSets beyond
 * `revisionHistoryLimit`.
 */
import { isNotFound } from '../../../api/status.js';
import type { ReplicaSet } from '../workload-common/types.js';
import { REPLICASETS, specReplicas } from '../workload-common/types.js';
import { DESIRED_REPLICAS_ANNOTATION, replicasAnnotation } from './annotations.js';
import {
  PROGRESSING,
  Reason,
  getCondition,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  newCondition,
  setCondition,
} from './conditions.js';
import { replicaSetsAndSyncRevision, statusOf } from './new-replica-set.js';
import { syncDeploymentStatus } from './progress.js';
import {
  activeReplicaSets,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  findActiveOrLatest,
  specReplicaSum,
} from './replica-sets.js';
import type { Rollout } from './rollout.js';
import { ROLLING_UPDATE, isSaturated, maxSurge, proportion, strategyType } from './strategy.js';

/** Scales for a scaling event or a paused Deployment, then writes status (sync). */
export async function sync(r: Rollout): Promise<void> {
  const { newRS, oldRSs } = await replicaSetsAndSyncRevision(r, false);
  await scale(r, { newRS, oldRSs });
  if (r.d.spec.paused) await cleanupDeployment(r, oldRSs);
  await syncDeploymentStatus(r, { all: [...oldRSs, newRS], newRS });
}

/** Only recomputes status (a Deployment being deleted). */
export async function syncStatusOnly(r: Rollout): Promise<void> {
  const { newRS, oldRSs } = await replicaSetsAndSyncRevision(r, false);
  await syncDeploymentStatus(r, { all: [...oldRSs, newRS], newRS });
}

/** True when an active ReplicaSet was sized for another `spec.replicas` (isScalingEvent). */
export async function isScalingEvent(r: Rollout): Promise<boolean> {
  const { newRS, oldRSs } = await replicaSetsAndSyncRevision(r, false);
  const replicas = specReplicas(r.d);
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = replicasAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== replicas;
  });
}

/**
 * Records Progressing Unknown DeploymentPaused / DeploymentResumed when `spec.paused` flips, so a
 * Deployment paused longer than its deadline is not reported as stuck once resumed.
 */
export async function checkPausedConditions(r: Rollout): Promise<void> {
  const d = r.d;
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, PROGRESSING);
  if (cond?.reason === Reason.TimedOut) return;
  const pausedRecorded = cond?.reason === Reason.Paused;
  const now = r.nowText();
  if (d.spec.paused && !pausedRecorded)
    setCondition(
      statusOf(d),
      newCondition(PROGRESSING, 'Unknown', { reason: Reason.Paused, message: 'Deployment is paused', now }),
    );
  else if (!d.spec.paused && pausedRecorded)
    setCondition(
      statusOf(d),
      newCondition(PROGRESSING, 'Unknown', { reason: Reason.Resumed, message: 'Deployment is resumed', now }),
    );
  else return;
  await r.updateStatus();
}

async function scale(
  r: Rollout,
  rss: { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] },
): Promise<void> {
  const d = r.d;
  const replicas = specReplicas(d);
  const single = findActiveOrLatest(rss.newRS, rss.oldRSs);
  if (single) {
    if (specReplicas(single) !== replicas) await r.scaleAndRecord(single, replicas);
    return;
  }
  if (isSaturated(d, rss.newRS)) {
    for (const old of activeReplicaSets(rss.oldRSs)) await r.scaleAndRecord(old, 0);
    return;
  }
  if (strategyType(d) !== ROLLING_UPDATE) return;
  const active = activeReplicaSets([...rss.oldRSs, rss.newRS]);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - specReplicaSum(active);
  let operation = '';
  if (toAdd > 0) {
    active.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    active.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const share = proportion(rs, d, { toAdd, added });
    added += share;
    return specReplicas(rs) + share;
  });
  for (const [i, rs] of active.entries()) {
    let size = sizes[i] ?? specReplicas(rs);
    // Whatever rounding left over goes to the largest ReplicaSet.
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    await r.scale(rs, { newScale: size, operation });
  }
}

/**
 * Deletes the oldest old ReplicaSets beyond `revisionHistoryLimit` — only fully scaled-down ones
 * whose controller has caught up (cleanupDeployment).
 */
export async function cleanupDeployment(r: Rollout, oldRSs: readonly ReplicaSet[]): Promise<void> {
  const d = r.d;
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined);
  const diff = cleanable.length - (d.spec.revisionHistoryLimit ?? 0);
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (const rs of cleanable.slice(0, diff)) {
    if (
      (rs.status?.replicas ?? 0) !== 0 ||
      specReplicas(rs) !== 0 ||
      (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)
    )
      continue;
    try {
      await r.deps.client.delete(
        { ...REPLICASETS, namespace: rs.metadata.namespace ?? '' },
        rs.metadata.name ?? '',
        {
          signal: r.signal,
        },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
