/**
 * The node-side half of one simulated kubelet: registration, the node Lease heartbeat and node
 * status reports (pkg/kubelet/kubelet_node_status.go and nodelease).
 *
 * Invariants: `beat` never runs twice at once for a node (the caller checks `busy`); a down node
 * writes nothing; writes are skipped when they would change nothing but a timestamp that is not
 * yet due (lease every `leaseRenewMs`, status every `statusReportMs` or when the server's copy
 * of the conditions disagrees with a live kubelet's).
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { KubeObject } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../api/status.js';
import type { ApiClient } from '../../client/api-client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { KubeletTiming, NodeSpec } from './kubelet-options.js';
import { healthyConditionEvent, healthyConditions, nodeStatus, registrationNode } from './node-object.js';
import type { NodeCondition, NodeIdentity } from './node-object.js';

const NODES = { apiVersion: 'v1', plural: 'nodes' } as const;
const LEASES = {
  apiVersion: 'coordination.k8s.io/v1',
  plural: 'leases',
  namespace: 'kube-node-lease',
} as const;
const FIELD_MANAGER = 'kubelet';

/** Options of `NodeAgent`. */
export interface NodeAgentOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  spec: NodeSpec;
  identity: NodeIdentity;
  timing: KubeletTiming;
  /** The node as the shared informer has it (to notice conditions others changed). */
  cached: () => KubeObject | undefined;
  recorder?: EventRecorder | undefined;
  /** Uniform in [0, 1), for the jitter of renewals and reports (default `Math.random`). */
  random?: () => number;
}

/**
 * How much later than its period a renewal or report may come, as a fraction of the period: kubelet
 * runs both loops with this jitter, so nodes started together drift apart instead of writing in
 * lockstep (in a fleet of 100 simulated clusters, 200 nodes renewing at the same instant stalled
 * the process for a fifth of a second every 10 s).
 */
const JITTER = 0.04;

/** Registration, lease and status of one node. */
export class NodeAgent {
  readonly #o: NodeAgentOptions;
  #down = false;
  #busy = false;
  #uid: string | undefined;
  #lease: KubeObject | undefined;
  #conditions: NodeCondition[] | undefined;
  #leaseDueAt = 0;
  #statusDueAt = 0;
  /** True until the first successful status post after a (re)start: announces the kubelet. */
  #starting = true;

  constructor(options: NodeAgentOptions) {
    this.#o = options;
  }

  get name(): string {
    return this.#o.spec.name;
  }

