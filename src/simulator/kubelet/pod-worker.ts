/**
 * The pod half of the simulated kubelet: syncs every pod bound to one of its nodes (pkg/kubelet
 * pod workers + status manager). A sync advances the pod's simulated runtime to now, writes the
 * status through `pods/<name>/status` when it differs, and asks the shared timer heap to wake it
 * at the next transition. A pod with a deletionTimestamp is stopped and, once its containers are
 * down, deleted with grace period 0. Pods on a down node are left exactly as they are.
 *
 * A pod's containers start when the kubelet first sees it bound (status.startTime), not when a
 * worker gets to it: a real kubelet gives every pod its own worker, and its status manager writes
 * the latest status whenever it gets there. So a backlogged kubelet reports a pod that started
 * meanwhile as Running in one write, as kubelet does, rather than walking it through Pending late.
 *
 * Invariants: one sync per pod at a time (the controller's queue is stingy); a status equal to the
 * one on the server, or to the one this kubelet wrote last at the same resourceVersion, is not
 * written; a pod's IP returns to its node's pool only when the pod finished or is gone.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../api/status.js';
import type { ApiClient } from '../../client/api-client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { objectKey } from '../../client/informer.js';
import { Controller } from '../../runtime/controller.js';
import { done } from '../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import type { RuntimeEvent } from './container-run.js';
import { imageInfo } from './images.js';
import type { IpPool } from './ip-pool.js';
import type { KubeletTiming, NodeSpec } from './kubelet-options.js';
import { adoptRunning } from './pod-adopt.js';
import { PodRuntime } from './pod-runtime.js';
import type { PodSpecLike, RuntimeContext } from './pod-runtime.js';
import { podStatus } from './pod-status.js';
import { TimerHeap } from '../../base/timer-heap.js';

/** What the pod worker knows about one of its nodes. */
export interface NodeSlot {
  spec: NodeSpec;
  pool: IpPool;
  /** Normalized references of images pulled on the node. */
  images: Set<string>;
  down: boolean;
  recorder: EventRecorder | undefined;
}

/** Options of `PodWorker`. */
export interface PodWorkerOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  pods: Informer;
  slot: (node: string) => NodeSlot | undefined;
  timing: KubeletTiming;
  random: () => number;
  minor: number;
  workers: number;
}

const INDEX = 'kubelet:spec.nodeName';
const FIELD_MANAGER = 'kubelet';

/** Syncs the pods of a set of simulated nodes. */
export class PodWorker implements Reconciler {
  readonly #o: PodWorkerOptions;
  readonly #controller: Controller;
  readonly #runtimes = new Map<string, PodRuntime>();
  readonly #timers = new TimerHeap();
  /** When a live kubelet first saw each bound pod it has no runtime for yet, by key. */
  readonly #seen = new Map<string, { uid: string; at: number }>();

