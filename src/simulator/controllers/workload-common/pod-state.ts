/**
 * Pod predicates shared by the workload controllers, as kube's `podutil` and `controller` packages
 * define them: active, ready, available (ready for at least `minReadySeconds`).
 */
import type { Pod } from './types.js';

/** Not terminal (Succeeded/Failed) and not being deleted (controller.IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

/** The Ready condition is True (podutil.IsPodReady). */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod last became Ready, in ms since the epoch; undefined when not ready or unknown. */
export function podReadyTime(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (ready?.lastTransitionTime === undefined) return undefined;
  const ms = Date.parse(ready.lastTransitionTime);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Ready, and (when `minReadySeconds` > 0) Ready for strictly longer than `minReadySeconds` at `now`
 * (podutil.IsPodAvailable: a ready pod without a transition time is not available yet).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/** `namespace/name` of a pod (controller.PodKey). */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
