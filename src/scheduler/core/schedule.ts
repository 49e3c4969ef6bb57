/**
 * One scheduling decision, the engine shared by the scheduler and `flotilla explain`: for each
 * cluster-affinity term in turn (starting at the one the last decision came from; the first that
 * schedules wins) filter the clusters, score the feasible ones, estimate how many replicas each can
 * host, select under the spread constraints and divide the replicas. Every cluster's fate is
 * reported (the filter that rejected it and why, its score, available replicas and share), so
 * a decision can always be explained. Pure: same input, same answer.
 */
import type { TargetCluster } from '../../api/flotilla/binding.js';
import type { Cluster } from '../../api/flotilla/cluster.js';
import type { ClusterAffinity, StaticClusterWeight } from '../../api/flotilla/policy.js';
import { UnschedulableError, divideReplicas } from '../division/assign.js';
import type { DivisionCandidate } from '../division/assign.js';
import { divisionStrategy } from '../division/strategy.js';
import type { DivisionStrategy } from '../division/strategy.js';
import { clusterMatchesAffinity } from '../../api/flotilla/cluster-affinity.js';
import type { CycleContext, SchedulingUnit } from '../framework/interface.js';
import { DEFAULT_PLUGINS } from '../framework/registry.js';
import type { PluginSet } from '../framework/registry.js';
import { estimateAvailableReplicas } from './available-replicas.js';
import type { FreedCapacity } from './available-replicas.js';
import { SpreadError, selectClusters } from './select-clusters.js';
import type { ScoredCluster } from './select-clusters.js';

export type ScheduleReason = 'Success' | 'NoClusterFit' | 'Unschedulable' | 'SchedulerError' | 'Preempted';

/** What happened to one cluster. */
export interface CandidateReport {
  name: string;
  feasible: boolean;
  /** The filter plugin that rejected the cluster (null when feasible). */
  filteredBy: string | null;
  reason: string | null;
  /** Total score of the ranking plugins (null when filtered out). */
  score: number | null;
  /** Total score of the tie-breaking plugins (null when filtered out). */
  tieBreakScore: number | null;
  /** Replicas the cluster could hold in all (null when filtered out or not a workload). */
  availableReplicas: number | null;
  /** Chosen by the spread constraints (every feasible cluster when there are none). */
  selected: boolean;
  /** Its share of the decision (0 when not chosen; absent for non-workloads). */
  replicas?: number;
}

export interface ScheduleResult {
  scheduled: boolean;
  reason: ScheduleReason;
  message: string;
  /** The decision, sorted by name, without zero-replica clusters. */
  clusters: TargetCluster[];
  candidates: CandidateReport[];
  /** The `clusterAffinities` term that scheduled (or was tried first when none did). */
  affinityName?: string;
  strategy: DivisionStrategy;
}

export interface ScheduleInput {
  unit: SchedulingUnit;
  clusters: readonly Cluster[];
  /** Divide from scratch (a reschedule was requested) rather than adjust the previous decision. */
  fresh: boolean;
  plugins?: PluginSet;
  /** Capacity clusters would regain from preempted replicas, by cluster name (core/preempt.ts). */
  freed?: ReadonlyMap<string, FreedCapacity>;
  /**
   * Whether to report every cluster's fate in `candidates` (default true; `flotilla explain`). The
   * scheduler, which reads only the decision and its message, passes false: `candidates` is then
   * empty and nothing per cluster is kept.
   */
  report?: boolean;
}

/** Schedules `input.unit` over `input.clusters`. Never throws for a workload that cannot be placed. */
export function schedule(input: ScheduleInput): ScheduleResult {
  const terms = input.unit.placement.clusterAffinities ?? [];
  if (terms.length === 0) return attempt(input, input.unit.placement.clusterAffinity);
  const observed = terms.findIndex((t) => t.affinityName === input.unit.observedAffinityName);
  const start = input.fresh || observed < 0 ? 0 : observed;
  const failures: ScheduleResult[] = [];
  for (const term of terms.slice(start)) {
    const result = { ...attempt(input, term), affinityName: term.affinityName };
    if (result.scheduled) return result;
    failures.push(result);
  }
  const first = failures[0] as ScheduleResult;
  return {
    ...first,
    message: failures.map((f) => `affinity ${f.affinityName ?? ''}: ${f.message}`).join('; '),
  };
}

