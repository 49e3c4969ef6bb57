/**
 * The node lifecycle controller of a simulated cluster (kube's pkg/controller/nodelifecycle plus
 * the taint eviction controller). Every `nodeMonitorPeriodMs` it checks each node's liveness
 * (Lease renewals and Ready heartbeats, see `HealthTracker`) and zone health; per node it:
 * - posts Ready/MemoryPressure/DiskPressure/PIDPressure `Unknown` once the kubelet was silent
 *   for `nodeMonitorGracePeriodMs` (`nodeStartupGracePeriodMs` before it ever posted Ready);
 * - keeps the condition NoSchedule taints (`not-ready`, `unreachable`, pressure, `unschedulable`)
 *   in line with the conditions, and adds the `not-ready`/`unreachable` NoExecute taint through
 *   the per-zone rate limiter (`ZoneTainter`), removing it once the node is Ready again;
 * - sets the Ready condition of the pods of a not-Ready node to False (MarkPodsNotReady);
 * - evicts pods that do not tolerate the node's NoExecute taints (`TaintEvictor`).
 * Writes compare first, so a healthy cluster costs no writes. Conflicts throw and are retried.
 */
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { KubeObject } from '../../../api/meta.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done, requeueAfter } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';
import { HealthTracker, readyCondition, unknownConditions } from './node-health.js';
import { TaintEvictor } from './taint-evictor.js';
import { markPodsNotReady } from './pod-readiness.js';
import { planTaints } from './taint-plan.js';
import type { Taint } from './taints.js';
import { ZoneTainter, zoneKey } from './zone-tainter.js';
import { cloneJson } from '../../../base/json-clone.js';

/** Options of `NodeLifecycleController` (defaults are kube-controller-manager's). */
export interface NodeLifecycleControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Events of component `node-controller` (RegisteredNode, NodeNotReady). */
  recorder?: EventRecorder;
  /** Events of component `taint-eviction-controller` (TaintManagerEviction). */
  evictionRecorder?: EventRecorder;
  /** How often node health is checked (default 5000). */
  nodeMonitorPeriodMs?: number;
  /** Silence after which a node is Unknown (default 40 000). */
  nodeMonitorGracePeriodMs?: number;
  /** The same for a node that never posted Ready (default 60 000). */
  nodeStartupGracePeriodMs?: number;
  /** Nodes per second that get a NoExecute taint (default 0.1). */
  evictionQps?: number;
  secondaryEvictionQps?: number;
  largeClusterThreshold?: number;
  unhealthyZoneThreshold?: number;
  /** How often queued nodes are offered rate-limiter tokens (default 100). */
  evictionPeriodMs?: number;
  /** Concurrent node reconciles (default 4). */
  workers?: number;
}

const NODES = { apiVersion: 'v1', plural: 'nodes' } as const;
const INDEX = 'nodelifecycle:spec.nodeName';
const FIELD_MANAGER = 'kube-controller-manager';

/** Node health, condition taints, NoExecute taints and taint-based eviction. */
export class NodeLifecycleController implements Runnable, Reconciler {
  readonly #o: NodeLifecycleControllerOptions;
  readonly #nodes: Informer;
  readonly #leases: Informer;
  readonly #pods: Informer;
  readonly #controller: Controller;
  readonly #health = new HealthTracker();
  readonly #zones: ZoneTainter;
  readonly #evictor: TaintEvictor;
  /** Nodes that got a token to receive their NoExecute taint. */
  readonly #granted = new Set<string>();
  readonly #known = new Set<string>();
  readonly #lastReady = new Map<string, string>();
  /** Nodes whose pods matter on every pod event: not Ready, or NoExecute-tainted. */
  readonly #attention = new Set<string>();

