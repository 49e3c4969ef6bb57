/**
 * The scheduler's view of the cluster (kube-scheduler's `internal/cache`): per node, its
 * allocatable, taints and labels, and running totals of what the pods on it request, kept
 * incrementally from informer events so a scheduling attempt never re-sums pods.
 *
 * Invariants:
 * - A pod is accounted on at most one node (`#pods` maps its key to its entry).
 * - An *assumed* pod is one this scheduler is binding: it is accounted at once, so pods scheduled
 *   next see its requests before the informer shows the binding; the informer's copy later
 *   confirms it in place, and `forget` undoes it when the binding fails.
 * - Terminal pods (Succeeded/Failed) hold nothing and are not accounted.
 * - A node's state outlives its Node object while pods are still accounted on it (kube's ghost
 *   nodes), so their requests are not lost if the Node comes back.
 */
import type { KubeObject } from '../../api/meta.js';
import { addResourceAmounts, resourceAmounts } from '../../api/pod-resources.js';
import type { ResourceAmounts, ResourceList } from '../../api/pod-resources.js';
import { objectKey } from '../../client/informer.js';
import type { SchedulingPod } from './pod-info.js';
import { spreadGroupOf, podSpec, schedulingPod } from './pod-info.js';
import type { Taint } from './taints.js';

/** The zone label kube's default topology spreading uses. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** What one accounted pod contributes to its node. */
export interface PodEntry {
  readonly key: string;
  readonly uid: string;
  readonly node: string;
  readonly requests: Readonly<ResourceAmounts>;
  readonly nonZeroCpu: number;
  readonly nonZeroMemory: number;
  readonly priority: number;
  /** Counted for spreading only while not terminating, as kube's spreading skips terminating pods. */
  readonly spreadGroup: string | undefined;
  readonly terminating: boolean;
  readonly assumed: boolean;
}

interface NodeSpecLike {
  unschedulable?: boolean;
  taints?: Taint[];
}

interface NodeStatusLike {
  allocatable?: ResourceList;
  capacity?: ResourceList;
}

/** One node and the totals of the pods accounted on it. Read-only outside the cache. */
export class NodeState {
  node: KubeObject | undefined;
  labels: Readonly<Record<string, string>> = {};
  taints: readonly Taint[] = [];
  unschedulable = false;
  allocatable: Readonly<ResourceAmounts> = {};
  /** Sum of the accounted pods' requests (`pods` = their number). */
  readonly requested: ResourceAmounts = {};
  nonZeroCpu = 0;
  nonZeroMemory = 0;
  readonly pods = new Map<string, PodEntry>();
  /** Non-terminating pods per spreading group. */
  readonly groups = new Map<string, number>();
  /** Accounted pods per priority (to tell quickly whether preemption could find victims). */
  readonly priorities = new Map<number, number>();
  /** Scheduling-relevant parts of the Node, to tell a real change from a heartbeat. */
  signature = '';

  constructor(readonly name: string) {}

  /** The pod count kube compares with allocatable `pods`. */
  get podCount(): number {
    return this.pods.size;
  }

  add(entry: PodEntry): void {
    this.pods.set(entry.key, entry);
    addResourceAmounts(this.requested, entry.requests);
    this.nonZeroCpu += entry.nonZeroCpu;
    this.nonZeroMemory += entry.nonZeroMemory;
    bump(this.priorities, entry.priority, 1);
    if (entry.spreadGroup !== undefined && !entry.terminating) bump(this.groups, entry.spreadGroup, 1);
  }

  remove(entry: PodEntry): void {
    this.pods.delete(entry.key);
    addResourceAmounts(this.requested, entry.requests, -1);
    this.nonZeroCpu -= entry.nonZeroCpu;
    this.nonZeroMemory -= entry.nonZeroMemory;
    bump(this.priorities, entry.priority, -1);
    if (entry.spreadGroup !== undefined && !entry.terminating) bump(this.groups, entry.spreadGroup, -1);
  }
}

/** How a Node event changed the cache. */
export type NodeChange = 'added' | 'updated' | 'unchanged';

/** The cluster as the scheduler accounts it. */
export class SchedulerCache {
  readonly #nodes = new Map<string, NodeState>();
  readonly #pods = new Map<string, PodEntry>();
  #list: NodeState[] | undefined;

  /** Nodes that exist (have a Node object), in a stable order. */
  nodes(): readonly NodeState[] {
    this.#list ??= [...this.#nodes.values()].filter((n) => n.node !== undefined);
    return this.#list;
  }

