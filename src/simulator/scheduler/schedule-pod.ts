/**
 * One scheduling attempt (kube-scheduler's `schedulePod`): PreFilter, Filter over the nodes
 * (starting where the previous attempt stopped, and stopping once enough feasible nodes are found,
 * as `percentageOfNodesToScore` allows), then Score and pick; or, when no node fits, kube's
 * FitError message with the preemption dry run's verdict. Synchronous and side-effect free apart
 * from the `cursor`.
 */
import type { NodeStatus } from './filters.js';
import { NODE_AFFINITY, filterNode } from './filters.js';
import type { Diagnosis } from './fit-error.js';
import { NO_NODES_MESSAGE, fitErrorMessage, preemptionMessage } from './fit-error.js';
import type { SchedulingPod } from './pod-info.js';
import type { NodeState, SchedulerCache } from './scheduler-cache.js';
import { selectNode } from './scores.js';

/** Options of `schedulePod`. */
export interface ScheduleOptions {
  readonly random: () => number;
  /** kube's percentageOfNodesToScore; 0 picks kube's adaptive default. */
  readonly percentageOfNodesToScore: number;
  /** Where the next attempt starts filtering (kube's nextStartNodeIndex); advanced by each attempt. */
  readonly cursor: { next: number };
}

/** The outcome of an attempt. `plugins` are the filters that rejected nodes (for requeueing). */
export type ScheduleOutcome =
  | { readonly kind: 'fit'; readonly node: string }
  | { readonly kind: 'unfit'; readonly message: string; readonly plugins: ReadonlySet<string> };

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE = 5;

const CONFLICT_STATUS: NodeStatus = Object.freeze({
  code: 'UnschedulableAndUnresolvable',
  reasons: Object.freeze(['pod affinity terms conflict']),
  plugin: NODE_AFFINITY,
});

const NOT_PINNED_STATUS: NodeStatus = Object.freeze({
  code: 'UnschedulableAndUnresolvable',
  reasons: Object.freeze([`node(s) didn't satisfy plugin(s) [${NODE_AFFINITY}]`]),
  plugin: NODE_AFFINITY,
});

/** Finds a node for `pod` in `cache`, or explains why there is none. */
export function schedulePod(
  pod: SchedulingPod,
  cache: SchedulerCache,
  options: ScheduleOptions,
): ScheduleOutcome {
  const all = cache.nodes();
  if (all.length === 0) return { kind: 'unfit', message: NO_NODES_MESSAGE, plugins: new Set() };
  let candidates = all;
  let absent: NodeStatus | undefined;
  const pinned = pod.selection.nodeNames;
  if (pinned !== undefined) {
    // NodeAffinity's PreFilter: terms that all pin metadata.name narrow the search up front.
    if (pinned.size === 0) {
      const diagnosis: Diagnosis = {
        numAllNodes: all.length,
        statuses: new Map(),
        absent: CONFLICT_STATUS,
        preFilterMsg: CONFLICT_STATUS.reasons[0] ?? '',
      };
      return unfit(pod, diagnosis, all);
    }
    const narrowed: NodeState[] = [];
    for (const name of pinned) {
      const node = cache.node(name);
      if (node) narrowed.push(node);
    }
    candidates = narrowed;
    absent = NOT_PINNED_STATUS;
  }
  const statuses = new Map<string, NodeStatus>();
  const feasible: NodeState[] = [];
  const n = candidates.length;
  const wanted = numFeasibleNodesToFind(n, options.percentageOfNodesToScore);
  const start = n === 0 ? 0 : options.cursor.next % n;
  let processed = 0;
  for (let i = 0; i < n && feasible.length < wanted; i++) {
    const node = candidates[(start + i) % n] as NodeState;
    processed++;
    const status = filterNode(pod, node);
    if (status) statuses.set(node.name, status);
    else feasible.push(node);
  }
  options.cursor.next = (options.cursor.next + processed) % all.length;
  if (feasible.length === 0) {
    return unfit(pod, { numAllNodes: all.length, statuses, ...(absent ? { absent } : {}) }, all);
  }
  if (feasible.length === 1) return { kind: 'fit', node: (feasible[0] as NodeState).name };
  return { kind: 'fit', node: selectNode(pod, feasible, { allNodes: all, random: options.random }).name };
}

/** kube's numFeasibleNodesToFind: all of a small cluster, else a share that shrinks as it grows. */
export function numFeasibleNodesToFind(nodes: number, percentage: number): number {
  if (nodes < MIN_FEASIBLE_NODES_TO_FIND) return nodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - Math.trunc(nodes / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.trunc((nodes * Math.min(pct, 100)) / 100));
}

function unfit(pod: SchedulingPod, diagnosis: Diagnosis, all: readonly NodeState[]): ScheduleOutcome {
  const plugins = new Set<string>();
  for (const status of diagnosis.statuses.values()) plugins.add(status.plugin);
  if (diagnosis.absent && diagnosis.statuses.size < diagnosis.numAllNodes)
    plugins.add(diagnosis.absent.plugin);
  const message = fitErrorMessage(diagnosis, preemptionMessage(pod, diagnosis, all));
  return { kind: 'unfit', message, plugins };
}