  constructor(options: PodWorkerOptions) {
    this.#o = options;
    const { pods } = options;
    pods.addIndex(INDEX, (p) => {
      const node = spec(p).nodeName;
      return node ? [node] : [];
    });
    this.#controller = new Controller({
      name: 'kubelet',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers,
    });
    // After the controller exists: handlers added to a synced informer replay every pod at once.
    pods.addHandlers({
      onAdd: (p) => this.#notice(p),
      onUpdate: (_old, p) => this.#notice(p),
      onDelete: (p) => {
        this.#seen.delete(objectKey(p));
        if (this.#runtimes.has(objectKey(p))) this.#controller.enqueue(objectKey(p));
      },
    });
  }

  /**
   * Runs until `signal` aborts. The pods informer is shared: it is started here if nobody did
   * yet, but not waited for on the way out, since its first starter owns it.
   */
  async start(signal: AbortSignal): Promise<void> {
    void this.#o.pods.start(signal);
    if (!(await this.#o.pods.waitForSync(signal))) return;
    await this.#controller.start(signal);
  }

  /** Queues every pod whose next transition is due by `now` (called by the kubelet's tick loop). */
  tick(now: number): void {
    for (const key of this.#timers.popDue(now)) this.#controller.enqueue(key);
  }

  /** Queues every pod bound to `node` (it came back up). */
  resync(node: string): void {
    for (const p of this.#o.pods.byIndex(INDEX, node)) this.#controller.enqueue(objectKey(p));
  }

  #notice(pod: KubeObject): void {
    const node = spec(pod).nodeName;
    const slot = node ? this.#o.slot(node) : undefined;
    if (!slot) return;
    const key = objectKey(pod);
    const rt = this.#runtimes.get(key);
    // The echo of this kubelet's own status write needs no sync.
    if (rt?.written?.rv === pod.metadata.resourceVersion) return;
    const uid = pod.metadata.uid ?? '';
    if (!slot.down && rt?.uid !== uid && this.#seen.get(key)?.uid !== uid)
      this.#seen.set(key, { uid, at: this.#o.clock.now() });
    this.#controller.enqueue(key);
  }

  /** One sync of the pod under `key`. */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const pod = this.#o.pods.get(key);
    let rt = this.#runtimes.get(key);
    const slot = pod ? this.#o.slot(spec(pod).nodeName ?? '') : undefined;
    if (!pod || !slot || (rt && rt.uid !== pod.metadata.uid)) {
      if (rt) this.#forget(key, rt);
      rt = undefined;
      if (!pod || !slot) {
        this.#seen.delete(key);
        return done;
      }
    }
    if (slot.down) {
      this.#seen.delete(key); // a dead kubelet neither reports nor acts, nor remembers
      return done;
    }
    const now = this.#o.clock.now();
    if (!rt) {
      const seen = this.#seen.get(key);
      this.#seen.delete(key);
      const seenAt = seen !== undefined && seen.uid === pod.metadata.uid ? Math.min(seen.at, now) : now;
      const status = pod['status'] as { phase?: string; startTime?: string } | undefined;
      const terminal = status?.phase === 'Succeeded' || status?.phase === 'Failed';
      if (terminal && pod.metadata.deletionTimestamp === undefined) return done;
      rt = this.#newRuntime(pod, slot, { now, seenAt });
      if (terminal) rt.stage = 'done';
      // A pod an earlier kubelet had acknowledged but not started starts over now.
      else if (pod.metadata.deletionTimestamp === undefined && rt.stage === 'creating')
        rt.begin(status?.startTime === undefined ? seenAt : now, this.#context(pod, slot));
      this.#runtimes.set(key, rt);
    }
    const ctx = this.#context(pod, slot);
    rt.advance(now, ctx);
    if (pod.metadata.deletionTimestamp !== undefined) return this.#terminate(pod, rt, { slot, now, signal });
    await this.#writeStatus(pod, rt, { slot, now, signal });
    if (rt.stage === 'done') this.#releaseIp(rt, slot);
    this.#schedule(key, rt.wakeAt(now));
    return done;
  }

  #newRuntime(pod: KubeObject, slot: NodeSlot, at: { now: number; seenAt: number }): PodRuntime {
    const started = Date.parse((pod['status'] as { startTime?: string } | undefined)?.startTime ?? '');
    const rt = new PodRuntime(pod, Number.isFinite(started) ? started : at.seenAt, this.#o.timing);
    adoptRunning(pod, rt, {
      pool: slot.pool,
      now: at.now,
      readinessDelayMs: this.#o.timing.readinessDelayMs,
    });
    return rt;
  }

  async #terminate(
    pod: KubeObject,
    rt: PodRuntime,
    at: { slot: NodeSlot; now: number; signal: AbortSignal },
  ): Promise<Result> {
    const key = objectKey(pod);
    if (rt.stoppingUntil === undefined) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? spec(pod).terminationGracePeriodSeconds ?? 30;
      const running = [...rt.main, ...rt.init].some((c) => c.state === 'running');
      const delay = running ? Math.min(this.#o.timing.terminationDelayMs, grace * 1000) : 0;
      rt.stop(at.now, delay, (e) => this.#emit(pod, at.slot, e));
    }
    const until = rt.stoppingUntil ?? at.now;
    if (at.now < until) {
      this.#schedule(key, until);
      return done;
    }
    if (rt.stage !== 'done') {
      rt.finishStop();
      // Kubelet reports the stopped containers before it lets the pod go; a pod that never
      // started a container has nothing to report.
      if ([...rt.main, ...rt.init].some((c) => c.containerID !== undefined))
        await this.#writeStatus(pod, rt, at);
    }
    this.#releaseIp(rt, at.slot);
    try {
      await this.#o.client.delete(podsOf(pod), pod.metadata.name ?? '', {
        gracePeriodSeconds: 0,
        preconditions: { uid: rt.uid },
        signal: at.signal,
      });
    } catch (err) {
      // Gone already, or a new pod took the name: either way this one is finished.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    this.#timers.cancel(key);
    return done;
  }

  async #writeStatus(
    pod: KubeObject,
    rt: PodRuntime,
    at: { slot: NodeSlot; now: number; signal: AbortSignal },
  ): Promise<void> {
    const status = podStatus(pod, rt, {
      now: at.now,
      timing: this.#o.timing,
      hostIP: at.slot.spec.internalIP,
    });
    if (jsonEqual(status as JsonValue, pod['status'] as JsonValue)) return;
    const written = rt.written;
    // The server stored something other than what was sent (it normalizes some field): sending
    // the same status again would change nothing but loop.
    const sent = written && written.rv === pod.metadata.resourceVersion ? written.sent : undefined;
    if (sent !== undefined && jsonEqual(status as JsonValue, sent as JsonValue)) return;
    try {
      const res = await this.#o.client.patch(podsOf(pod), pod.metadata.name ?? '', {
        body: { status },
        options: { type: 'merge', subresource: 'status', fieldManager: FIELD_MANAGER, signal: at.signal },
      });
      const stored = jsonEqual(res['status'] as JsonValue, status as JsonValue);
      // Only the rare normalized write keeps what was sent; 100,000 pods should not hold their status twice.
      rt.written = { rv: res.metadata.resourceVersion ?? '', ...(stored ? {} : { sent: status }) };
    } catch (err) {
      if (!isNotFound(err)) throw err; // deleted meanwhile: its DELETED event cleans up
    }
  }

  #context(pod: KubeObject, slot: NodeSlot): RuntimeContext {
    return {
      timing: this.#o.timing,
      random: this.#o.random,
      minor: this.#o.minor,
      emit: (e) => this.#emit(pod, slot, e),
      imagePresent: (image) => slot.images.has(imageInfo(image).ref),
      markImagePresent: (image) => slot.images.add(imageInfo(image).ref),
      allocateIp: () => slot.pool.allocate(),
      ipRange: slot.pool.rangeText,
    };
  }

  #emit(pod: KubeObject, slot: NodeSlot, e: RuntimeEvent): void {
    if (!slot.recorder) return;
    const c = e.container;
    const info = { type: e.type, reason: e.reason, message: e.message };
    if (!c) slot.recorder.record(pod, info);
    else {
      const field = c.kind === 'main' ? 'containers' : 'initContainers';
      slot.recorder.record(pod, { ...info, fieldPath: `spec.${field}{${c.name}}` });
    }
  }

  #schedule(key: string, at: number | undefined): void {
    if (at === undefined) this.#timers.cancel(key);
    else this.#timers.schedule(key, at);
  }

  #releaseIp(rt: PodRuntime, slot: NodeSlot): void {
    if (rt.ip === undefined || rt.ipReleased) return;
    slot.pool.release(rt.ip);
    rt.ipReleased = true;
  }

  #forget(key: string, rt: PodRuntime): void {
    this.#runtimes.delete(key);
    this.#timers.cancel(key);
    const slot = this.#o.slot(rt.node);
    if (slot) this.#releaseIp(rt, slot);
  }
}

function spec(pod: KubeObject): PodSpecLike {
  return pod['spec'] ?? {};
}

function podsOf(pod: KubeObject): { apiVersion: string; plural: string; namespace: string } {
  return { apiVersion: 'v1', plural: 'pods', namespace: pod.metadata.namespace ?? 'default' };
}