  get down(): boolean {
    return this.#down;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** Stops (or resumes) all writes; a resumed node re-announces itself and posts at once. */
  setDown(down: boolean): void {
    if (down === this.#down) return;
    this.#down = down;
    if (!down) {
      this.#starting = true;
      this.#leaseDueAt = 0;
      this.#statusDueAt = 0;
    }
  }

  /** When the next lease renewal or status report is due (clock ms). */
  get nextAt(): number {
    return Math.min(this.#leaseDueAt, this.#statusDueAt);
  }

  /** Registers if needed, then renews the lease and posts status when due. Throws on API failures. */
  async beat(signal: AbortSignal): Promise<void> {
    if (this.#down || this.#busy) return;
    this.#busy = true;
    try {
      if (this.#uid === undefined) await this.#register(signal);
      const now = this.#o.clock.now();
      if (now >= this.#statusDueAt || this.#serverDisagrees()) await this.#postStatus(signal);
      if (this.#o.clock.now() >= this.#leaseDueAt) await this.#renewLease(signal);
    } finally {
      this.#busy = false;
    }
  }

  async #register(signal: AbortSignal): Promise<void> {
    let node: KubeObject;
    try {
      node = await this.#o.client.get(NODES, this.name, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      node = await this.#o.client.create(NODES, registrationNode(this.#o.spec), {
        signal,
        fieldManager: FIELD_MANAGER,
      });
      this.#o.log.info({ node: this.name }, 'node registered');
    }
    this.#uid = node.metadata.uid;
    this.#conditions = conditionsOf(node);
  }

  /** True when the cached node shows conditions a live kubelet would not post (e.g. Unknown). */
  #serverDisagrees(): boolean {
    const cached = this.#o.cached();
    if (!cached || this.#conditions === undefined) return false;
    const server = conditionsOf(cached) ?? [];
    return this.#conditions.some((mine) => {
      const theirs = server.find((c) => c.type === mine.type);
      return theirs?.status !== mine.status || theirs.reason !== mine.reason;
    });
  }

  async #postStatus(signal: AbortSignal): Promise<void> {
    const now = this.#o.clock.now();
    const previous = conditionsOf(this.#o.cached()) ?? this.#conditions;
    const conditions = healthyConditions(previous, now);
    const status = nodeStatus(this.#o.spec, this.#o.identity, conditions);
    try {
      await this.#o.client.patch(NODES, this.name, {
        body: { status },
        options: { type: 'merge', subresource: 'status', fieldManager: FIELD_MANAGER, signal },
      });
    } catch (err) {
      // The Node was deleted under us: register it again on the next beat, as KWOK does.
      if (isNotFound(err)) {
        this.#uid = undefined;
        this.#lease = undefined;
        this.#starting = true;
      }
      throw err;
    }
    this.#announce(previous, conditions);
    this.#conditions = conditions;
    this.#statusDueAt = now + this.#jittered(this.#o.timing.statusReportMs);
  }

  /** Kubelet's node events: `Starting` after a (re)start, one per condition that turned healthy. */
  #announce(previous: readonly NodeCondition[] | undefined, next: readonly NodeCondition[]): void {
    const recorder = this.#o.recorder;
    const ref = { apiVersion: '', kind: 'Node', metadata: { name: this.name, uid: this.name } };
    if (recorder && this.#starting) {
      recorder.record(ref, { type: 'Normal', reason: 'Starting', message: 'Starting kubelet.' });
      recorder.record(ref, {
        type: 'Normal',
        reason: 'NodeAllocatableEnforced',
        message: 'Updated Node Allocatable limit across pods',
      });
    }
    this.#starting = false;
    if (!recorder) return;
    for (const c of next) {
      const before = previous?.find((p) => p.type === c.type);
      if (before?.status === c.status && before.reason === c.reason) continue;
      const reason = healthyConditionEvent(c.type);
      recorder.record(ref, {
        type: 'Normal',
        reason,
        message: `Node ${this.name} status is now: ${reason}`,
      });
    }
  }

  /** `periodMs` plus up to `JITTER` of it. */
  #jittered(periodMs: number): number {
    return periodMs * (1 + JITTER * (this.#o.random ?? Math.random)());
  }

  async #renewLease(signal: AbortSignal): Promise<void> {
    const now = this.#o.clock.now();
    const spec = {
      holderIdentity: this.name,
      leaseDurationSeconds: this.#o.timing.leaseDurationSeconds,
      renewTime: microTime(now),
    };
    try {
      if (this.#lease) {
        const next = { ...this.#lease, spec: { ...(this.#lease['spec'] as object), ...spec } };
        this.#lease = await this.#o.client.update(LEASES, next, { signal, fieldManager: FIELD_MANAGER });
      } else {
        this.#lease = await this.#createOrAdopt(spec, signal);
      }
      this.#leaseDueAt = now + this.#jittered(this.#o.timing.leaseRenewMs);
    } catch (err) {
      // A stale or missing copy: forget it so the next beat re-reads or re-creates the lease.
      if (isConflict(err) || isNotFound(err)) this.#lease = undefined;
      throw err;
    }
  }

  async #createOrAdopt(spec: Record<string, unknown>, signal: AbortSignal): Promise<KubeObject> {
    try {
      const current = await this.#o.client.get(LEASES, this.name, { signal });
      const next = { ...current, spec: { ...(current['spec'] as object), ...spec } };
      return await this.#o.client.update(LEASES, next, { signal, fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.name,
        namespace: LEASES.namespace,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: this.#uid ?? '' }],
      },
      spec,
    };
    return this.#o.client.create(LEASES, lease, { signal, fieldManager: FIELD_MANAGER });
  }
}

function conditionsOf(node: KubeObject | undefined): NodeCondition[] | undefined {
  return (node?.['status'] as { conditions?: NodeCondition[] } | undefined)?.conditions;
}

/** RFC 3339 with microseconds, as kube writes `MicroTime` (`renewTime`). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
