/**
 * The decisions of one DaemonSet pass, as pure functions over a snapshot (kube `manage`,
 * `podsShouldBeOnNode`, `rollingUpdate` and `updateDaemonSetStatus`):
 *
 * - manage: a node that should run a daemon pod and has none gets one; failed and succeeded
 *   daemon pods are replaced; extra pods on a node are pruned (keeping the oldest, or with surge
 *   one old and one new); pods on nodes that no longer fit, or no longer exist, are deleted.
 * - rolling update without surge: delete old pods while fewer than `maxUnavailable` nodes are
 *   unavailable (old unavailable pods are always replaceable); the next manage pass creates the
 *   new ones. With surge: create a new pod beside an old one on up to `maxSurge` nodes, delete the
 *   old pod once the new one is available.
 * - status: desired/current/misscheduled/ready/available/updated counts over all nodes.
 */
import { isPodAvailable, isPodReady, timeOf } from '../revisions/workload-pods.js';
import type { Pod } from '../revisions/workload-pods.js';
import { isPodUpdated, targetNodeOf, withDaemonTolerations } from './daemon-pods.js';
import type { DaemonSet, DaemonSetStatus } from './daemon-pods.js';
import { nodeFit } from './node-fit.js';
import type { Node, NodeFit } from './node-fit.js';

/** Everything a pass decides from. */
export interface DaemonSnapshot {
  ds: DaemonSet;
  nodes: readonly Node[];
  /** Pods the DaemonSet controls. */
  pods: readonly Pod[];
  hash: string;
  generation: string | undefined;
  nowMs: number;
}

/** What a snapshot implies per node. */
export interface DaemonView extends DaemonSnapshot {
  fits: ReadonlyMap<string, NodeFit>;
  /** Pods by target node, oldest first (terminating ones included). */
  byNode: ReadonlyMap<string, Pod[]>;
}

/** Writes the manage step asks for. */
export interface ManagePlan {
  createOn: string[];
  delete: Pod[];
  /** Failed pods to replace (subject to the caller's per-node backoff). */
  failed: { pod: Pod; node: string }[];
  /** Succeeded pods to replace. */
  succeeded: { pod: Pod; node: string }[];
  /** Pods whose node no longer exists. */
  orphaned: Pod[];
}

/** Fits and pods by node for a snapshot. */
export function viewOf(snapshot: DaemonSnapshot): DaemonView {
  const spec = withDaemonTolerations(snapshot.ds.spec.template.spec ?? {});
  const fits = new Map<string, NodeFit>();
  for (const node of snapshot.nodes) fits.set(node.metadata.name ?? '', nodeFit(spec, node));
  const byNode = new Map<string, Pod[]>();
  for (const pod of snapshot.pods) {
    const node = targetNodeOf(pod);
    if (node === undefined) continue;
    const list = byNode.get(node);
    if (list) list.push(pod);
    else byNode.set(node, [pod]);
  }
  for (const list of byNode.values()) list.sort(byAge);
  return { ...snapshot, fits, byNode };
}

/** Oldest first; among equals, the further-along phase first (podByCreationTimestampAndPhase). */
function byAge(a: Pod, b: Pod): number {
  const t = timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp);
  if (t !== 0 && !Number.isNaN(t)) return t;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** True when the update strategy allows surge (RollingUpdate with maxSurge > 0). */
export function surgeAllowed(ds: DaemonSet): boolean {
  const ru = ds.spec.updateStrategy?.rollingUpdate;
  return (
    (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' &&
    (ru?.maxSurge ?? 0) !== 0 &&
    ru?.maxSurge !== '0%'
  );
}

/** The manage step (podsShouldBeOnNode over every node, plus pods of vanished nodes). */
export function planManage(view: DaemonView): ManagePlan {
  const plan: ManagePlan = { createOn: [], delete: [], failed: [], succeeded: [], orphaned: [] };
  const surge = surgeAllowed(view.ds);
  for (const [node, fit] of view.fits) {
    const pods = view.byNode.get(node);
    if (fit.shouldRun && !pods) {
      plan.createOn.push(node);
      continue;
    }
    if (!pods) continue;
    if (!fit.shouldContinueRunning) {
      plan.delete.push(...pods.filter((p) => p.metadata.deletionTimestamp === undefined));
      continue;
    }
    const running: Pod[] = [];
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp !== undefined) continue;
      const phase = pod.status?.phase;
      if (phase === 'Failed') plan.failed.push({ pod, node });
      else if (phase === 'Succeeded') plan.succeeded.push({ pod, node });
      else running.push(pod);
    }
    if (!surge) {
      plan.delete.push(...running.slice(1));
      continue;
    }
    if (running.length <= 1) {
      if (running.length === 0 && fit.shouldRun) plan.createOn.push(node);
      continue;
    }
    plan.delete.push(...pruneSurged(view, running));
  }
  for (const [node, pods] of view.byNode) {
    if (view.fits.has(node)) continue;
    plan.orphaned.push(...pods.filter((p) => p.metadata.deletionTimestamp === undefined));
  }
  return plan;
}

