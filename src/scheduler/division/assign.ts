/**
 * Replica division over the selected clusters (Karmada's `assignByDuplicatedStrategy`,
 * `assignByStaticWeightStrategy` and `assignByDynamicStrategy`, ../shared/reference/karmada.md
 * §3.3), with Webster apportionment and the template-UID tie-break:
 * - Duplicated: every cluster gets all replicas.
 * - StaticWeight: Webster over the weights, from scratch every time.
 * - DynamicWeight / Aggregated, Steady mode: scale-up divides only the new replicas by what each
 *   cluster can still host and adds them to the previous decision; scale-down shrinks in
 *   proportion to the previous decision; replicas on clusters that are no longer candidates are
 *   re-placed. Fresh mode divides everything by capacity. Aggregated uses the fewest clusters,
 *   those already in use first, then the largest.
 * The answer is sorted by name with zero-replica clusters left out.
 */
import type { TargetCluster } from '../../api/flotilla/binding.js';
import type { DivisionStrategy } from './strategy.js';
import { websterDivide } from './webster.js';

/** A selected cluster, in candidate order, with what the division needs of it. */
export interface DivisionCandidate {
  name: string;
  /** Replicas the cluster can still host (not counting what it already has of this workload). */
  allocatable: number;
  /** Static weight (StaticWeight only; 0 = no rule matched). */
  weight?: number;
}

export interface DivisionInput {
  strategy: DivisionStrategy;
  replicas: number;
  candidates: readonly DivisionCandidate[];
  /** The previous decision (`spec.clusters`). */
  previous: readonly TargetCluster[];
  /** Divide from scratch (a reschedule was requested) instead of changing the previous decision. */
  fresh: boolean;
  /** The template's UID, for the tie-break. */
  uid: string;
}

/** The clusters cannot host the replicas; `message` says why. */
export class UnschedulableError extends Error {
  override readonly name = 'UnschedulableError';
}

/** Divides `input.replicas` over the candidates; throws `UnschedulableError` when they cannot host them. */
export function divideReplicas(input: DivisionInput): TargetCluster[] {
  switch (input.strategy) {
    case 'Duplicated':
      return byName(input.candidates.map((c) => ({ name: c.name, replicas: input.replicas })));
    case 'StaticWeight':
      return staticWeight(input);
    case 'DynamicWeight':
    case 'Aggregated':
      return dynamic(input);
  }
}

function staticWeight(input: DivisionInput): TargetCluster[] {
  let parties = input.candidates
    .filter((c) => (c.weight ?? 0) > 0)
    .map((c) => ({ name: c.name, votes: c.weight ?? 0 }));
  if (parties.length === 0) parties = input.candidates.map((c) => ({ name: c.name, votes: 1 }));
  return fromSeats(websterDivide(input.replicas, parties, input.uid));
}

function dynamic(input: DivisionInput): TargetCluster[] {
  const candidateNames = new Set(input.candidates.map((c) => c.name));
  let scheduled = new Map<string, number>();
  for (const t of input.previous)
    if (candidateNames.has(t.name) && (t.replicas ?? 0) > 0) scheduled.set(t.name, t.replicas ?? 0);
  const assigned = sum(scheduled.values());
  let target: number;
  let avail: { name: string; replicas: number }[];
  if (input.fresh) {
    target = input.replicas;
    avail = input.candidates.map((c) => ({
      name: c.name,
      replicas: c.allocatable + (scheduled.get(c.name) ?? 0),
    }));
    scheduled = new Map();
  } else if (assigned > input.replicas) {
    target = input.replicas;
    avail = input.candidates
      .filter((c) => scheduled.has(c.name))
      .map((c) => ({ name: c.name, replicas: scheduled.get(c.name) ?? 0 }));
    scheduled = new Map();
  } else if (assigned < input.replicas) {
    target = input.replicas - assigned;
    avail = input.candidates.map((c) => ({ name: c.name, replicas: c.allocatable }));
  } else {
    return byName([...scheduled].map(([name, replicas]) => ({ name, replicas })));
  }
  // Stable: equal capacities keep candidate order.
  avail.sort((a, b) => b.replicas - a.replicas);
  const total = sum(avail.map((a) => a.replicas));
  if (total < target)
    throw new UnschedulableError(`Clusters available replicas ${total} are not enough to schedule.`);
  if (input.strategy === 'Aggregated') avail = aggregatedPrefix(avail, scheduled, target);
  const seats = websterDivide(
    target,
    avail.map((a) => ({ name: a.name, votes: a.replicas })),
    input.uid,
  );
  for (const [name, replicas] of scheduled) seats.set(name, (seats.get(name) ?? 0) + replicas);
  return fromSeats(seats);
}

/** Clusters already in use first (order kept), then the shortest prefix that covers `target`. */
function aggregatedPrefix(
  avail: { name: string; replicas: number }[],
  scheduled: ReadonlyMap<string, number>,
  target: number,
): { name: string; replicas: number }[] {
  const ordered = [
    ...avail.filter((a) => (scheduled.get(a.name) ?? 0) > 0),
    ...avail.filter((a) => (scheduled.get(a.name) ?? 0) <= 0),
  ];
  let covered = 0;
  const out: { name: string; replicas: number }[] = [];
  for (const a of ordered) {
    if (covered >= target) break;
    out.push(a);
    covered += a.replicas;
  }
  return out;
}

function fromSeats(seats: ReadonlyMap<string, number>): TargetCluster[] {
  return byName([...seats].filter(([, n]) => n > 0).map(([name, replicas]) => ({ name, replicas })));
}

function byName(clusters: TargetCluster[]): TargetCluster[] {
  return clusters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
