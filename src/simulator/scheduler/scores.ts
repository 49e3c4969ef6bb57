/**
 * The Score plugins of kube-scheduler's default profile, with kube's weights and integer
 * arithmetic, and the random tie-break of `selectHost`:
 * - NodeResourcesFit, LeastAllocated (weight 1): free share of cpu and memory after the pod, using
 *   the 100m / 200Mi stand-ins for unset requests.
 * - NodeResourcesBalancedAllocation (1): how even cpu and memory use would be (skipped for pods
 *   that request neither).
 * - TaintToleration (3): fewer untolerated PreferNoSchedule taints is better.
 * - NodeAffinity (2): weights of the preferred terms a node matches.
 * - PodTopologySpread (2), system defaults: spread the pods of one ReplicaSet, ReplicationController
 *   or StatefulSet over nodes (maxSkew 3) and zones (maxSkew 5), softly.
 */
import type { SchedulingPod } from './pod-info.js';
import type { NodeState } from './scheduler-cache.js';
import { ZONE_LABEL } from './scheduler-cache.js';
import { intolerablePreferNoSchedule } from './taints.js';

const MAX_NODE_SCORE = 100;
const HOSTNAME_LABEL = 'kubernetes.io/hostname';
const HOSTNAME_MAX_SKEW = 3;
const ZONE_MAX_SKEW = 5;

/** Options of `selectNode`. */
export interface ScoreOptions {
  /** Every existing node (spreading counts pods on nodes that did not pass the filters too). */
  readonly allNodes: readonly NodeState[];
  /** Uniform in [0, 1), for the tie-break. */
  readonly random: () => number;
}

/** Scores the feasible nodes and picks one of the best, uniformly at random among ties. */
export function selectNode(
  pod: SchedulingPod,
  feasible: readonly NodeState[],
  options: ScoreOptions,
): NodeState {
  const totals = feasible.map((node) => leastAllocated(pod, node));
  if ((pod.requests['cpu'] ?? 0) > 0 || (pod.requests['memory'] ?? 0) > 0)
    feasible.forEach((node, i) => (totals[i] = (totals[i] ?? 0) + balancedAllocation(pod, node)));
  if (feasible.some((n) => n.taints.some((t) => t.effect === 'PreferNoSchedule'))) {
    const raw = feasible.map((n) => intolerablePreferNoSchedule(n.taints, pod.tolerations));
    addWeighted(totals, defaultNormalize(raw, true), 3);
  }
  if (pod.selection.hasPreferences) {
    const raw = feasible.map((n) => pod.selection.preferenceScore(n));
    addWeighted(totals, defaultNormalize(raw, false), 2);
  }
  if (pod.spreadGroup !== undefined) addWeighted(totals, spreadScores(pod, feasible, options), 2);
  let best = 0;
  let ties = 0;
  for (let i = 0; i < feasible.length; i++) {
    const score = totals[i] ?? 0;
    const top = totals[best] ?? 0;
    if (i === 0 || score > top) {
      best = i;
      ties = 1;
    } else if (score === top) {
      ties++;
      if (Math.floor(options.random() * ties) === 0) best = i; // reservoir sampling
    }
  }
  return feasible[best] as NodeState;
}

function leastAllocated(pod: SchedulingPod, node: NodeState): number {
  const cpu = node.allocatable['cpu'] ?? 0;
  const memory = node.allocatable['memory'] ?? 0;
  let sum = 0;
  let weights = 0;
  if (cpu > 0) {
    sum += leastRequested(node.nonZeroCpu + pod.nonZeroCpu, cpu);
    weights++;
  }
  if (memory > 0) {
    sum += leastRequested(node.nonZeroMemory + pod.nonZeroMemory, memory);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

function leastRequested(requested: number, capacity: number): number {
  return requested > capacity ? 0 : Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

function balancedAllocation(pod: SchedulingPod, node: NodeState): number {
  const cpu = node.allocatable['cpu'] ?? 0;
  const memory = node.allocatable['memory'] ?? 0;
  if (cpu === 0 || memory === 0) return MAX_NODE_SCORE; // one fraction or none: no deviation
  const cpuFraction = Math.min(1, ((node.requested['cpu'] ?? 0) + (pod.requests['cpu'] ?? 0)) / cpu);
  const memoryFraction = Math.min(
    1,
    ((node.requested['memory'] ?? 0) + (pod.requests['memory'] ?? 0)) / memory,
  );
  const std = Math.abs((cpuFraction - memoryFraction) / 2);
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/** kube's DefaultNormalizeScore: scale to 0..100 by the maximum, optionally reversed. */
function defaultNormalize(raw: readonly number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw);
  if (max === 0) return raw.map(() => (reverse ? MAX_NODE_SCORE : 0));
  return raw.map((s) => {
    const scaled = Math.trunc((MAX_NODE_SCORE * s) / max);
    return reverse ? MAX_NODE_SCORE - scaled : scaled;
  });
}

function addWeighted(totals: number[], scores: readonly number[], weight: number): void {
  for (let i = 0; i < totals.length; i++) totals[i] = (totals[i] ?? 0) + weight * (scores[i] ?? 0);
}

/**
 * PodTopologySpread with the system default constraints (ScheduleAnyway). A node scores
 * `count·log(domains+2) + maxSkew−1` per constraint whose key it has; fewer matching pods in its
 * domain then means a higher normalized score.
 */
function spreadScores(pod: SchedulingPod, feasible: readonly NodeState[], options: ScoreOptions): number[] {
  const group = pod.spreadGroup ?? '';
  const zoneCounts = new Map<string, number>();
  for (const node of feasible) {
    const zone = node.labels[ZONE_LABEL] ?? '';
    if (!zoneCounts.has(zone)) zoneCounts.set(zone, 0);
  }
  const everyNode = pod.selection.matchesAll;
  for (const node of options.allNodes) {
    const inGroup = node.groups.get(group);
    if (inGroup === undefined) continue;
    const zone = node.labels[ZONE_LABEL] ?? '';
    const count = zoneCounts.get(zone);
    if (count === undefined || (!everyNode && !pod.selection.matches(node))) continue;
    zoneCounts.set(zone, count + inGroup);
  }
  const hostWeight = Math.log(feasible.length + 2);
  const zoneWeight = Math.log(zoneCounts.size + 2);
  const raw = feasible.map((node) => {
    let score = 0;
    if (node.labels[HOSTNAME_LABEL] !== undefined)
      score += (node.groups.get(group) ?? 0) * hostWeight + (HOSTNAME_MAX_SKEW - 1);
    const zone = node.labels[ZONE_LABEL];
    if (zone !== undefined) score += (zoneCounts.get(zone) ?? 0) * zoneWeight + (ZONE_MAX_SKEW - 1);
    return Math.round(score);
  });
  const min = Math.min(...raw);
  const max = Math.max(...raw);
  return raw.map((s) => (max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - s)) / max)));
}
