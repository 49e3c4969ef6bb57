/**
 * How a manifest steers the simulated kubelet, for failover and batch tests. Annotations win over
 * image names. Nothing else about a pod is special in the simulator.
 *
 * - `sim.flotilla.io/behavior: crash-loop` (or an image named `flotilla/crashloop[:tag]`): the
 *   containers start, exit after a few seconds and restart with kubelet's back-off; the pod is
 *   never Ready and its restart counts grow.
 * - `sim.flotilla.io/behavior: never-ready` (or `flotilla/never-ready`): Running, never Ready.
 * - `sim.flotilla.io/behavior: fail`: a run-to-completion pod exits 1 (phase Failed).
 * - `sim.flotilla.io/run-seconds: N`: a run-to-completion pod (restartPolicy Never or OnFailure)
 *   succeeds N seconds after it started (default: the kubelet's `jobRunSeconds`).
 */
import type { KubeObject } from '../api/meta.js';

export const BEHAVIOR_ANNOTATION = 'sim.flotilla.io/behavior';
export const RUN_SECONDS_ANNOTATION = 'sim.flotilla.io/run-seconds';

/** What the simulated containers of a pod do. */
export type PodBehavior = 'normal' | 'crash-loop' | 'never-ready' | 'fail';

interface PodSpecLike {
  containers?: { image?: string }[];
}

/** The behaviour a pod asks for. */
export function podBehavior(pod: KubeObject): PodBehavior {
  const annotated = pod.metadata.annotations?.[BEHAVIOR_ANNOTATION];
  if (annotated === 'crash-loop' || annotated === 'never-ready' || annotated === 'fail') return annotated;
  const images = ((pod['spec'] as PodSpecLike | undefined)?.containers ?? []).map((c) => c.image ?? '');
  if (images.some((i) => /^(?:[^/]+\/)*flotilla\/crashloop(?::|$)/.test(i))) return 'crash-loop';
  if (images.some((i) => /^(?:[^/]+\/)*flotilla\/never-ready(?::|$)/.test(i))) return 'never-ready';
  return 'normal';
}

/** Seconds a run-to-completion pod runs, from its annotation (undefined when absent or invalid). */
export function podRunSeconds(pod: KubeObject): number | undefined {
  const text = pod.metadata.annotations?.[RUN_SECONDS_ANNOTATION];
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
