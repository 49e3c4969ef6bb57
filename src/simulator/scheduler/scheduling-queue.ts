/**
 * kube-scheduler's PriorityQueue, simplified: an active queue (higher `spec.priority` first, then
 * FIFO), a backoff queue (1 s doubling to 10 s per failed attempt) and the unschedulable pods, which
 * wait for a cluster event that may help them (a node added or changed, an assigned pod gone) or
 * for the periodic flush.
 *
 * Invariants:
 * - A pod key is in at most one place: active, backoff, unschedulable, or in flight (popped and
 *   being scheduled or bound). Heap entries are versioned; moving or deleting a pod makes its old
 *   entries stale, and stale entries are skipped.
 * - A cluster event while a pod is in flight is not lost: if its attempt fails, it goes to the
 *   backoff queue instead of waiting among the unschedulable pods.
 * - Time comes from the injected clock; `flushBackoff`/`flushUnschedulable` are called by the owner.
 */
import type { Clock } from '../../base/clock.js';
import type { KubeObject } from '../../api/meta.js';
import { NODE_RESOURCES_FIT } from './filters.js';
import { Heap } from './heap.js';
import { podSpec } from './pod-info.js';

/** Where a queued pod is. */
export type QueuedPodPlace = 'active' | 'backoff' | 'unschedulable' | 'inFlight' | 'gone';

/** A pod the queue holds. Owned by the queue; callers read it and hand it back. */
export interface QueuedPod {
  readonly key: string;
  /** The latest version seen. */
  pod: KubeObject;
  place: QueuedPodPlace;
  /** Scheduling attempts so far (the backoff doubles with each). */
  attempts: number;
  /** FIFO order within a priority: when the pod was (re)queued. */
  timestamp: number;
  /** When the last attempt failed. */
  failedAt: number;
  /** Filter plugins that rejected nodes in the last attempt. */
  plugins: ReadonlySet<string>;
  /** Set when a cluster event or a change of the pod came while it was in flight. */
  movedInFlight: boolean;
  /** Bumped on every move, to recognise stale heap entries. */
  gen: number;
}

/** Cluster changes that can make unschedulable pods fit. */
export type ClusterEvent = 'NodeAdd' | 'NodeUpdate' | 'AssignedPodDelete';

/** Options of `SchedulingQueue`. */
export interface SchedulingQueueOptions {
  clock: Clock;
  /** Backoff after the first failed attempt (default 1000 ms), doubling per attempt… */
  initialBackoffMs?: number;
  /** …up to this (default 10 000 ms). */
  maxBackoffMs?: number;
  /** Unschedulable pods are retried after this long without a helpful event (default 60 000 ms). */
  unschedulableTimeoutMs?: number;
}

interface Entry {
  readonly item: QueuedPod;
  readonly gen: number;
  readonly priority: number;
  readonly at: number;
  /** Push order: FIFO among pods queued in the same millisecond. */
  readonly seq: number;
}

