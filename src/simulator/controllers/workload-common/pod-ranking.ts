/**
 * Which pods a ReplicaSet deletes first when it scales down: kube's `ActivePodsWithRanks` order
 * (with the PodDeletionCost and LogarithmicScaleDown behaviour that is on by default):
 * unassigned < assigned; Pending < Unknown < Running; not ready < ready; lower
 * `controller.kubernetes.io/pod-deletion-cost` first; more related pods on the same node first;
 * ready for less time (by powers of two); more container restarts; newer (by powers of two);
 * then UID.
 */
import { isPodActive, isPodReady, podReadyTime } from './pod-state.js';
import type { Pod } from './types.js';

/** The annotation that lets users order scale-down victims. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

interface Ranked {
  pod: Pod;
  /** Active related pods sharing this pod's node. */
  rank: number;
}

/**
 * The `count` pods of `pods` to delete, best victims first. `related` are the pods of every
 * ReplicaSet under the same controller (used to spread what is left across nodes). Returns all of
 * `pods` without sorting when every one of them goes. Does not modify its inputs.
 */
export function podsToDelete(
  pods: readonly Pod[],
  options: { count: number; related: readonly Pod[]; now: number },
): Pod[] {
  if (options.count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of options.related)
    if (isPodActive(p)) onNode.set(nodeOf(p), (onNode.get(nodeOf(p)) ?? 0) + 1);
  const ranked: Ranked[] = pods.map((pod) => ({ pod, rank: onNode.get(nodeOf(pod)) ?? 0 }));
  ranked.sort((a, b) => compareVictims(a, b, options.now));
  return ranked.slice(0, options.count).map((r) => r.pod);
}

/** Negative when `a` should be deleted before `b` (ActivePodsWithRanks.Less). */
function compareVictims(a: Ranked, b: Ranked, now: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = nodeOf(pa);
  const nb = nodeOf(pb);
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const phaseDiff = phaseOrdinal(pa) - phaseOrdinal(pb);
  if (phaseDiff !== 0) return phaseDiff;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return ra ? 1 : -1;
  const costDiff = deletionCost(pa) - deletionCost(pb);
  if (costDiff !== 0) return costDiff;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (ra && rb) {
    const byReady = compareAges(podReadyTime(pa), podReadyTime(pb), { now, a: pa, b: pb });
    if (byReady !== 0) return byReady;
  }
  const restarts = compareRestarts(pa, pb);
  if (restarts !== 0) return restarts;
  return compareAges(created(pa), created(pb), { now, a: pa, b: pb });
}

/**
 * Newer first, where "newer" compares log2 of the age so pods of about the same age tie and fall
 * back to UID order (LogarithmicScaleDown); an unknown time sorts first.
 */
function compareAges(
  ta: number | undefined,
  tb: number | undefined,
  ctx: { now: number; a: Pod; b: Pod },
): number {
  if (ta === tb) return 0;
  if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
  const diff = logRank(ctx.now - ta) - logRank(ctx.now - tb);
  if (diff !== 0) return diff;
  const ua = ctx.a.metadata.uid ?? '';
  const ub = ctx.b.metadata.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** floor(log2(age in ns)), -1 for a non-positive age (logarithmicRankDiff). */
function logRank(ageMs: number): number {
  return ageMs > 0 ? Math.floor(Math.log2(ageMs * 1e6)) : -1;
}

/** More restarts of regular containers first, then more restarts of sidecars. */
function compareRestarts(a: Pod, b: Pod): number {
  const [regularA, sidecarA] = maxRestarts(a);
  const [regularB, sidecarB] = maxRestarts(b);
  if (regularA !== regularB) return regularB - regularA;
  return sidecarB - sidecarA;
}

function maxRestarts(pod: Pod): [number, number] {
  let regular = 0;
  for (const c of pod.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const initContainers = (pod.spec?.['initContainers'] ?? []) as { name?: string; restartPolicy?: string }[];
  const sidecars = new Set(initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let sidecar = 0;
  for (const c of pod.status?.initContainerStatuses ?? [])
    if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  return [regular, sidecar];
}

function deletionCost(pod: Pod): number {
  const text = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (text === undefined || !/^-?\d+$/.test(text)) return 0;
  const n = Number(text);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

function phaseOrdinal(pod: Pod): number {
  return PHASE_ORDINAL[pod.status?.phase ?? ''] ?? 0;
}

function nodeOf(pod: Pod): string {
  return pod.spec?.nodeName ?? '';
}

function created(pod: Pod): number | undefined {
  const t = pod.metadata.creationTimestamp;
  if (t === undefined) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}
