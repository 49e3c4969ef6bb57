/**
 * Small formatters shared by the tables and the describe output: one value of an object as the
 * text kubectl would show for it. `<none>` stands for an absent value, as in kubectl.
 */
import type { TargetCluster } from '../api/flotilla/binding.js';
import type { Condition } from '../api/flotilla/cluster.js';
import { age } from '../api/human-duration.js';
import type { Taint } from '../api/taints.js';

/** What kubectl prints for an absent value. */
export const NONE = '<none>';

/** The age of RFC 3339 `timestamp` at `now` like kubectl (`5s`, `3m10s`, `2h`, `4d`), `<unknown>` if unset. */
export function ageOf(timestamp: string | null | undefined, now: number): string {
  return age(timestamp, now);
}

/** `key=value:effect`, or `key:effect` without a value. */
export function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}

/** Taints comma-separated, `<none>` when there are none. */
export function formatTaints(taints: readonly Taint[] | undefined): string {
  return taints && taints.length > 0 ? taints.map(formatTaint).join(',') : NONE;
}

/** A decision as `a:4,b:2` (names only for non-workloads), `<none>` when empty. */
export function formatTargets(clusters: readonly TargetCluster[] | undefined): string {
  if (!clusters || clusters.length === 0) return NONE;
  return clusters.map((c) => (c.replicas === undefined ? c.name : `${c.name}:${c.replicas}`)).join(',');
}

/** The condition of `type` among `conditions`, if there is one. */
export function conditionOf(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** `Kind/name` of an object reference. */
export function kindName(ref: { kind?: string | undefined; name?: string | undefined }): string {
  return `${ref.kind ?? ''}/${ref.name ?? ''}`;
}

/** A count or quantity, `<none>` when absent. */
export function orNone(value: string | number | undefined): string {
  return value === undefined || value === '' ? NONE : String(value);
}
