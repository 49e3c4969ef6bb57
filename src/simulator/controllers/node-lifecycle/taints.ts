/**
 * Taints and tolerations as the node lifecycle controller and the NoExecute taint manager use
 * them (pkg/controller/nodelifecycle, pkg/apis/core/v1/helper): which NoSchedule taints a
 * node's conditions call for, whether a toleration tolerates a taint, and which tolerations a
 * pod uses against a node's NoExecute taints.
 */

import type { Taint, Toleration } from '../../../api/taints.js';
import { toleratesTaint } from '../../../api/taints.js';

export type { Taint, Toleration } from '../../../api/taints.js';

/** Taint key of a node whose kubelet reports Ready=False. */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
/** Taint key of a node whose kubelet went silent (Ready=Unknown). */
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** Taint key of a cordoned node (`spec.unschedulable`). */
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Condition type → condition status → the NoSchedule taint key it calls for. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};

const MANAGED_NO_SCHEDULE = new Set([
  ...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)),
  TAINT_UNSCHEDULABLE,
]);

/** The NoSchedule taint keys a node with `conditions` (and `unschedulable`) should carry. */
export function conditionTaintKeys(
  conditions: readonly { type: string; status: string }[],
  unschedulable: boolean,
): string[] {
  const keys: string[] = [];
  for (const c of conditions) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key !== undefined) keys.push(key);
  }
  if (unschedulable) keys.push(TAINT_UNSCHEDULABLE);
  return keys;
}

/**
 * `taints` with the controller-managed NoSchedule taints made equal to `wanted` (new ones get
 * `timeAdded`), or undefined when nothing changes. Other taints are kept as they are.
 */
export function withNoScheduleTaints(
  taints: readonly Taint[],
  wanted: readonly string[],
  timeAdded: string,
): Taint[] | undefined {
  const managed = (t: Taint): boolean => t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key);
  const have = new Set(taints.filter(managed).map((t) => t.key));
  const want = new Set(wanted);
  if (have.size === want.size && [...want].every((k) => have.has(k))) return undefined;
  const kept = taints.filter((t) => !managed(t) || want.has(t.key));
  const added = [...want]
    .filter((k) => !have.has(k))
    .map((key) => ({ key, effect: 'NoSchedule', timeAdded }));
  return [...kept, ...added];
}

/** True when `taints` holds a taint with `key` and `effect`. */
export function hasTaint(taints: readonly Taint[], key: string, effect: string): boolean {
  return taints.some((t) => t.key === key && t.effect === effect);
}

/**
 * For each taint, the first toleration that tolerates it (GetMatchingTolerations); undefined when
 * some taint is not tolerated.
 */
export function matchingTolerations(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): { taint: Taint; toleration: Toleration }[] | undefined {
  const used: { taint: Taint; toleration: Toleration }[] = [];
  for (const taint of taints) {
    const toleration = tolerations.find((t) => toleratesTaint(t, taint));
    if (!toleration) return undefined;
    used.push({ taint, toleration });
  }
  return used;
}
