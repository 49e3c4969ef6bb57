/**
 * What the scheduler needs to know about a pod, computed once per pod version: its requests (plain
 * and with the scoring defaults), tolerations, node selection, priority and spreading group.
 */
import type { KubeObject } from '../../api/meta.js';
import { NON_ZERO_DEFAULTS, podRequests } from '../../api/pod-resources.js';
import type { ResourceAmounts } from '../../api/pod-resources.js';
import { objectKey } from '../../client/informer.js';
import type { NodeAffinitySpec } from './node-affinity.js';
import { PodNodeSelection } from './node-affinity.js';
import type { Toleration } from './taints.js';

/** The scheduler kube-scheduler answers for by default. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** Controller kinds whose pods kube's default topology spreading groups (Services aside). */
const SPREAD_OWNER_KINDS: ReadonlySet<string> = new Set([
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
]);

/** The PodSpec fields the scheduler reads. */
export interface PodSpecLike {
  nodeName?: string;
  schedulerName?: string;
  priority?: number;
  preemptionPolicy?: string;
  nodeSelector?: Record<string, string>;
  affinity?: { nodeAffinity?: NodeAffinitySpec };
  tolerations?: Toleration[];
  schedulingGates?: { name: string }[];
}

/** A pod as the scheduler sees it. Never mutated after construction. */
export interface SchedulingPod {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly priority: number;
  /** `preemptionPolicy: Never`: the pod may not preempt (kube says so in its message). */
  readonly preemptNever: boolean;
  /** Requests including `pods: 1` (cpu in millicores). */
  readonly requests: Readonly<ResourceAmounts>;
  /** Resources NodeResourcesFit compares: cpu, memory, ephemeral-storage, then scalar ones requested. */
  readonly checkedResources: readonly string[];
  /** cpu and memory with kube's 100m / 200Mi stand-ins for unset requests (for scoring). */
  readonly nonZeroCpu: number;
  readonly nonZeroMemory: number;
  readonly tolerations: readonly Toleration[];
  readonly selection: PodNodeSelection;
  /** UID of the ReplicaSet/ReplicationController/StatefulSet that controls it: its spreading group. */
  readonly spreadGroup: string | undefined;
  readonly obj: KubeObject;
}

/** The pod's spec, typed for what the scheduler reads. */
export function podSpec(pod: KubeObject): PodSpecLike {
  const spec = pod['spec'] as PodSpecLike | undefined;
  return spec ?? {};
}

/** Succeeded or Failed: the pod no longer holds node resources. */
export function isTerminal(pod: KubeObject): boolean {
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** True when the pod has a node. */
export function isAssigned(pod: KubeObject): boolean {
  const node = podSpec(pod).nodeName;
  return node !== undefined && node !== '';
}

/**
 * True when `schedulerName` should place this pod now: unassigned, not terminating, not finished,
 * no scheduling gates, and addressed to it (an unset schedulerName means the default scheduler).
 */
export function wantsScheduling(pod: KubeObject, schedulerName: string): boolean {
  const spec = podSpec(pod);
  if (isAssigned(pod) || pod.metadata.deletionTimestamp !== undefined || isTerminal(pod)) return false;
  if ((spec.schedulingGates?.length ?? 0) > 0) return false;
  return (spec.schedulerName ?? DEFAULT_SCHEDULER_NAME) === schedulerName;
}

/** The spreading group: UID of the controlling ReplicaSet, ReplicationController or StatefulSet. */
export function spreadGroupOf(pod: KubeObject): string | undefined {
  for (const ref of pod.metadata.ownerReferences ?? []) {
    if (ref.controller === true && SPREAD_OWNER_KINDS.has(ref.kind)) return ref.uid;
  }
  return undefined;
}

/** Builds the scheduling view of `pod`. */
export function schedulingPod(pod: KubeObject): SchedulingPod {
  const spec = podSpec(pod);
  const nonZero = podRequests(pod, { nonMissing: NON_ZERO_DEFAULTS });
  const requests = podRequests(pod);
  return {
    key: objectKey(pod),
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
    priority: spec.priority ?? 0,
    preemptNever: spec.preemptionPolicy === 'Never',
    requests,
    checkedResources: checkedResources(requests),
    nonZeroCpu: nonZero['cpu'] ?? 0,
    nonZeroMemory: nonZero['memory'] ?? 0,
    tolerations: spec.tolerations ?? [],
    selection: new PodNodeSelection(spec.nodeSelector, spec.affinity?.nodeAffinity),
    spreadGroup: spreadGroupOf(pod),
    obj: pod,
  };
}

/** The resources NodeResourcesFit compares for a pod with these requests, in kube's order. */
export function checkedResources(requests: Readonly<Record<string, number>>): string[] {
  const names = ['cpu', 'memory', 'ephemeral-storage'];
  for (const name in requests) if (isScalarResource(name)) names.push(name);
  return names;
}

/**
 * kube's IsScalarResourceName: extended resources (`example.com/foo`), prefixed native
 * (`kubernetes.io/...`), hugepages and attachable volumes. Others (unknown bare names) are ignored.
 */
export function isScalarResource(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}