  /** The state of node `name`, if it exists. */
  node(name: string): NodeState | undefined {
    const state = this.#nodes.get(name);
    return state?.node ? state : undefined;
  }

  /** Records a Node; reports whether anything the scheduler filters or scores on changed. */
  setNode(node: KubeObject): NodeChange {
    const name = node.metadata.name ?? '';
    let state = this.#nodes.get(name);
    const existed = state?.node !== undefined;
    if (!state) this.#nodes.set(name, (state = new NodeState(name)));
    if (!existed) this.#list = undefined;
    state.node = node;
    const spec = (node['spec'] ?? {}) as NodeSpecLike;
    const status = (node['status'] ?? {}) as NodeStatusLike;
    const allocatable = status.allocatable ?? status.capacity;
    const signature = JSON.stringify([allocatable, node.metadata.labels, spec.taints, spec.unschedulable]);
    if (existed && signature === state.signature) return 'unchanged';
    state.signature = signature;
    state.labels = node.metadata.labels ?? {};
    state.taints = spec.taints ?? [];
    state.unschedulable = spec.unschedulable === true;
    state.allocatable = resourceAmounts(allocatable);
    return existed ? 'updated' : 'added';
  }

  /** Forgets the Node object (its pods stay accounted until they go). */
  removeNode(name: string): void {
    const state = this.#nodes.get(name);
    if (!state) return;
    state.node = undefined;
    state.signature = '';
    this.#list = undefined;
    if (state.pods.size === 0) this.#nodes.delete(name);
  }

  /** True when `key` is accounted as assumed (its binding is in flight or not yet observed). */
  isAssumed(key: string): boolean {
    return this.#pods.get(key)?.assumed === true;
  }

  /** Accounts `pod` on `node` ahead of its binding. */
  assume(pod: SchedulingPod, node: string): void {
    this.#put({
      key: pod.key,
      uid: pod.uid,
      node,
      requests: pod.requests,
      nonZeroCpu: pod.nonZeroCpu,
      nonZeroMemory: pod.nonZeroMemory,
      priority: pod.priority,
      spreadGroup: pod.spreadGroup,
      terminating: false,
      assumed: true,
    });
  }

  /** Undoes `assume` after a failed binding (no-op once the informer has confirmed the pod). */
  forget(key: string): void {
    const entry = this.#pods.get(key);
    if (entry?.assumed) this.#remove(entry);
  }

  /**
   * Accounts an assigned, non-terminal pod from the informer (confirming an assumed one). Cheap
   * when nothing the cache keeps changed, which is the common case of kubelet status updates.
   */
  setAssignedPod(pod: KubeObject): void {
    const key = objectKey(pod);
    const node = podSpec(pod).nodeName ?? '';
    const uid = pod.metadata.uid ?? '';
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    const group = spreadGroupOf(pod);
    const old = this.#pods.get(key);
    if (
      old &&
      old.uid === uid &&
      old.node === node &&
      old.terminating === terminating &&
      old.spreadGroup === group
    ) {
      if (old.assumed) this.#put({ ...old, assumed: false });
      return;
    }
    const view = old && old.uid === uid ? undefined : schedulingPod(pod);
    this.#put({
      key,
      uid,
      node,
      requests: view?.requests ?? old?.requests ?? {},
      nonZeroCpu: view?.nonZeroCpu ?? old?.nonZeroCpu ?? 0,
      nonZeroMemory: view?.nonZeroMemory ?? old?.nonZeroMemory ?? 0,
      priority: view?.priority ?? old?.priority ?? 0,
      spreadGroup: group,
      terminating,
      assumed: false,
    });
  }

  /** Stops accounting pod `key`; true when it was accounted (its node has room again). */
  removePod(key: string): boolean {
    const entry = this.#pods.get(key);
    if (!entry) return false;
    this.#remove(entry);
    return true;
  }

  #put(entry: PodEntry): void {
    const old = this.#pods.get(entry.key);
    if (old) this.#remove(old);
    let state = this.#nodes.get(entry.node);
    if (!state) this.#nodes.set(entry.node, (state = new NodeState(entry.node)));
    state.add(entry);
    this.#pods.set(entry.key, entry);
  }

  #remove(entry: PodEntry): void {
    this.#pods.delete(entry.key);
    const state = this.#nodes.get(entry.node);
    if (!state) return;
    state.remove(entry);
    if (state.node === undefined && state.pods.size === 0) this.#nodes.delete(entry.node);
  }
}

function bump<K>(map: Map<K, number>, key: K, delta: number): void {
  const n = (map.get(key) ?? 0) + delta;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}
