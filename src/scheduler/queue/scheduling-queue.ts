/**
 * The scheduler's queue (after kube-scheduler's PriorityQueue): bindings wait in an active heap,
 * ordered by priority (higher first) and then by when they were first queued (older first).
 *
 * Invariants:
 * - A key is in at most one of: active, parked (unschedulable, backing off), in flight.
 * - A key added while in flight is marked dirty and queued again when `done` is called.
 * - An unschedulable key is parked with a per-key exponential backoff (`initialBackoffMs` doubling
 *   to `maxBackoffMs`) and returns to the heap when the backoff ends or when something that could
 *   make it schedulable happens (`moveParkedToActive`, e.g. a cluster changed). A successful
 *   schedule (`forget`) resets the backoff.
 * - After `signal` aborts, `pop` resolves undefined and adds are dropped.
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../../base/clock.js';

export interface SchedulingQueueOptions {
  clock: Clock;
  signal: AbortSignal;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

interface Entry {
  key: string;
  priority: number;
  since: number;
  seq: number;
}

/** Priority queue with parking for unschedulable keys. */
export class SchedulingQueue {
  readonly #o: SchedulingQueueOptions;
  readonly #heap: Entry[] = [];
  readonly #active = new Map<string, Entry>();
  readonly #parked = new Map<string, Entry>();
  readonly #inFlight = new Map<string, Entry>();
  readonly #dirty = new Map<string, number>();
  readonly #attempts = new Map<string, number>();
  #waiters: (() => void)[] = [];
  #seq = 0;

  constructor(options: SchedulingQueueOptions) {
    this.#o = options;
    setMaxListeners(0, options.signal);
    options.signal.addEventListener('abort', () => this.#wake(), { once: true });
  }

  /** Keys waiting in the heap (what `size.active` says, without building the object). */
  get activeCount(): number {
    return this.#active.size;
  }

  /** Keys waiting in the heap, parked, or in flight. */
  get size(): { active: number; parked: number; inFlight: number } {
    return { active: this.#active.size, parked: this.#parked.size, inFlight: this.#inFlight.size };
  }

  /** Queues `key` (or raises its priority if it is waiting); a parked key is moved back at once. */
  add(key: string, priority = 0): void {
    if (this.#o.signal.aborted) return;
    if (this.#inFlight.has(key)) {
      this.#dirty.set(key, Math.max(priority, this.#dirty.get(key) ?? priority));
      return;
    }
    const waiting = this.#active.get(key);
    if (waiting) {
      if (priority > waiting.priority) {
        this.#removeFromHeap(waiting);
        this.#push({ ...waiting, priority });
      }
      return;
    }
    const parked = this.#parked.get(key);
    this.#parked.delete(key);
    this.#push({ key, priority, since: parked?.since ?? this.#o.clock.now(), seq: this.#seq++ });
  }

  /** The highest-priority, oldest key; waits for one. Resolves undefined once stopped. */
  async pop(): Promise<string | undefined> {
    for (;;) {
      if (this.#o.signal.aborted) return undefined;
      const top = this.#heap[0];
      if (top) {
        this.#removeFromHeap(top);
        this.#inFlight.set(top.key, top);
        return top.key;
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Ends processing of `key`; a key added meanwhile is queued again. */
  done(key: string): void {
    const entry = this.#inFlight.get(key);
    this.#inFlight.delete(key);
    const dirty = this.#dirty.get(key);
    if (dirty !== undefined) {
      this.#dirty.delete(key);
      if (!this.#parked.has(key)) this.add(key, Math.max(dirty, entry?.priority ?? 0));
    }
  }

  /**
   * Parks `key` (in flight, waiting or neither) until its backoff ends or `moveParkedToActive` is
   * called.
   */
  unschedulable(key: string, priority = 0): void {
    const waiting = this.#active.get(key);
    if (waiting) this.#removeFromHeap(waiting);
    const entry = this.#inFlight.get(key) ??
      waiting ?? { key, priority, since: this.#o.clock.now(), seq: this.#seq++ };
    const attempts = (this.#attempts.get(key) ?? 0) + 1;
    this.#attempts.set(key, attempts);
    this.#parked.set(key, entry);
    this.#dirty.delete(key);
    const backoff = Math.min(
      (this.#o.initialBackoffMs ?? 1000) * 2 ** (attempts - 1),
      this.#o.maxBackoffMs ?? 60_000,
    );
    this.#o.clock.sleep(backoff, this.#o.signal).then(
      () => {
        if (this.#parked.get(key) === entry) this.add(key, entry.priority);
      },
      () => undefined, // stopped
    );
  }

  /** Resets the backoff of `key` (it scheduled). */
  forget(key: string): void {
    this.#attempts.delete(key);
  }

  /** Moves every parked key back to the heap (something changed that may let them schedule). */
  moveParkedToActive(): void {
    for (const entry of [...this.#parked.values()]) this.add(entry.key, entry.priority);
  }

  #push(entry: Entry): void {
    this.#active.set(entry.key, entry);
    this.#heap.push(entry);
    this.#siftUp(this.#heap.length - 1);
    this.#wake();
  }

  #removeFromHeap(entry: Entry): void {
    this.#active.delete(entry.key);
    const i = this.#heap.indexOf(entry);
    const last = this.#heap.pop() as Entry;
    if (i < 0 || i === this.#heap.length) return;
    this.#heap[i] = last;
    this.#siftUp(i);
    this.#siftDown(i);
  }

  #before(a: Entry, b: Entry): boolean {
    if (a.priority !== b.priority) return a.priority > b.priority;
    if (a.since !== b.since) return a.since < b.since;
    return a.seq < b.seq;
  }

  #siftUp(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(this.#heap[i] as Entry, this.#heap[parent] as Entry)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #siftDown(start: number): void {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      let best = i;
      if (l < this.#heap.length && this.#before(this.#heap[l] as Entry, this.#heap[best] as Entry)) best = l;
      if (l + 1 < this.#heap.length && this.#before(this.#heap[l + 1] as Entry, this.#heap[best] as Entry))
        best = l + 1;
      if (best === i) return;
      this.#swap(i, best);
      i = best;
    }
  }

  #swap(i: number, j: number): void {
    [this.#heap[i], this.#heap[j]] = [this.#heap[j] as Entry, this.#heap[i] as Entry];
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
