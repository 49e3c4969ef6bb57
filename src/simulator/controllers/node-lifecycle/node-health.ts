/**
 * Node health as the node lifecycle controller sees it (tryUpdateNodeHealth): the last time this
 * controller observed a sign of life from a node's kubelet, a changed Lease `renewTime` or Ready
 * `lastHeartbeatTime`, measured on the controller's own clock (so kubelet clock skew does not
 * matter), and the conditions to post once a node stayed silent past its grace period.
 */
import { rfc3339Seconds } from '../../../base/clock.js';
import type { KubeObject } from '../../../api/meta.js';
import { cloneJson } from '../../../base/json-clone.js';

/** A node condition as the API carries it. */
export interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface Health {
  /** Controller time of the last observed sign of life. */
  probeAt: number;
  heartbeat: string | undefined;
  renewTime: string | undefined;
}

/** The conditions the controller turns Unknown when a kubelet goes silent. */
const WATCHED = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** Observed liveness per node. */
export class HealthTracker {
  readonly #health = new Map<string, Health>();

  /** Records what the caches show for node `name` at `now`; a new heartbeat or renewal moves the probe time. */
  observe(node: KubeObject, renewTime: string | undefined, now: number): void {
    const name = node.metadata.name ?? '';
    const heartbeat = readyCondition(node)?.lastHeartbeatTime;
    const h = this.#health.get(name);
    if (!h) {
      // A node seen for the first time gets a full grace period (kube: "assuming now").
      this.#health.set(name, { probeAt: now, heartbeat, renewTime });
      return;
    }
    if (heartbeat !== h.heartbeat) {
      h.heartbeat = heartbeat;
      h.probeAt = now;
    }
    if (renewTime !== undefined && (h.renewTime === undefined || renewTime > h.renewTime)) {
      h.renewTime = renewTime;
      h.probeAt = now;
    }
  }

  /** True when node `name` has been silent for longer than `graceMs` at `now`. */
  stale(name: string, now: number, graceMs: number): boolean {
    const h = this.#health.get(name);
    return h !== undefined && now > h.probeAt + graceMs;
  }

  /** When node `name` turns stale, if it is tracked. */
  staleAt(name: string, graceMs: number): number | undefined {
    const h = this.#health.get(name);
    return h === undefined ? undefined : h.probeAt + graceMs + 1;
  }

  /** Restarts every node's grace period at `now` (leaving master disruption mode). */
  resetAll(now: number): void {
    for (const h of this.#health.values()) h.probeAt = now;
  }

  forget(name: string): void {
    this.#health.delete(name);
  }
}

/** The node's Ready condition, if it has one. */
export function readyCondition(node: KubeObject): NodeCondition | undefined {
  return conditionsOf(node).find((c) => c.type === 'Ready');
}

/** The node's conditions (empty when it has none). */
export function conditionsOf(node: KubeObject): NodeCondition[] {
  return (node['status'] as { conditions?: NodeCondition[] } | undefined)?.conditions ?? [];
}

/**
 * The conditions of a silent node: Ready, MemoryPressure, DiskPressure and PIDPressure become
 * Unknown (`NodeStatusUnknown`, "Kubelet stopped posting node status.") or are added as
 * `NodeStatusNeverUpdated`. Undefined when they already are all Unknown.
 */
export function unknownConditions(node: KubeObject, now: number): NodeCondition[] | undefined {
  const at = rfc3339Seconds(now);
  const conditions = cloneJson(conditionsOf(node));
  let changed = false;
  for (const type of WATCHED) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({
        type,
        status: 'Unknown',
        lastHeartbeatTime: node.metadata.creationTimestamp ?? at,
        lastTransitionTime: at,
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = at;
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
