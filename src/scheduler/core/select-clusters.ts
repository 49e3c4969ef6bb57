/**
 * Which of the feasible clusters a workload goes to, under its spread constraints (Karmada's
 * `SelectBestClusters`, ../shared/reference/karmada.md §3.5, extended to zone, provider and label
 * groups, which Karmada does not implement):
 * - no constraints, or static weights: every feasible cluster;
 * - `spreadByField: cluster` alone: the best `maxGroups` clusters (at least `minGroups`); for
 *   divided workloads, better-provisioned clusters are swapped in until they can host the replicas;
 * - a group constraint (region, zone, provider or a label) with an optional cluster constraint:
 *   groups are ranked by Karmada's group score; the fewest best groups (at least `minGroups`, at
 *   most `maxGroups`) that give enough clusters (and, for divided workloads, enough room) are
 *   chosen; their best cluster each is taken, then the best remaining clusters of those groups up
 *   to the cluster constraint's `maxGroups` (all of them without one).
 * Candidates arrive sorted (score desc, available replicas desc, name asc) and leave in that order.
 */
import type { SpreadConstraint } from '../../api/flotilla/policy.js';
import type { Cluster } from '../../api/flotilla/cluster.js';

/** A feasible cluster with its score and the replicas it could hold (free + already placed). */
export interface ScoredCluster {
  name: string;
  cluster: Cluster;
  score: number;
  /** Replicas it can hold in all: free room plus what it already has of this workload. */
  available: number;
}

export interface SelectionInput {
  clusters: readonly ScoredCluster[];
  constraints: readonly SpreadConstraint[];
  replicas: number;
  /** Duplicated (every selected cluster gets all replicas) rather than divided. */
  duplicated: boolean;
}

/** The constraints cannot be met; the message says which. */
export class SpreadError extends Error {
  override readonly name = 'SpreadError';
}

/** The group a cluster belongs to under `constraint`, or undefined when it has none. */
export function spreadGroupOf(cluster: Cluster, constraint: SpreadConstraint): string | undefined {
  if (constraint.spreadByLabel) return cluster.metadata.labels?.[constraint.spreadByLabel];
  switch (constraint.spreadByField ?? 'cluster') {
    case 'cluster':
      return cluster.metadata.name;
    case 'region':
      return cluster.spec?.region || undefined;
    case 'provider':
      return cluster.spec?.provider || undefined;
    case 'zone':
      return cluster.spec?.zones?.[0] || undefined;
  }
}

/** What a constraint groups by, for messages ("region", "label team"). */
export function spreadDimension(constraint: SpreadConstraint): string {
  return constraint.spreadByLabel
    ? `label ${constraint.spreadByLabel}`
    : (constraint.spreadByField ?? 'cluster');
}

const isClusterConstraint = (c: SpreadConstraint): boolean =>
  !c.spreadByLabel && (c.spreadByField ?? 'cluster') === 'cluster';

/** Selects clusters; throws `SpreadError` when the constraints cannot be met. */
export function selectClusters(input: SelectionInput): ScoredCluster[] {
  const clusterConstraint = input.constraints.find(isClusterConstraint);
  const groupConstraint = input.constraints.find((c) => !isClusterConstraint(c));
  if (groupConstraint) return selectByGroups(input, groupConstraint, clusterConstraint);
  if (clusterConstraint) return selectByCluster(input, input.clusters, clusterConstraint);
  return [...input.clusters];
}

function selectByCluster(
  input: SelectionInput,
  clusters: readonly ScoredCluster[],
  constraint: SpreadConstraint,
): ScoredCluster[] {
  const minGroups = constraint.minGroups ?? 1;
  if (clusters.length < minGroups)
    throw new SpreadError('the number of feasible clusters is less than spreadConstraint.MinGroups');
  const need = Math.min(clusters.length, constraint.maxGroups || clusters.length);
  const selected = clusters.slice(0, need);
  if (input.duplicated) return selected;
  const rest = clusters.slice(need);
  for (let slot = selected.length - 1; slot >= 0 && room(selected) < input.replicas; slot--) {
    const best = rest.reduce<ScoredCluster | undefined>(
      (b, c) => (b === undefined || c.available > b.available ? c : b),
      undefined,
    );
    const current = selected[slot] as ScoredCluster;
    if (best === undefined || best.available <= current.available) break;
    selected[slot] = best;
    rest.splice(rest.indexOf(best), 1, current);
  }
  if (room(selected) < input.replicas)
    throw new SpreadError(`no enough resource when selecting ${need} clusters`);
  return selected;
}

function selectByGroups(
  input: SelectionInput,
  group: SpreadConstraint,
  cluster: SpreadConstraint | undefined,
): ScoredCluster[] {
  const groups = new Map<string, ScoredCluster[]>();
  for (const c of input.clusters) {
    const key = spreadGroupOf(c.cluster, group);
    if (key === undefined) continue;
    const members = groups.get(key) ?? [];
    members.push(c);
    groups.set(key, members);
  }
  const minGroups = group.minGroups ?? 1;
  const maxGroups = group.maxGroups || groups.size;
  const dimension = spreadDimension(group);
  if (groups.size < minGroups)
    throw new SpreadError(
      `the number of feasible ${dimension} groups is less than spreadConstraint.MinGroups`,
    );
  const minClusters = cluster?.minGroups ?? 1;
  const ranked = [...groups]
    .map(([name, members]) => ({
      name,
      members,
      score: groupScore(input, members, { minGroups, minClusters }),
    }))
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let k = minGroups; k <= Math.min(maxGroups, ranked.length); k++) {
    const chosen = ranked.slice(0, k);
    const pool = input.clusters.filter((c) => chosen.some((g) => g.members.includes(c)));
    if (pool.length < minClusters) continue;
    const firsts = chosen.map((g) => g.members[0] as ScoredCluster);
    const limit = Math.min(pool.length, cluster?.maxGroups || pool.length);
    const rest = pool
      .filter((c) => !firsts.includes(c))
      .sort((a, b) => b.score - a.score || b.available - a.available);
    const selected = [...firsts, ...rest].slice(0, Math.max(limit, firsts.length));
    if (!input.duplicated && room(selected) < input.replicas) continue;
    return input.clusters.filter((c) => selected.includes(c));
  }
  throw new SpreadError(
    `no ${minGroups === maxGroups ? minGroups : `${minGroups} to ${maxGroups}`} ${dimension} groups have enough clusters${input.duplicated ? '' : ' and room'} for the workload`,
  );
}

/** Karmada's group score: how well a group can host the workload, then its clusters' scores. */
function groupScore(
  input: SelectionInput,
  members: readonly ScoredCluster[],
  at: { minGroups: number; minClusters: number },
): number {
  if (input.duplicated) {
    const valid = members.filter((c) => c.available >= input.replicas);
    if (valid.length === 0) return 0;
    return valid.length * 1000 + sumOf(valid.map((c) => c.score)) / valid.length;
  }
  const target = Math.ceil(input.replicas / at.minGroups);
  let sum = 0;
  let score = 0;
  let count = 0;
  for (const c of members) {
    sum += c.available;
    score += c.score;
    count++;
    if (count >= Math.max(at.minClusters, at.minGroups) && sum >= target) break;
  }
  return sum < target ? sum * 1000 + score / members.length : target * 1000 + score / count;
}

function room(clusters: readonly ScoredCluster[]): number {
  return sumOf(clusters.map((c) => c.available));
}

function sumOf(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
