/**
 * What one Deployment sync does, in kube's order (syncDeployment after the claim): a Deployment
 * being deleted only gets status; the paused condition is kept current; paused Deployments and
 * scaling events only resize; everything else takes one step of its strategy.
 */
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './scaling.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import type { Rollout } from './rollout.js';
import { RECREATE, ROLLING_UPDATE, strategyType } from './strategy.js';

/** Runs the sync; throws for an unknown strategy type or any failed write. */
export async function syncDeployment(r: Rollout): Promise<void> {
  const d = r.d;
  if (d.metadata.deletionTimestamp !== undefined) return syncStatusOnly(r);
  await checkPausedConditions(r);
  if (d.spec.paused) return sync(r);
  if (await isScalingEvent(r)) return sync(r);
  const type = strategyType(d);
  if (type === RECREATE) return rolloutRecreate(r);
  if (type === ROLLING_UPDATE) return rolloutRolling(r);
  throw new Error(`unexpected deployment strategy type: ${type}`);
}
