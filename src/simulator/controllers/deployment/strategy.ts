/**
 * Rolling-update arithmetic (kube's deploymentutil): maxSurge rounds up, maxUnavailable rounds
 * down, both 0 → 1 unavailable; how far the new ReplicaSet may grow; when it is saturated; and the
 * proportional share of a scale event each ReplicaSet gets mid-rollout.
 */
import type { Deployment, IntOrString, ReplicaSet } from '../workload-common/types.js';
import { specReplicas } from '../workload-common/types.js';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, replicasAnnotation } from './annotations.js';
import { specReplicaSum } from './replica-sets.js';

/** Strategy type: replace pods gradually within maxSurge / maxUnavailable. */
export const ROLLING_UPDATE = 'RollingUpdate';
/** Strategy type: remove every old pod before starting new ones. */
export const RECREATE = 'Recreate';

/** The strategy type (the API server defaults it to RollingUpdate). */
export function strategyType(d: Deployment): string {
  return d.spec.strategy?.type ?? ROLLING_UPDATE;
}

/**
 * An int-or-percent scaled against `total` (intstr.GetScaledValueFromIntOrPercent). Throws for a
 * string that is not a percentage.
 */
export function scaledValue(value: IntOrString | undefined, o: { total: number; roundUp: boolean }): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(-?\d+)%$/.exec(value);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const scaled = (Number(m[1]) * o.total) / 100;
  return o.roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** [maxSurge, maxUnavailable] for `desired` replicas; never both 0 (ResolveFenceposts). */
export function resolveFenceposts(d: Deployment, desired: number): [number, number] {
  const ru = d.spec.strategy?.rollingUpdate;
  const surge = scaledValue(ru?.maxSurge, { total: desired, roundUp: true });
  let unavailable = scaledValue(ru?.maxUnavailable, { total: desired, roundUp: false });
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

/** Extra pods a rolling update may run (0 for Recreate or an invalid value). */
export function maxSurge(d: Deployment): number {
  if (strategyType(d) !== ROLLING_UPDATE) return 0;
  try {
    return resolveFenceposts(d, specReplicas(d))[0];
  } catch {
    return 0;
  }
}

/** Pods a rolling update may have unavailable, at most `spec.replicas` (0 for Recreate). */
export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (strategyType(d) !== ROLLING_UPDATE || replicas === 0) return 0;
  try {
    return Math.min(resolveFenceposts(d, replicas)[1], replicas);
  } catch {
    return 0;
  }
}

/** The size the new ReplicaSet should grow to now (NewRSNewReplicas). Throws for a bad maxSurge. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = specReplicas(d);
  const type = strategyType(d);
  if (type === RECREATE) return replicas;
  if (type !== ROLLING_UPDATE) throw new Error(`deployment type ${type} isn't supported`);
  const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge, { total: replicas, roundUp: true });
  const current = specReplicaSum(allRSs);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return specReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - specReplicas(newRS));
  return specReplicas(newRS) + scaleUp;
}

/** The new ReplicaSet runs the whole Deployment, all available (IsSaturated). */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = replicasAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  if (desired === undefined) return false;
  const replicas = specReplicas(d);
  return (
    specReplicas(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas
  );
}

/**
 * How many replicas `rs` gains (or loses, when negative) of a scale event of `toAdd`, given
 * `added` already handed out (GetProportion): its share of the new size, capped by what is left.
 */
export function proportion(rs: ReplicaSet, d: Deployment, o: { toAdd: number; added: number }): number {
  if (specReplicas(rs) === 0 || o.toAdd === 0 || o.toAdd === o.added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = o.toAdd - o.added;
  return o.toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (specReplicas(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = specReplicas(d) + maxSurge(d);
  // Without the annotation, the Deployment's current size is the best estimate of the old one.
  const annotated = replicasAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  if (annotated <= 0) return 0;
  const size = (specReplicas(rs) * deploymentReplicas) / annotated;
  return roundHalfAway(size) - specReplicas(rs);
}

function roundHalfAway(x: number): number {
  return x < 0 ? Math.trunc(x - 0.5) : Math.trunc(x + 0.5);
}