function attempt(input: ScheduleInput, affinity: ClusterAffinity | undefined): ScheduleResult {
  const { unit } = input;
  const plugins = input.plugins ?? DEFAULT_PLUGINS;
  const strategy = divisionStrategy(unit.placement.replicaScheduling);
  const workload = unit.replicas > 0 || unit.requirements !== undefined;
  const estimates = new Map<Cluster, number>();
  const ctx: CycleContext = {
    unit,
    ...(affinity ? { affinity } : {}),
    previousNames: new Set(unit.previous.map((t) => t.name)),
    available(cluster) {
      let n = estimates.get(cluster);
      if (n === undefined) {
        n = workload
          ? estimateAvailableReplicas(
              cluster,
              unit.requirements,
              input.freed?.get(cluster.metadata.name ?? ''),
            )
          : Number.MAX_SAFE_INTEGER;
        estimates.set(cluster, n);
      }
      return n;
    },
  };
  const reports = input.report === false ? undefined : new Map<string, CandidateReport>();
  /** Clusters filtered out, by reason. */
  const rejections = new Map<string, number>();
  const feasible: Cluster[] = [];
  for (const cluster of sortedByName(input.clusters)) {
    const rejected = filter(ctx, cluster, plugins);
    if (!rejected) feasible.push(cluster);
    else if (rejected.reason) rejections.set(rejected.reason, (rejections.get(rejected.reason) ?? 0) + 1);
    if (reports) {
      const name = cluster.metadata.name ?? '';
      reports.set(name, {
        name,
        feasible: !rejected,
        filteredBy: rejected?.plugin ?? null,
        reason: rejected?.reason ?? null,
        score: null,
        tieBreakScore: null,
        availableReplicas: null,
        selected: false,
      });
    }
  }
  const candidates = (): CandidateReport[] => (reports ? [...reports.values()] : []);
  if (feasible.length === 0)
    return failure('NoClusterFit', fitErrorMessage(input.clusters.length, rejections), {
      candidates: candidates(),
      strategy,
    });

  const previous = new Map(unit.previous.map((t) => [t.name, t.replicas ?? 0]));
  const scored = feasible.map((cluster) => {
    const name = cluster.metadata.name ?? '';
    let score = 0;
    let tieBreak = 0;
    for (const plugin of plugins.scores) {
      if (plugin.tieBreak) tieBreak += plugin.score(ctx, cluster);
      else score += plugin.score(ctx, cluster);
    }
    const available = workload ? ctx.available(cluster) + (previous.get(name) ?? 0) : 0;
    const report = reports?.get(name);
    if (report) {
      report.score = score;
      report.tieBreakScore = tieBreak;
      if (workload) report.availableReplicas = available;
    }
    return { scored: { name, cluster, score, available }, tieBreak };
  });
  // Only spread selection and aggregated division depend on the ranking.
  const constraints = strategy === 'StaticWeight' ? [] : (unit.placement.spreadConstraints ?? []);
  if (constraints.length > 0 || strategy === 'Aggregated' || strategy === 'DynamicWeight')
    scored.sort(
      (a, b) =>
        b.scored.score - a.scored.score ||
        b.scored.available - a.scored.available ||
        b.tieBreak - a.tieBreak ||
        byName(a.scored.name, b.scored.name),
    );
  const ranked = scored.map((s) => s.scored);

  let selected: ScoredCluster[];
  try {
    selected = selectClusters({
      clusters: ranked,
      constraints,
      replicas: unit.replicas,
      duplicated: strategy === 'Duplicated',
    });
  } catch (err) {
    if (err instanceof SpreadError)
      return failure('Unschedulable', err.message, { candidates: candidates(), strategy });
    throw err;
  }
  if (reports) for (const s of selected) (reports.get(s.name) as CandidateReport).selected = true;

  let clusters: TargetCluster[];
  if (!workload) {
    clusters = selected.map((s) => ({ name: s.name })).sort((a, b) => byName(a.name, b.name));
  } else {
    try {
      clusters = divideReplicas({
        strategy,
        replicas: unit.replicas,
        candidates: divisionCandidates(selected, ctx, strategy),
        previous: unit.previous,
        fresh: input.fresh,
        uid: unit.uid,
      }).filter((t) => (t.replicas ?? 0) > 0);
    } catch (err) {
      if (err instanceof UnschedulableError)
        return failure('Unschedulable', err.message, { candidates: candidates(), strategy });
      throw err;
    }
    if (reports) {
      const shares = new Map(clusters.map((t) => [t.name, t.replicas ?? 0]));
      for (const report of reports.values()) report.replicas = shares.get(report.name) ?? 0;
    }
  }
  return {
    scheduled: true,
    reason: 'Success',
    message: successMessage(clusters, workload),
    clusters,
    candidates: candidates(),
    strategy,
  };
}

