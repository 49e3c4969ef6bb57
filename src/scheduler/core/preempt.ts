/**
 * Preemption: when a divided workload cannot be placed for lack of capacity, find the
 * lower-priority placements whose replicas, if they gave way, would let it schedule, and take as
 * little as possible from them.
 *
 * Victims are only ever of strictly lower priority, so preemption never goes the other way round.
 * They are tried lowest priority first, newest first (then by binding and cluster name): every
 * candidate placement is counted as freed; if the workload still cannot be placed, nothing is
 * preempted. Otherwise placements on clusters the decision does not use are dropped, and then,
 * from the least willing victim back, each is released entirely or shrunk to the fewest replicas
 * that still let the workload schedule. Divided victims shrink (scale down); Duplicated ones leave
 * the cluster whole (evicted). Pure: the engine is re-run on an overlay of freed capacity
 * (`ScheduleInput.freed`), nothing is written.
 */
import type { TargetCluster } from '../../api/flotilla/binding.js';
import type { ResourceAmounts, ResourceList } from '../../api/pod-resources.js';
import type { FreedCapacity } from './available-replicas.js';
import { parsedRequest } from './cluster-capacity.js';
import { schedule } from './schedule.js';
import type { ScheduleInput, ScheduleResult } from './schedule.js';

/** Another binding, as a possible victim. */
export interface PreemptionCandidate {
  /** How the caller names the binding (e.g. `rb/default/web-deployment`). */
  key: string;
  priority: number;
  /** `metadata.creationTimestamp`: newer bindings give way first. */
  created: string;
  /** Its decision. */
  clusters: readonly TargetCluster[];
  /** What one of its replicas requests (undefined: only a pod slot). */
  request?: ResourceList;
  /** Divided bindings can be scaled down; the others leave a cluster whole. */
  divisible: boolean;
}

/** Replicas one binding gives up on one cluster. */
export interface Preemption {
  key: string;
  cluster: string;
  /** Replicas taken away. */
  replicas: number;
  /** Replicas it keeps there (0: it leaves the cluster). */
  remaining: number;
}

export interface PreemptionPlan {
  /** The preemptor's decision with the victims' capacity freed. */
  result: ScheduleResult;
  preemptions: Preemption[];
  /**
   * The capacity the decision counts on per cluster (`input.freed` plus what the victims give
   * up): until the victims' pods are gone, the clusters' own summaries do not show it.
   */
  freed: Map<string, FreedCapacity>;
}

/** Placements considered at most, so one plan stays cheap on a large fleet. */
export const MAX_PREEMPTION_CANDIDATES = 256;

interface Slot {
  key: string;
  cluster: string;
  held: number;
  perReplica: Readonly<ResourceAmounts>;
  divisible: boolean;
}

/**
 * The preemptions that let `input.unit` (of `priority`) schedule, or undefined when none would or
 * the workload is not one whose placement depends on capacity.
 */
export function planPreemption(
  input: ScheduleInput,
  priority: number,
  others: readonly PreemptionCandidate[],
): PreemptionPlan | undefined {
  const { unit } = input;
  if (unit.replicas <= 0 || unit.placement.replicaScheduling?.replicaSchedulingType !== 'Divided')
    return undefined;
  const slots = candidateSlots(priority, others);
  if (slots.length === 0) return undefined;
  let take = slots.map((s) => s.held);
  const overlay = (): Map<string, FreedCapacity> => freedBy(slots, take, input.freed);
  const run = (): ScheduleResult => schedule({ ...input, freed: overlay() });
  let result = run();
  if (!result.scheduled) return undefined;

  const everything = take;
  const used = new Set(result.clusters.map((t) => t.name));
  take = take.map((n, i) => (used.has((slots[i] as Slot).cluster) ? n : 0));
  if (!run().scheduled) take = everything;

  for (let i = slots.length - 1; i >= 0; i--) {
    const slot = slots[i] as Slot;
    const full = take[i] as number;
    if (full === 0) continue;
    take[i] = 0;
    if (run().scheduled) continue;
    if (!slot.divisible) {
      take[i] = full;
      continue;
    }
    let low = 1;
    let high = full;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      take[i] = mid;
      if (run().scheduled) high = mid;
      else low = mid + 1;
    }
    take[i] = low;
  }
  result = run();
  if (!result.scheduled) return undefined;
  const preemptions: Preemption[] = [];
  slots.forEach((s, i) => {
    const n = take[i] as number;
    if (n > 0) preemptions.push({ key: s.key, cluster: s.cluster, replicas: n, remaining: s.held - n });
  });
  return { result, preemptions, freed: overlay() };
}

/** Lower-priority placements holding replicas, most willing to give way first. */
function candidateSlots(priority: number, others: readonly PreemptionCandidate[]): Slot[] {
  const victims = others
    .filter((o) => o.priority < priority)
    .sort(
      (a, b) =>
        a.priority - b.priority ||
        (a.created < b.created ? 1 : a.created > b.created ? -1 : 0) ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
  const slots: Slot[] = [];
  for (const v of victims) {
    const perReplica = { ...(v.request ? parsedRequest(v.request) : {}), pods: 1 };
    const targets = [...v.clusters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const t of targets) {
      if ((t.replicas ?? 0) <= 0) continue;
      slots.push({ key: v.key, cluster: t.name, held: t.replicas ?? 0, perReplica, divisible: v.divisible });
      if (slots.length === MAX_PREEMPTION_CANDIDATES) return slots;
    }
  }
  return slots;
}

/**
 * The capacity each cluster regains when `take[i]` replicas of `slots[i]` give way, on top of
 * what `already` freed.
 */
function freedBy(
  slots: readonly Slot[],
  take: readonly number[],
  already: ReadonlyMap<string, FreedCapacity> = new Map(),
): Map<string, FreedCapacity> {
  const freed = new Map<string, { amounts: ResourceAmounts; largest: ResourceAmounts }>();
  for (const [cluster, f] of already)
    freed.set(cluster, { amounts: { ...f.amounts }, largest: { ...f.largest } });
  slots.forEach((slot, i) => {
    const n = take[i] as number;
    if (n === 0) return;
    let f = freed.get(slot.cluster);
    if (!f) freed.set(slot.cluster, (f = { amounts: {}, largest: {} }));
    for (const name in slot.perReplica) {
      const each = slot.perReplica[name] ?? 0;
      f.amounts[name] = (f.amounts[name] ?? 0) + each * n;
      f.largest[name] = Math.max(f.largest[name] ?? 0, each);
    }
  });
  return freed;
}
