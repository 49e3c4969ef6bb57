/**
 * Taints and tolerations as core/v1 defines them (`Toleration.ToleratesTaint`): the matching the
 * TaintToleration and NodeUnschedulable plugins of kube-scheduler use.
 */

import type { Taint, Toleration } from '../../api/taints.js';
import { toleratesTaint } from '../../api/taints.js';

export type { Taint, Toleration } from '../../api/taints.js';

/** The taint kube-scheduler treats `spec.unschedulable` as. */
export const UNSCHEDULABLE_TAINT: Taint = Object.freeze({
  key: 'node.kubernetes.io/unschedulable',
  effect: 'NoSchedule',
});

/** True when some toleration tolerates `taint`. */
export function tolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/**
 * The first taint (in the node's order) with a NoSchedule or NoExecute effect that no toleration
 * tolerates, as the TaintToleration filter reports it; undefined when the pod tolerates them all.
 */
export function firstUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerated(tolerations, taint)) return taint;
  }
  return undefined;
}

/**
 * How many PreferNoSchedule taints the pod does not tolerate; only tolerations whose effect is
 * PreferNoSchedule or empty count, as the TaintToleration score does.
 */
export function intolerablePreferNoSchedule(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): number {
  let count = 0;
  for (const taint of taints) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    const ok = tolerations.some(
      (t) =>
        (t.effect === undefined || t.effect === '' || t.effect === 'PreferNoSchedule') &&
        toleratesTaint(t, taint),
    );
    if (!ok) count++;
  }
  return count;
}