  constructor(options: NodeLifecycleControllerOptions) {
    this.#o = options;
    const { informers } = options;
    this.#nodes = informers.informer(NODES);
    this.#leases = informers.informer({
      apiVersion: 'coordination.k8s.io/v1',
      plural: 'leases',
      namespace: 'kube-node-lease',
    });
    this.#pods = informers.informer({ apiVersion: 'v1', plural: 'pods' });
    this.#zones = new ZoneTainter({
      evictionQps: options.evictionQps ?? 0.1,
      secondaryEvictionQps: options.secondaryEvictionQps ?? 0.01,
      largeClusterThreshold: options.largeClusterThreshold ?? 50,
      unhealthyZoneThreshold: options.unhealthyZoneThreshold ?? 0.55,
    });
    this.#evictor = new TaintEvictor({
      client: options.client,
      recorder: options.evictionRecorder,
      fieldManager: FIELD_MANAGER,
    });
    this.#pods.addIndex(INDEX, (p) => {
      const node = (p['spec'] as { nodeName?: string } | undefined)?.nodeName;
      return node ? [node] : [];
    });
    this.#controller = new Controller({
      name: 'node-lifecycle',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 4,
    });
    this.#watch();
  }

  #watch(): void {
    const nodeChanged = (node: KubeObject): void => {
      const name = node.metadata.name ?? '';
      const taints = (node['spec'] as { taints?: Taint[] } | undefined)?.taints ?? [];
      if (readyCondition(node)?.status !== 'True' || taints.some((t) => t.effect === 'NoExecute'))
        this.#attention.add(name);
      else this.#attention.delete(name);
      this.#controller.enqueue(name);
    };
    this.#nodes.addHandlers({
      onAdd: nodeChanged,
      onUpdate: (_old, n) => nodeChanged(n),
      onDelete: nodeChanged,
    });
    const leaseChanged = (lease: KubeObject): void => {
      const node = this.#nodes.get(lease.metadata.name ?? '');
      if (node) this.#health.observe(node, renewTime(lease), this.#o.clock.now());
    };
    this.#leases.addHandlers({ onAdd: leaseChanged, onUpdate: (_old, l) => leaseChanged(l) });
    const podChanged = (pod: KubeObject): void => {
      const node = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
      if (node && this.#attention.has(node)) this.#controller.enqueue(node);
    };
    this.#pods.addHandlers({
      onAdd: podChanged,
      onUpdate: (_old, p) => podChanged(p),
      onDelete: (p) => this.#evictor.podGone(p),
    });
  }

  /**
   * Runs until `signal` aborts. The informers are shared: started here if nobody did yet, but not
   * waited for on the way out, since their first starter owns them.
   */
  async start(signal: AbortSignal): Promise<void> {
    const informers = [this.#nodes, this.#leases, this.#pods];
    for (const informer of informers) void informer.start(signal);
    for (const informer of informers) if (!(await informer.waitForSync(signal))) return;
    await Promise.all([this.#controller.start(signal), this.#monitorLoop(signal)]);
  }

  async #monitorLoop(signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const period = this.#o.nodeMonitorPeriodMs ?? 5000;
    let nextMonitor = this.#o.clock.now();
    while (!signal.aborted) {
      const now = this.#o.clock.now();
      if (now >= nextMonitor) {
        this.#monitor(now);
        nextMonitor = now + period;
      }
      for (const name of this.#zones.take(now)) {
        this.#granted.add(name);
        this.#controller.enqueue(name);
      }
      const wait = this.#zones.pending
        ? Math.min(this.#o.evictionPeriodMs ?? 100, nextMonitor - now)
        : nextMonitor - now;
      await Promise.race([this.#o.clock.sleep(Math.max(1, wait)), aborted]);
    }
  }

  /** One monitorNodeHealth pass over the cache: liveness, zone states, nodes to look at. */
  #monitor(now: number): void {
    const readiness = new Map<string, (string | undefined)[]>();
    for (const node of this.#nodes.list()) {
      const name = node.metadata.name ?? '';
      if (!this.#known.has(name)) {
        this.#known.add(name);
        this.#nodeEvent(node, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
      }
      this.#health.observe(node, renewTime(this.#leases.get(`kube-node-lease/${name}`)), now);
      const ready = readyCondition(node)?.status;
      if (node.metadata.labels?.['node.kubernetes.io/exclude-disruption'] === undefined) {
        const zone = zoneKey(node.metadata.labels);
        const statuses = readiness.get(zone);
        if (statuses) statuses.push(ready);
        else readiness.set(zone, [ready]);
      }
      if (ready !== 'True' || this.#health.stale(name, now, this.#grace(node)))
        this.#controller.enqueue(name);
    }
    for (const name of this.#known) if (!this.#nodes.get(name)) this.#known.delete(name);
    const transition = this.#zones.update(readiness, now);
    if (transition === undefined) return;
    this.#o.log.info(
      { transition },
      transition === 'entered'
        ? 'all nodes not ready: master disruption mode'
        : 'some nodes ready: leaving master disruption mode',
    );
    if (transition === 'left') this.#health.resetAll(now);
    for (const node of this.#nodes.list()) this.#controller.enqueue(node.metadata.name ?? '');
  }

  /** One pass over node `name`: Unknown conditions, taints, pod readiness, evictions. */
  async reconcile(name: string, signal: AbortSignal): Promise<Result> {
    let node = this.#nodes.get(name);
    if (!node) {
      this.#health.forget(name);
      this.#zones.remove(name);
      this.#granted.delete(name);
      this.#lastReady.delete(name);
      return done;
    }
    const now = this.#o.clock.now();
    this.#health.observe(node, renewTime(this.#leases.get(`kube-node-lease/${name}`)), now);
    if (this.#health.stale(name, now, this.#grace(node))) {
      const conditions = unknownConditions(node, now);
      if (conditions) {
        const status = { ...(node['status'] as object | undefined), conditions };
        node = await this.#o.client.updateStatus(
          NODES,
          { ...cloneJson(node), status },
          { fieldManager: FIELD_MANAGER, signal },
        );
      }
    }
    const ready = readyCondition(node)?.status;
    if (ready === undefined) return done; // never posted and still within its startup grace period
    if (this.#lastReady.get(name) === 'True' && ready !== 'True')
      this.#nodeEvent(node, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    this.#lastReady.set(name, ready);
    node = await this.#reconcileTaints(node, ready, { now, signal });
    const pods = this.#pods.byIndex(INDEX, name);
    if (ready !== 'True') {
      const { client, recorder } = this.#o;
      await markPodsNotReady(pods, { client, recorder, fieldManager: FIELD_MANAGER, now, signal });
    }
    const next = await this.#evictor.sync(node, pods, { now, signal });
    return next === undefined ? done : requeueAfter(Math.max(1, next - now));
  }

  async #reconcileTaints(
    node: KubeObject,
    ready: string,
    at: { now: number; signal: AbortSignal },
  ): Promise<KubeObject> {
    const name = node.metadata.name ?? '';
    const plan = planTaints(node, {
      ready,
      masterDisruption: this.#zones.masterDisruption,
      granted: this.#granted.has(name),
      now: at.now,
    });
    if (plan.dequeue) {
      this.#zones.remove(name);
      this.#granted.delete(name);
    }
    if (plan.queue) this.#zones.add(zoneKey(node.metadata.labels), name);
    if (plan.taints === undefined) return node;
    const next = cloneJson(node);
    const spec = { ...(next['spec'] as object | undefined) } as Record<string, unknown>;
    if (plan.taints.length > 0) spec['taints'] = plan.taints;
    else delete spec['taints'];
    next['spec'] = spec;
    const updated = await this.#o.client.update(NODES, next, {
      fieldManager: FIELD_MANAGER,
      signal: at.signal,
    });
    // The token is spent only once the taint is written; a failed write keeps it for the retry.
    if (plan.usedGrant) this.#granted.delete(name);
    return updated;
  }

  #grace(node: KubeObject): number {
    return readyCondition(node)
      ? (this.#o.nodeMonitorGracePeriodMs ?? 40_000)
      : (this.#o.nodeStartupGracePeriodMs ?? 60_000);
  }

  #nodeEvent(node: KubeObject, reason: string, message: string): void {
    const ref = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: node.metadata.name ?? '', uid: node.metadata.uid ?? '' },
    };
    this.#o.recorder?.record(ref, { type: 'Normal', reason, message });
  }
}

function renewTime(lease: KubeObject | undefined): string | undefined {
  return (lease?.['spec'] as { renewTime?: string } | undefined)?.renewTime;
}