/** With surge, keep the oldest new and the oldest old pod, the old one only while needed. */
function pruneSurged(view: DaemonView, running: Pod[]): Pod[] {
  const out: Pod[] = [];
  let newest: Pod | undefined;
  let oldest: Pod | undefined;
  for (const pod of running) {
    if (isPodUpdated(pod, view) && !newest) newest = pod;
    else if (!isPodUpdated(pod, view) && !oldest) oldest = pod;
    else out.push(pod);
  }
  if (newest && oldest) {
    const minReady = view.ds.spec.minReadySeconds ?? 0;
    if (!isPodReady(oldest) || isPodAvailable(newest, minReady, view.nowMs)) out.push(oldest);
  }
  return out;
}

function findUpdated(view: DaemonView, pods: readonly Pod[]): { fresh?: Pod; old?: Pod; ok: boolean } {
  let fresh: Pod | undefined;
  let old: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    if (isPodUpdated(pod, view)) {
      if (fresh) return { ok: false };
      fresh = pod;
    } else {
      if (old) return { ok: false };
      old = pod;
    }
  }
  return { ...(fresh ? { fresh } : {}), ...(old ? { old } : {}), ok: true };
}

/** maxSurge and maxUnavailable of the strategy, scaled to the desired count (updatedDesiredNodeCounts). */
export function updateBudget(view: DaemonView): {
  maxSurge: number;
  maxUnavailable: number;
  desired: number;
} {
  let desired = 0;
  for (const fit of view.fits.values()) if (fit.shouldRun) desired++;
  const ru = view.ds.spec.updateStrategy?.rollingUpdate;
  let maxUnavailable = scaledUp(ru?.maxUnavailable ?? 1, desired);
  const maxSurge = surgeAllowed(view.ds) ? scaledUp(ru?.maxSurge ?? 0, desired) : 0;
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desired };
}

function scaledUp(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(value) || 0;
}

/** The rolling-update step: pods to delete and nodes to surge onto. */
export function planRollingUpdate(view: DaemonView): { delete: Pod[]; createOn: string[] } {
  const { maxSurge, maxUnavailable, desired } = updateBudget(view);
  const minReady = view.ds.spec.minReadySeconds ?? 0;
  const available = (p: Pod): boolean => isPodAvailable(p, minReady, view.nowMs);
  const nodes = new Map<string, readonly Pod[]>();
  for (const [node, fit] of view.fits) if (fit.shouldRun) nodes.set(node, []);
  for (const [node, pods] of view.byNode) nodes.set(node, pods);
  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const pods of nodes.values()) {
      const { fresh, old, ok } = findUpdated(view, pods);
      if (!ok || (!fresh && !old) || (fresh && old)) unavailable++;
      else if (fresh) {
        if (!available(fresh)) unavailable++;
      } else if (old && !available(old)) {
        replace.push(old);
        unavailable++;
      } else if (old && unavailable < maxUnavailable) candidates.push(old);
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { delete: [...replace, ...candidates.slice(0, room)], createOn: [] };
  }
  const del: Pod[] = [];
  const notRunHere: Pod[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  let surged = 0;
  let availableCount = 0;
  for (const [node, pods] of nodes) {
    const { fresh, old, ok } = findUpdated(view, pods);
    if (!ok) {
      surged++;
      continue;
    }
    if ((old && available(old)) || (!old && fresh && available(fresh))) availableCount++;
    const shouldRun = view.fits.get(node)?.shouldRun === true;
    if (!old) continue;
    if (!fresh) {
      if (!available(old)) {
        if (shouldRun) allowed.push(node);
        else del.push(old);
      } else if (!shouldRun) notRunHere.push(old);
      else if (surged < maxSurge) candidates.push(node);
      continue;
    }
    if (!available(fresh)) surged++;
    else del.push(old);
  }
  const deletable = Math.min(Math.max(0, availableCount - desired), notRunHere.length);
  del.push(...notRunHere.slice(0, deletable));
  const room = Math.min(Math.max(0, maxSurge - surged), candidates.length);
  return { delete: del, createOn: [...allowed, ...candidates.slice(0, room)] };
}

/** The status counters of a view (updateDaemonSetStatus), without observedGeneration. */
export function daemonStatus(view: DaemonView): DaemonSetStatus {
  const minReady = view.ds.spec.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const [node, fit] of view.fits) {
    const pods = view.byNode.get(node) ?? [];
    if (!fit.shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    const pod = pods[0];
    if (!pod) continue;
    current++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, view.nowMs)) available++;
    }
    if (isPodUpdated(pod, view)) updated++;
  }
  return {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: desired - available,
  };
}