/** The scheduling queue. See the module contract. */
export class SchedulingQueue {
  readonly #o: Required<SchedulingQueueOptions>;
  readonly #items = new Map<string, QueuedPod>();
  readonly #active = new Heap<Entry>(
    (a, b) =>
      a.priority > b.priority ||
      (a.priority === b.priority && (a.at < b.at || (a.at === b.at && a.seq < b.seq))),
  );
  readonly #backoff = new Heap<Entry>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  #seq = 0;
  readonly #unschedulable = new Set<QueuedPod>();
  readonly #inFlight = new Set<QueuedPod>();
  #waiters: (() => void)[] = [];

  constructor(options: SchedulingQueueOptions) {
    this.#o = {
      initialBackoffMs: 1000,
      maxBackoffMs: 10_000,
      unschedulableTimeoutMs: 60_000,
      ...options,
    };
  }

  /** Counts per place (for tests and metrics). */
  counts(): Record<'active' | 'backoff' | 'unschedulable' | 'inFlight', number> {
    const c = { active: 0, backoff: 0, unschedulable: 0, inFlight: 0 };
    for (const item of this.#items.values()) if (item.place !== 'gone') c[item.place]++;
    return c;
  }

  /**
   * Queues a pod that wants scheduling, or records its new version. A `changed` pod (spec,
   * labels or annotations differ) that waits as unschedulable is retried now (after its backoff).
   */
  upsert(key: string, pod: KubeObject, changed: boolean): void {
    const item = this.#items.get(key);
    if (!item) {
      const now = this.#o.clock.now();
      const fresh: QueuedPod = {
        key,
        pod,
        place: 'active',
        attempts: 0,
        timestamp: now,
        failedAt: 0,
        plugins: new Set(),
        movedInFlight: false,
        gen: 0,
      };
      this.#items.set(key, fresh);
      this.#activate(fresh);
      return;
    }
    item.pod = pod;
    if (!changed) return;
    if (item.place === 'inFlight') item.movedInFlight = true;
    else if (item.place === 'unschedulable') this.#requeue(item);
  }

  /** Forgets pod `key` (deleted, bound, or no longer ours). */
  delete(key: string): void {
    const item = this.#items.get(key);
    if (!item) return;
    this.#unschedulable.delete(item);
    this.#inFlight.delete(item);
    item.place = 'gone';
    item.gen++;
    this.#items.delete(key);
  }

  /** The next pod to schedule (highest priority, then oldest); undefined once `signal` aborts. */
  async pop(signal: AbortSignal): Promise<QueuedPod | undefined> {
    for (;;) {
      if (signal.aborted) return undefined;
      const entry = this.#active.pop();
      if (entry) {
        const item = entry.item;
        if (entry.gen !== item.gen || item.place !== 'active') continue;
        item.place = 'inFlight';
        this.#inFlight.add(item);
        item.attempts++;
        item.movedInFlight = false;
        return item;
      }
      await new Promise<void>((resolve) => {
        const onAbort = (): void => resolve();
        signal.addEventListener('abort', onAbort, { once: true });
        this.#waiters.push(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  /** Ends the attempt of an in-flight pod that was bound: the queue forgets it. */
  done(item: QueuedPod): void {
    if (item.place === 'inFlight') this.delete(item.key);
  }

  /**
   * Parks an in-flight pod that fit nowhere: among the unschedulable pods, or in the backoff queue
   * if something changed while it was in flight.
   */
  unschedulable(item: QueuedPod, plugins: ReadonlySet<string>): void {
    if (item.place !== 'inFlight') return;
    const now = this.#o.clock.now();
    item.failedAt = now;
    item.timestamp = now;
    item.plugins = plugins;
    if (item.movedInFlight) {
      this.#toBackoff(item);
      return;
    }
    this.#inFlight.delete(item);
    item.place = 'unschedulable';
    item.gen++;
    this.#unschedulable.add(item);
  }

  /** Retries an in-flight pod after its backoff (e.g. its binding failed). */
  backoff(item: QueuedPod): void {
    if (item.place !== 'inFlight') return;
    const now = this.#o.clock.now();
    item.failedAt = now;
    item.timestamp = now;
    this.#toBackoff(item);
  }

  /** Moves the unschedulable pods `event` may help (kube's MoveAllToActiveOrBackoffQueue). */
  moveAll(event: ClusterEvent): void {
    for (const item of this.#inFlight) item.movedInFlight = true;
    for (const item of [...this.#unschedulable]) if (helps(event, item.plugins)) this.#requeue(item);
  }

  /** Moves pods whose backoff has expired to the active queue. */
  flushBackoff(): void {
    const now = this.#o.clock.now();
    for (;;) {
      const top = this.#backoff.peek();
      if (!top || top.at > now) return;
      this.#backoff.pop();
      if (top.gen === top.item.gen && top.item.place === 'backoff') this.#activate(top.item);
    }
  }

  /** Retries pods that have waited as unschedulable for longer than the timeout. */
  flushUnschedulable(): void {
    const now = this.#o.clock.now();
    for (const item of [...this.#unschedulable]) {
      if (now - item.timestamp >= this.#o.unschedulableTimeoutMs) this.#requeue(item);
    }
  }

  /** The backoff of a pod after `attempts` failed attempts. */
  backoffMs(attempts: number): number {
    let ms = this.#o.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      ms *= 2;
      if (ms >= this.#o.maxBackoffMs) return this.#o.maxBackoffMs;
    }
    return Math.min(ms, this.#o.maxBackoffMs);
  }

  #requeue(item: QueuedPod): void {
    this.#unschedulable.delete(item);
    if (item.failedAt + this.backoffMs(item.attempts) > this.#o.clock.now()) this.#toBackoff(item);
    else this.#activate(item);
  }

  #toBackoff(item: QueuedPod): void {
    this.#unschedulable.delete(item);
    this.#inFlight.delete(item);
    item.place = 'backoff';
    item.gen++;
    this.#backoff.push({
      item,
      gen: item.gen,
      priority: 0,
      at: item.failedAt + this.backoffMs(item.attempts),
      seq: this.#seq++,
    });
  }

  #activate(item: QueuedPod): void {
    this.#unschedulable.delete(item);
    item.place = 'active';
    item.gen++;
    const priority = podSpec(item.pod).priority ?? 0;
    this.#active.push({ item, gen: item.gen, priority, at: item.timestamp, seq: this.#seq++ });
    const wake = this.#waiters.shift();
    wake?.();
  }
}

/** Simplified queueing hints: node changes may help any pod; a pod leaving frees only resources. */
function helps(event: ClusterEvent, plugins: ReadonlySet<string>): boolean {
  switch (event) {
    case 'NodeAdd':
    case 'NodeUpdate':
      return true;
    case 'AssignedPodDelete':
      return plugins.has(NODE_RESOURCES_FIT);
  }
}