/** The filter plugin that rejects `cluster` and why; undefined when every filter lets it through. */
function filter(
  ctx: CycleContext,
  cluster: Cluster,
  plugins: PluginSet,
): { plugin: string; reason: string } | undefined {
  if (cluster.metadata.deletionTimestamp)
    return { plugin: 'ClusterDeletion', reason: 'cluster(s) were being deleted' };
  for (const plugin of plugins.filters) {
    const status = plugin.filter(ctx, cluster);
    if (status.code !== 'Success') return { plugin: plugin.name, reason: status.reason };
  }
  return undefined;
}

const sortedClusters = new WeakMap<readonly Cluster[], readonly Cluster[]>();

/** `clusters` sorted by name (cached per array: callers pass the same snapshot many times). */
function sortedByName(clusters: readonly Cluster[]): readonly Cluster[] {
  let sorted = sortedClusters.get(clusters);
  if (!sorted) {
    sorted = [...clusters].sort(byClusterName);
    sortedClusters.set(clusters, sorted);
  }
  return sorted;
}

/** What the division needs of each selected cluster: room, and its static weight when weighted so. */
function divisionCandidates(
  selected: readonly ScoredCluster[],
  ctx: CycleContext,
  strategy: DivisionStrategy,
): DivisionCandidate[] {
  if (strategy !== 'StaticWeight')
    return selected.map((s) => ({ name: s.name, allocatable: ctx.available(s.cluster) }));
  const rules = ctx.unit.placement.replicaScheduling?.weightPreference?.staticWeightList;
  const weightOf = rules ? staticWeigher(rules) : () => 1;
  return selected.map((s) => ({
    name: s.name,
    allocatable: ctx.available(s.cluster),
    weight: weightOf(s.cluster),
  }));
}

/** Weights by cluster, per static weight list (by content: each binding has its own copy). */
const staticWeights = new Map<string, WeakMap<Cluster, number>>();
const STATIC_WEIGHT_LISTS = 1024;
const staticWeightKeys = new WeakMap<readonly StaticClusterWeight[], string>();

/** Weighs clusters by `rules`: the largest weight of the rules a cluster matches (0 when none). */
function staticWeigher(rules: readonly StaticClusterWeight[]): (cluster: Cluster) => number {
  let key = staticWeightKeys.get(rules);
  if (key === undefined) staticWeightKeys.set(rules, (key = JSON.stringify(rules)));
  let weights = staticWeights.get(key);
  if (!weights) {
    if (staticWeights.size >= STATIC_WEIGHT_LISTS) staticWeights.clear();
    staticWeights.set(key, (weights = new WeakMap()));
  }
  const known = weights;
  return (cluster) => {
    let weight = known.get(cluster);
    if (weight === undefined) {
      weight = 0;
      for (const rule of rules)
        if (clusterMatchesAffinity(cluster, rule.targetCluster)) weight = Math.max(weight, rule.weight);
      known.set(cluster, weight);
    }
    return weight;
  };
}

/** Karmada's FitError text: "0/3 clusters are available: 1 cluster(s) …, 2 cluster(s) …." */
function fitErrorMessage(total: number, rejections: ReadonlyMap<string, number>): string {
  const parts = [...rejections].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${total} clusters are available: ${parts.join(', ')}.`;
}

function successMessage(clusters: readonly TargetCluster[], workload: boolean): string {
  if (clusters.length === 0) return 'Binding has been scheduled: no cluster holds replicas (0 desired).';
  const list = clusters.map((c) => (workload ? `${c.name}:${c.replicas ?? 0}` : c.name)).join(', ');
  return `Binding has been scheduled successfully to ${list}.`;
}

function failure(
  reason: ScheduleReason,
  message: string,
  rest: { candidates: CandidateReport[]; strategy: DivisionStrategy },
): ScheduleResult {
  return { scheduled: false, reason, message, clusters: [], ...rest };
}

function byClusterName(a: Cluster, b: Cluster): number {
  return byName(a.metadata.name ?? '', b.metadata.name ?? '');
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
