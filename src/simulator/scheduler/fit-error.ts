/**
 * kube-scheduler's account of why a pod fits nowhere (`framework.FitError` plus the
 * DefaultPreemption PostFilter's dry run), word for word what `kubectl describe pod` shows:
 *
 *   0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: },
 *   2 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for
 *   incoming pod.
 *
 * Reasons are counted over nodes, printed as `<count> <reason>` and sorted as Go's sort.Strings
 * does (byte order, so "10 …" sorts before "2 …").
 */
import { compareStrings } from '../../api/labels/requirement.js';
import type { ResourceAmounts } from '../../api/pod-resources.js';
import type { NodeStatus } from './filters.js';
import { fitsResources } from './filters.js';
import type { SchedulingPod } from './pod-info.js';
import type { NodeState } from './scheduler-cache.js';

/** Why no node fit, per node. */
export interface Diagnosis {
  readonly numAllNodes: number;
  /** Nodes the filters rejected, with the rejecting plugin's status. */
  readonly statuses: ReadonlyMap<string, NodeStatus>;
  /** The status of nodes not in `statuses` (e.g. excluded up front by a PreFilter result). */
  readonly absent?: NodeStatus;
  /** A PreFilter rejection that applies to every node (replaces the per-node reasons). */
  readonly preFilterMsg?: string;
}

/** The message of an unschedulable pod when no node exists at all. */
export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';

const NOT_HELPFUL: NodeStatus = Object.freeze({
  code: 'UnschedulableAndUnresolvable',
  reasons: Object.freeze(['Preemption is not helpful for scheduling']),
  plugin: 'DefaultPreemption',
});

const NO_VICTIMS: NodeStatus = Object.freeze({
  code: 'UnschedulableAndUnresolvable',
  reasons: Object.freeze(['No preemption victims found for incoming pod']),
  plugin: 'DefaultPreemption',
});

/** `0/N nodes are available: <prefilter or sorted reason histogram>.` plus the PostFilter message. */
export function fitErrorMessage(diagnosis: Diagnosis, postFilterMsg = ''): string {
  let msg = `0/${diagnosis.numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMsg) {
    msg += ` ${diagnosis.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const status of diagnosis.statuses.values())
      for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    const absentNodes = diagnosis.numAllNodes - diagnosis.statuses.size;
    if (absentNodes > 0 && diagnosis.absent)
      for (const reason of diagnosis.absent.reasons)
        counts.set(reason, (counts.get(reason) ?? 0) + absentNodes);
    const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(compareStrings);
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (postFilterMsg !== '') msg += ` ${postFilterMsg}`;
  return msg;
}

/**
 * What the DefaultPreemption PostFilter says after a dry run: nodes rejected for good are "not
 * helpful"; on the others, removing every lower-priority pod either makes room (a candidate:
 * kube would preempt, and the message is empty) or leaves the rejection standing. The simulator
 * never evicts anyone; it only words the outcome as kube does.
 */
export function preemptionMessage(
  pod: SchedulingPod,
  diagnosis: Diagnosis,
  nodes: readonly NodeState[],
): string {
  if (pod.preemptNever) return 'preemption: not eligible due to preemptionPolicy=Never.';
  const statuses = new Map<string, NodeStatus>();
  for (const node of nodes) {
    const status = diagnosis.statuses.get(node.name) ?? diagnosis.absent;
    if (status?.code !== 'Unschedulable') {
      statuses.set(node.name, NOT_HELPFUL);
      continue;
    }
    const freed = lowerPriorityRequests(node, pod.priority);
    if (!freed) {
      statuses.set(node.name, NO_VICTIMS);
      continue;
    }
    const after = fitsResources(pod, node, freed);
    if (!after) return ''; // a candidate exists: kube would preempt here
    statuses.set(node.name, after);
  }
  const message = fitErrorMessage({ numAllNodes: nodes.length, statuses, absent: NOT_HELPFUL });
  return `preemption: ${message}`;
}

/** Sum of the requests of the node's pods with priority below `priority`; undefined when there are none. */
function lowerPriorityRequests(node: NodeState, priority: number): ResourceAmounts | undefined {
  let any = false;
  for (const p of node.priorities.keys()) if (p < priority) any = true;
  if (!any) return undefined;
  const freed: ResourceAmounts = {};
  for (const entry of node.pods.values()) {
    if (entry.priority >= priority) continue;
    for (const name in entry.requests) freed[name] = (freed[name] ?? 0) + (entry.requests[name] ?? 0);
  }
  return freed;
}
