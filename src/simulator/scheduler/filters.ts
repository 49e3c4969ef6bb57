/**
 * The Filter plugins of kube-scheduler's default profile that matter to a simulated cluster, run
 * in kube's order (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodeResourcesFit);
 * the first plugin that rejects a node decides its status, as in kube's framework. Reasons and
 * codes are kube's: `Unschedulable` can be fixed by removing pods (preemption), while
 * `UnschedulableAndUnresolvable` cannot.
 */
import type { ResourceAmounts } from '../../api/pod-resources.js';
import type { SchedulingPod } from './pod-info.js';
import type { NodeState } from './scheduler-cache.js';
import { UNSCHEDULABLE_TAINT, firstUntoleratedTaint, tolerated } from './taints.js';

/** Why a node cannot take a pod. */
export type RejectionCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** The verdict of the plugin that rejected a node. */
export interface NodeStatus {
  readonly code: RejectionCode;
  readonly reasons: readonly string[];
  /** The plugin that said no (decides which cluster events can help the pod). */
  readonly plugin: string;
}

/** Plugin names, as kube-scheduler names them. */
export const NODE_RESOURCES_FIT = 'NodeResourcesFit';
export const NODE_AFFINITY = 'NodeAffinity';
export const TAINT_TOLERATION = 'TaintToleration';
export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';

const UNSCHEDULABLE_STATUS: NodeStatus = Object.freeze({
  code: 'UnschedulableAndUnresolvable',
  reasons: Object.freeze(['node(s) were unschedulable']),
  plugin: NODE_UNSCHEDULABLE,
});

const AFFINITY_STATUS: NodeStatus = Object.freeze({
  code: 'UnschedulableAndUnresolvable',
  reasons: Object.freeze(["node(s) didn't match Pod's node affinity/selector"]),
  plugin: NODE_AFFINITY,
});

/** Runs the filters; undefined when the node can take the pod. */
export function filterNode(pod: SchedulingPod, node: NodeState): NodeStatus | undefined {
  if (node.unschedulable && !tolerated(pod.tolerations, UNSCHEDULABLE_TAINT)) return UNSCHEDULABLE_STATUS;
  // NodeName passes: the scheduler only places pods whose spec.nodeName is empty.
  if (node.taints.length > 0) {
    const taint = firstUntoleratedTaint(node.taints, pod.tolerations);
    if (taint) {
      return {
        code: 'UnschedulableAndUnresolvable',
        reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`],
        plugin: TAINT_TOLERATION,
      };
    }
  }
  if (!pod.selection.matches(node)) return AFFINITY_STATUS;
  return fitsResources(pod, node);
}

/**
 * NodeResourcesFit: the pod count, then cpu, memory, ephemeral-storage and scalar resources
 * (extended, hugepages) against allocatable minus what the node's pods request, less `freed`
 * (requests of pods a preemption dry run removes). A shortfall the empty node could not cover
 * either is unresolvable.
 */
export function fitsResources(
  pod: SchedulingPod,
  node: NodeState,
  freed?: Readonly<ResourceAmounts>,
): NodeStatus | undefined {
  let reasons: string[] | undefined;
  let unresolvable = false;
  const podCount = node.podCount - (freed?.['pods'] ?? 0);
  if (podCount + 1 > (node.allocatable['pods'] ?? 0)) reasons = ['Too many pods'];
  for (const name of pod.checkedResources) {
    const want = pod.requests[name] ?? 0;
    if (want <= 0) continue;
    const allocatable = node.allocatable[name] ?? 0;
    const used = (node.requested[name] ?? 0) - (freed?.[name] ?? 0);
    if (want > allocatable - used) {
      (reasons ??= []).push(`Insufficient ${name}`);
      if (want > allocatable) unresolvable = true;
    }
  }
  if (reasons === undefined) return undefined;
  return {
    code: unresolvable ? 'UnschedulableAndUnresolvable' : 'Unschedulable',
    reasons,
    plugin: NODE_RESOURCES_FIT,
  };
}
