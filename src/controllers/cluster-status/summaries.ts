/**
 * A member's node and resource summaries (API.md's Cluster status) from its nodes and pods:
 * - nodeSummary: all nodes, and those whose Ready condition is True;
 * - allocatable: the sum over ready nodes;
 * - allocated: requests of non-terminal pods bound to ready nodes;
 * - allocating: requests of non-terminal pods not yet bound;
 * - available: allocatable − allocated − allocating (never below 0);
 * - continuous: per resource, the largest free amount on any one ready, schedulable node.
 * Pure; requests as Kubernetes computes them (api/pod-resources.ts), `pods` included.
 */
import type { ResourceSummary } from '../../api/flotilla/cluster.js';
import type { KubeObject } from '../../api/meta.js';
import {
  addResourceAmounts,
  formatResourceAmounts,
  podRequests,
  resourceAmounts,
} from '../../api/pod-resources.js';
import type { ResourceAmounts, ResourceList } from '../../api/pod-resources.js';

export interface NodeLike extends KubeObject {
  spec?: { unschedulable?: boolean };
  status?: { allocatable?: ResourceList; conditions?: { type: string; status: string }[] };
}

export interface PodLike extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

export interface Summaries {
  nodeSummary: { totalNum: number; readyNum: number };
  resourceSummary: ResourceSummary;
}

/**
 * Requests of each pod object seen: a summary is recomputed about once a second per member while
 * its pods change, over all of them, and informers replace a changed pod rather than edit it, so
 * a pod's requests are parsed once instead of at every summary (during a failover that parsing was
 * 2.6% of the hub's CPU).
 */
const requestsOf = new WeakMap<PodLike, Readonly<ResourceAmounts>>();

function requestsOfPod(p: PodLike): Readonly<ResourceAmounts> {
  let requests = requestsOf.get(p);
  if (requests === undefined) requestsOf.set(p, (requests = podRequests(p)));
  return requests;
}

/** The summaries of a member with `nodes` and `pods` (objects never changed once passed here). */
export function summarize(nodes: readonly NodeLike[], pods: readonly PodLike[]): Summaries {
  const ready = new Map<string, NodeLike>();
  for (const n of nodes)
    if (n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      ready.set(n.metadata.name ?? '', n);
  const allocatable: ResourceAmounts = {};
  const used = new Map<string, ResourceAmounts>();
  for (const [name, n] of ready) {
    addResourceAmounts(allocatable, resourceAmounts(n.status?.allocatable));
    used.set(name, {});
  }
  const allocated: ResourceAmounts = {};
  const allocating: ResourceAmounts = {};
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const node = p.spec?.nodeName;
    const requests = requestsOfPod(p);
    if (!node) addResourceAmounts(allocating, requests);
    else {
      const onNode = used.get(node);
      if (!onNode) continue; // bound to a node that is not ready: its capacity is not counted either
      addResourceAmounts(allocated, requests);
      addResourceAmounts(onNode, requests);
    }
  }
  const available: ResourceAmounts = {};
  for (const name in allocatable)
    available[name] = Math.max(
      0,
      (allocatable[name] ?? 0) - (allocated[name] ?? 0) - (allocating[name] ?? 0),
    );
  const continuous: ResourceAmounts = {};
  for (const [name, n] of ready) {
    if (n.spec?.unschedulable) continue;
    const free = resourceAmounts(n.status?.allocatable);
    const taken = used.get(name) ?? {};
    for (const r in free) continuous[r] = Math.max(continuous[r] ?? 0, (free[r] ?? 0) - (taken[r] ?? 0));
  }
  return {
    nodeSummary: { totalNum: nodes.length, readyNum: ready.size },
    resourceSummary: {
      allocatable: formatResourceAmounts(allocatable),
      allocated: formatResourceAmounts(allocated),
      allocating: formatResourceAmounts(allocating),
      available: formatResourceAmounts(available),
      continuous: formatResourceAmounts(continuous),
    },
  };
}
