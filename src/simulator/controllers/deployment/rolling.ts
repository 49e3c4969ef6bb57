/**
 * The RollingUpdate strategy (kube's rolling.go). Each sync takes one step: grow the new
 * ReplicaSet as far as maxSurge allows; else shrink old ReplicaSets — first their unhealthy
 * replicas, then as far as maxUnavailable allows, counting the new ReplicaSet's unavailable pods
 * against the budget; else, once complete, prune history. Then status.
 */
import type { ReplicaSet } from '../workload-common/types.js';
import { specReplicas } from '../workload-common/types.js';
import { deploymentComplete } from './conditions.js';
import { replicaSetsAndSyncRevision } from './new-replica-set.js';
import { syncRolloutStatus } from './progress.js';
import { activeReplicaSets, availableReplicaSum, byCreation, specReplicaSum } from './replica-sets.js';
import type { Rollout } from './rollout.js';
import { cleanupDeployment } from './scaling.js';
import { maxUnavailable, newRSNewReplicas } from './strategy.js';

/** One step of a rolling update (rolloutRolling). */
export async function rolloutRolling(r: Rollout): Promise<void> {
  const { newRS, oldRSs } = await replicaSetsAndSyncRevision(r, true);
  if (!newRS) throw new Error('new ReplicaSet was neither found nor created');
  const all = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(r, { all, newRS })) return syncRolloutStatus(r, { all, newRS });
  if (await reconcileOldReplicaSets(r, { all, old: activeReplicaSets(oldRSs), newRS }))
    return syncRolloutStatus(r, { all, newRS });
  if (r.d.status && deploymentComplete(r.d, r.d.status)) await cleanupDeployment(r, oldRSs);
  return syncRolloutStatus(r, { all, newRS });
}

async function reconcileNewReplicaSet(
  r: Rollout,
  rss: { all: ReplicaSet[]; newRS: ReplicaSet },
): Promise<boolean> {
  const replicas = specReplicas(r.d);
  const current = specReplicas(rss.newRS);
  if (current === replicas) return false;
  if (current > replicas) return (await r.scaleAndRecord(rss.newRS, replicas)).scaled;
  return (await r.scaleAndRecord(rss.newRS, newRSNewReplicas(r.d, rss.all, rss.newRS))).scaled;
}

async function reconcileOldReplicaSets(
  r: Rollout,
  rss: { all: ReplicaSet[]; old: ReplicaSet[]; newRS: ReplicaSet },
): Promise<boolean> {
  if (specReplicaSum(rss.old) === 0) return false;
  const minAvailable = specReplicas(r.d) - maxUnavailable(r.d);
  const newUnavailable = specReplicas(rss.newRS) - (rss.newRS.status?.availableReplicas ?? 0);
  // Scaling down further must not eat into availability the new pods have not yet provided.
  const maxScaledDown = specReplicaSum(rss.all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(r, { old: rss.old, maxCleanup: maxScaledDown });
  if (cleaned === undefined) return false;
  const scaledDown = await scaleDownOldForRollingUpdate(r, {
    all: [...cleaned.old, rss.newRS],
    old: cleaned.old,
  });
  return cleaned.count + scaledDown > 0;
}

/**
 * Scales old ReplicaSets down by their unavailable replicas, oldest first, at most `maxCleanup`
 * in total (cleanupUnhealthyReplicas): removing them cannot reduce availability. Undefined when a
 * ReplicaSet's status is ahead of its spec (a stale read; kube gives up this step too).
 */
async function cleanupUnhealthyReplicas(
  r: Rollout,
  o: { old: ReplicaSet[]; maxCleanup: number },
): Promise<{ old: ReplicaSet[]; count: number } | undefined> {
  const old = [...o.old].sort(byCreation);
  let total = 0;
  for (const [i, rs] of old.entries()) {
    if (total >= o.maxCleanup) break;
    const replicas = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(o.maxCleanup - total, replicas - available);
    if (count < 0) {
      r.deps.log.debug(
        { replicaSet: rs.metadata.name, replicas, available },
        'stale ReplicaSet status, not cleaning up',
      );
      return undefined;
    }
    const scaled = await r.scaleAndRecord(rs, replicas - count);
    total += count;
    old[i] = scaled.rs;
  }
  return { old, count: total };
}

/** Scales old ReplicaSets down, oldest first, while availability stays above the minimum. */
async function scaleDownOldForRollingUpdate(
  r: Rollout,
  rss: { all: ReplicaSet[]; old: ReplicaSet[] },
): Promise<number> {
  const minAvailable = specReplicas(r.d) - maxUnavailable(r.d);
  const available = availableReplicaSum(rss.all);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of [...rss.old].sort(byCreation)) {
    if (total >= budget) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const count = Math.min(replicas, budget - total);
    await r.scaleAndRecord(rs, replicas - count);
    total += count;
  }
  return total;
}
