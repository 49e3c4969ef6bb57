/**
 * The Ready condition and health taints of a cluster after a probe, with a grace period: a
 * cluster that was Ready stays Ready until probes have failed for `graceMs` since the last
 * success; then Ready becomes False (`ClusterNotReady`: the API server answered but is not ready)
 * or Unknown (`ClusterNotReachable`: no answer). A cluster never seen healthy gets the verdict at
 * once. Unhealthy clusters carry the `not-ready` / `unreachable` NoSchedule taint, and after an
 * eviction delay its NoExecute twin. Pure.
 */
import type { Condition } from '../../api/flotilla/cluster.js';
import { TAINT_CLUSTER_NOT_READY, TAINT_CLUSTER_UNREACHABLE } from '../../api/flotilla/cluster.js';
import type { Taint } from '../../api/taints.js';

/** What one probe found. */
export type ProbeOutcome =
  { kind: 'ready' } | { kind: 'not-ready'; message: string } | { kind: 'unreachable'; message: string };

export interface HealthInput {
  probe: ProbeOutcome;
  previous: Condition | undefined;
  /** When the last successful probe happened (ms; undefined: never in this process). */
  lastSuccessMs: number | undefined;
  nowMs: number;
  graceMs: number;
}

/** The Ready condition after the probe (its transition time kept when the status is unchanged). */
export function readyCondition(input: HealthInput): Condition {
  const { probe, previous, nowMs } = input;
  const now = new Date(nowMs).toISOString();
  const withTime = (c: Omit<Condition, 'lastTransitionTime'>): Condition => ({
    ...c,
    lastTransitionTime:
      previous?.status === c.status && previous.lastTransitionTime ? previous.lastTransitionTime : now,
  });
  if (probe.kind === 'ready')
    return withTime({
      type: 'Ready',
      status: 'True',
      reason: 'ClusterReady',
      message: 'cluster is healthy and ready to accept workloads',
    });
  const inGrace =
    previous?.status === 'True' &&
    input.lastSuccessMs !== undefined &&
    nowMs - input.lastSuccessMs < input.graceMs;
  if (inGrace && previous) return previous;
  return probe.kind === 'not-ready'
    ? withTime({ type: 'Ready', status: 'False', reason: 'ClusterNotReady', message: probe.message })
    : withTime({ type: 'Ready', status: 'Unknown', reason: 'ClusterNotReachable', message: probe.message });
}

const HEALTH_TAINTS = new Set([TAINT_CLUSTER_NOT_READY, TAINT_CLUSTER_UNREACHABLE]);

export interface TaintInput {
  ready: Condition;
  nowMs: number;
  /** How long a cluster stays unhealthy before the NoExecute taint (undefined: never). */
  evictionDelayMs?: number;
}

/**
 * `taints` with the health taints for `ready` (kept with their time if already there), others
 * untouched: the `not-ready` / `unreachable` NoSchedule taint while unhealthy, and its NoExecute
 * twin (which evicts workloads that do not tolerate it) once the cluster has been unhealthy for
 * `evictionDelayMs`. `nextMs` is when the taints change next on their own (the NoExecute is due).
 */
export function healthTaints(
  taints: readonly Taint[],
  input: TaintInput,
): { taints: Taint[]; nextMs?: number } {
  const { ready, nowMs, evictionDelayMs } = input;
  const wanted =
    ready.status === 'False'
      ? TAINT_CLUSTER_NOT_READY
      : ready.status === 'Unknown'
        ? TAINT_CLUSTER_UNREACHABLE
        : undefined;
  const since = Date.parse(ready.lastTransitionTime ?? '');
  const evictAt =
    wanted && evictionDelayMs !== undefined
      ? (Number.isNaN(since) ? nowMs : since) + evictionDelayMs
      : undefined;
  const effects = new Set([
    'NoSchedule',
    ...(evictAt !== undefined && nowMs >= evictAt ? ['NoExecute'] : []),
  ]);
  const kept = taints.filter((t) => !HEALTH_TAINTS.has(t.key) || (t.key === wanted && effects.has(t.effect)));
  for (const effect of effects)
    if (wanted && !kept.some((t) => t.key === wanted && t.effect === effect))
      kept.push({ key: wanted, effect: effect, timeAdded: new Date(nowMs).toISOString() });
  return { taints: kept, ...(evictAt !== undefined && nowMs < evictAt ? { nextMs: evictAt } : {}) };
}
