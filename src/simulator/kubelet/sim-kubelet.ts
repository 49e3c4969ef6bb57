/**
 * The simulated kubelet of a whole cluster (like KWOK): one Runnable plays the kubelet of every
 * node it is given. It registers the nodes, renews their Leases and posts their status, and runs
 * the pods bound to them through their lifecycle (see `PodWorker`).
 *
 * Invariants: a single tick loop on the injected `Clock` drives all nodes and pods (no timer per
 * node or pod); a down node writes nothing and its pods do not progress or get deleted, exactly
 * like a node whose kubelet died; when it comes back it posts Ready first and then resyncs its pods.
 */
import { errorMessage } from '../../base/errors.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import type { Runnable } from '../../runtime/runnable.js';
import { IpPool } from './ip-pool.js';
import { DEFAULT_NODE_SYSTEM_INFO, minorVersion, resolveTiming } from './kubelet-options.js';
import type { KubeletTiming, SimKubeletOptions } from './kubelet-options.js';
import { NodeAgent } from './node-agent.js';
import { PodWorker } from './pod-worker.js';
import type { NodeSlot } from './pod-worker.js';
import { TimerHeap } from '../../base/timer-heap.js';

/** Retry delay after a failed heartbeat. */
const RETRY_MS = 1000;

/** The kubelets of a simulated cluster's nodes. */
export class SimKubelet implements Runnable {
  readonly #o: SimKubeletOptions;
  readonly #timing: KubeletTiming;
  readonly #agents = new Map<string, NodeAgent>();
  readonly #slots = new Map<string, NodeSlot>();
  readonly #recorders: EventRecorder[] = [];
  readonly #nodeTimers = new TimerHeap();
  readonly #pendingResync = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #pods: PodWorker;
  readonly #nodes: Informer;

  /** Throws for duplicate node names or an unusable podCIDR. */
  constructor(options: SimKubeletOptions) {
    this.#o = options;
    this.#timing = resolveTiming(options.timing);
    this.#nodes = options.informers.informer({ apiVersion: 'v1', plural: 'nodes' });
    const identity = {
      kubernetesVersion: options.kubernetesVersion,
      clusterName: options.clusterName ?? '',
      system: { ...DEFAULT_NODE_SYSTEM_INFO, ...options.nodeInfo },
    };
    for (const spec of options.nodes) {
      if (this.#agents.has(spec.name)) throw new Error(`duplicate node name ${spec.name}`);
      const recorder = options.events === false ? undefined : this.#recorderFor(spec.name);
      if (recorder) this.#recorders.push(recorder);
      const agent = new NodeAgent({
        client: options.client,
        clock: options.clock,
        log: options.log,
        spec,
        identity,
        timing: this.#timing,
        cached: () => this.#nodes.get(spec.name),
        recorder,
        random: options.random ?? Math.random,
      });
      this.#agents.set(spec.name, agent);
      this.#slots.set(spec.name, {
        spec,
        pool: new IpPool(spec.podCIDR),
        images: new Set(),
        get down() {
          return agent.down;
        },
        recorder,
      });
    }
    this.#pods = new PodWorker({
      client: options.client,
      clock: options.clock,
      log: options.log.child({ component: 'kubelet' }),
      pods: options.informers.informer({ apiVersion: 'v1', plural: 'pods' }),
      slot: (node) => this.#slots.get(node),
      timing: this.#timing,
      random: options.random ?? Math.random,
      minor: minorVersion(options.kubernetesVersion),
      workers: options.workers ?? 8,
    });
  }

  /** The names of the nodes this kubelet plays. */
  nodeNames(): readonly string[] {
    return [...this.#agents.keys()];
  }

  /** Whether node `name` is down; throws for an unknown node. */
  isNodeDown(name: string): boolean {
    return this.#agent(name).down;
  }

  /**
   * Kills (`down`) or revives a node's kubelet. A down node stops renewing its lease, posting
   * status and progressing or deleting its pods; a revived one posts Ready, then resyncs its pods.
   * Throws for an unknown node.
   */
  setNodeDown(name: string, down: boolean): void {
    const agent = this.#agent(name);
    if (agent.down === down) return;
    agent.setDown(down);
    this.#o.log.info({ node: name, down }, down ? 'node kubelet stopped' : 'node kubelet started');
    if (down) {
      this.#nodeTimers.cancel(name);
      this.#pendingResync.delete(name);
    } else {
      this.#pendingResync.add(name);
      this.#nodeTimers.schedule(name, this.#o.clock.now());
    }
  }

  /** Resolves once every event recorded so far has been written (tests). */
  async flushEvents(): Promise<void> {
    await Promise.all(this.#recorders.map((r) => r.flush()));
  }

  /** Runs until `signal` aborts, then waits for in-flight node writes. */
  async start(signal: AbortSignal): Promise<void> {
    const now = this.#o.clock.now();
    for (const name of this.#agents.keys()) this.#nodeTimers.schedule(name, now);
    void this.#nodes.start(signal); // shared: its first starter owns it, so it is not awaited
    const pods = this.#pods.start(signal);
    await this.#loop(signal);
    await Promise.all([pods, ...this.#inFlight]);
  }

  async #loop(signal: AbortSignal): Promise<void> {
    // One abort listener for the whole loop: a signal passed to every sleep would collect one
    // listener per tick on clocks that do not remove them.
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    while (!signal.aborted) {
      const now = this.#o.clock.now();
      for (const name of this.#nodeTimers.popDue(now)) this.#beat(name, signal);
      this.#pods.tick(now);
      await Promise.race([this.#o.clock.sleep(this.#timing.tickMs), aborted]);
    }
  }

  #beat(name: string, signal: AbortSignal): void {
    const agent = this.#agents.get(name);
    if (!agent || agent.down || agent.busy) return;
    const run = agent.beat(signal).then(
      () => {
        if (agent.down) return;
        if (this.#pendingResync.delete(name)) this.#pods.resync(name);
        this.#nodeTimers.schedule(name, agent.nextAt);
      },
      (err: unknown) => {
        if (signal.aborted) return;
        this.#o.log.warn({ node: name, err: errorMessage(err) }, 'node heartbeat failed');
        if (!agent.down) this.#nodeTimers.schedule(name, this.#o.clock.now() + RETRY_MS);
      },
    );
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  #agent(name: string): NodeAgent {
    const agent = this.#agents.get(name);
    if (!agent) throw new Error(`node ${name} is not simulated by this kubelet`);
    return agent;
  }

  #recorderFor(node: string): EventRecorder {
    if (this.#o.recorderFor) return this.#o.recorderFor(node);
    const { client, clock, log } = this.#o;
    return new EventRecorder({ client, clock, log, component: 'kubelet', host: node, cacheSize: 256 });
  }
}
