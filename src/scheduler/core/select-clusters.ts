/**
 * Which of the feasible clusters a workload goes to, under its spread constraints (Karmada's
 * `SelectBestClusters`, ../shared/reference/karmada.md §3.5, extended to zone, provider and label
 * groups, which Karmada does not implement):
 * - no constraints, or static weights: every feasible cluster;
 * - `spreadByField: cluster` alone: the best `maxGroups` clusters (at least `minGroups`); for
 *   divided workloads, better-provisioned clusters are swapped in until they can host the replicas;
 * - a group constraint (region, zone, provider or a label) with an optional cluster constraint:
 *   Karmada's search over combinations of `minGroups`..`maxGroups` groups holding at least the
 *   cluster constraint's `minGroups` clusters, ranked by Karmada's group scores (`selectGroups`);
 *   the best cluster of each chosen group is taken, then the best remaining clusters of those
 *   groups up to the cluster constraint's `maxGroups` (all of them without one). As in Karmada,
 *   room is not checked here: division reports a divided workload that does not fit.
 * An unset `maxGroups` means no limit (Karmada would select nothing). A cluster's zone group is its
 * first zone. Candidates arrive sorted (score desc, available replicas desc, name asc) and leave in
 * that order.
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
    if (best === undefined || best.available <= current.available) continue;
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
  const members = new Map<string, ScoredCluster[]>();
  for (const c of input.clusters) {
    const key = spreadGroupOf(c.cluster, group);
    if (key === undefined) continue;
    const list = members.get(key) ?? [];
    list.push(c);
    members.set(key, list);
  }
  const minGroups = group.minGroups ?? 1;
  const maxGroups = group.maxGroups || members.size;
  const dimension = spreadDimension(group);
  if (members.size < minGroups)
    throw new SpreadError(`the number of feasible ${dimension} is less than spreadConstraint.MinGroups`);
  const minClusters = cluster?.minGroups ?? 0;
  const groups = [...members].map(([name, list]) => ({
    name,
    members: list,
    value: list.length,
    weight: groupScore(input, list, { minGroups, minClusters }),
  }));
  const chosen = selectGroups(groups, { min: minGroups, max: maxGroups, target: minClusters });
  if (!chosen)
    throw new SpreadError('the number of clusters is less than the cluster spreadConstraint.MinGroups');
  // The best cluster of each chosen group, then the best of the rest up to the cluster maxGroups.
  const firsts = chosen.map((g) => g.members[0] as ScoredCluster);
  const rest = chosen
    .flatMap((g) => g.members.slice(1))
    .sort((a, b) => b.score - a.score || b.available - a.available || byName(a.name, b.name));
  const total = firsts.length + rest.length;
  const need = cluster?.maxGroups ? Math.min(total, cluster.maxGroups) : total;
  const selected = new Set([...firsts, ...rest.slice(0, Math.max(0, need - firsts.length))]);
  return input.clusters.filter((c) => selected.has(c));
}

/** A candidate group of clusters: its size (`value`) and group score (`weight`). */
interface GroupInfo {
  name: string;
  members: readonly ScoredCluster[];
  value: number;
  weight: number;
}

/** Feasible combinations of groups explored at most (Karmada's search is exhaustive). */
export const MAX_GROUP_PATHS = 10_000;

/**
 * Karmada's `selectGroups`: a depth-first search over combinations of `min`..`max` groups (groups
 * by size ascending, then score descending, then name) that stops extending a combination once it
 * holds `target` clusters. Combinations rank by total score, then size, then discovery order;
 * a prefix of the best one (its groups by score, then name) that is also feasible wins over it.
 */
function selectGroups(
  groups: readonly GroupInfo[],
  limits: { min: number; max: number; target: number },
): GroupInfo[] | undefined {
  const sorted = [...groups].sort(
    (a, b) => a.value - b.value || b.weight - a.weight || byName(a.name, b.name),
  );
  const paths: { id: number; groups: GroupInfo[]; weight: number; value: number }[] = [];
  const stack: GroupInfo[] = [];
  const dfs = (sum: number, begin: number): void => {
    if (sum >= limits.target && stack.length >= limits.min && stack.length <= limits.max) {
      paths.push({
        id: paths.length + 1,
        groups: [...stack].sort((a, b) => b.weight - a.weight || byName(a.name, b.name)),
        weight: sumOf(stack.map((g) => g.weight)),
        value: sumOf(stack.map((g) => g.value)),
      });
      return;
    }
    if (stack.length >= limits.max || paths.length >= MAX_GROUP_PATHS) return;
    for (let i = begin; i < sorted.length; i++) {
      const g = sorted[i] as GroupInfo;
      stack.push(g);
      dfs(sum + g.value, i + 1);
      stack.pop();
    }
  };
  dfs(0, 0);
  paths.sort((a, b) => b.weight - a.weight || b.value - a.value || a.id - b.id);
  let best = paths[0];
  if (!best) return undefined;
  for (const p of paths.slice(1)) {
    const prefix =
      p.groups.length < best.groups.length && p.groups.every((g, i) => best?.groups[i]?.name === g.name);
    if (prefix) best = p;
  }
  return best.groups;
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
    return valid.length * 1000 + Math.trunc(sumOf(valid.map((c) => c.score)) / valid.length);
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
  return sum < target
    ? sum * 1000 + Math.trunc(score / members.length)
    : target * 1000 + Math.trunc(score / count);
}

function room(clusters: readonly ScoredCluster[]): number {
  return sumOf(clusters.map((c) => c.available));
}

function sumOf(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
