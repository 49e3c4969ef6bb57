/**
 * The Recreate strategy (kube's recreate.go): scale every old ReplicaSet to 0, wait until none of
 * their pods is left running (terminal pods do not count), only then create or scale up the new
 * ReplicaSet — old and new pods never run side by side.
 */
import { CONTROLLER_UID_INDEX } from '../workload-common/ownership.js';
import type { ReplicaSet } from '../workload-common/types.js';
import { specReplicas } from '../workload-common/types.js';
import { deploymentComplete } from './conditions.js';
import { replicaSetsAndSyncRevision } from './new-replica-set.js';
import { syncRolloutStatus } from './progress.js';
import { activeReplicaSets, actualReplicaSum } from './replica-sets.js';
import type { Rollout } from './rollout.js';
import { cleanupDeployment } from './scaling.js';

/** One step of a Recreate rollout (rolloutRecreate). */
export async function rolloutRecreate(r: Rollout): Promise<void> {
  let { newRS, oldRSs } = await replicaSetsAndSyncRevision(r, false);
  let all = [...oldRSs, newRS];
  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) if ((await r.scaleAndRecord(rs, 0)).scaled) scaledDown = true;
  if (scaledDown || oldPodsRunning(r, { newRS, oldRSs })) return syncRolloutStatus(r, { all, newRS });
  if (!newRS) {
    ({ newRS, oldRSs } = await replicaSetsAndSyncRevision(r, true));
    all = [...oldRSs, newRS];
  }
  if (newRS) await r.scaleAndRecord(newRS, specReplicas(r.d));
  if (r.d.status && deploymentComplete(r.d, r.d.status)) await cleanupDeployment(r, oldRSs);
  return syncRolloutStatus(r, { all, newRS });
}

/** Old ReplicaSets report pods, or any pod of theirs is not terminal yet (oldPodsRunning). */
function oldPodsRunning(r: Rollout, rss: { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }): boolean {
  if (actualReplicaSum(rss.oldRSs) > 0) return true;
  for (const rs of r.rsList) {
    if (rss.newRS && rs.metadata.uid === rss.newRS.metadata.uid) continue;
    for (const pod of r.deps.pods.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid ?? '')) {
      const phase = pod.status?.phase;
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}
