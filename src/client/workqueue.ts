/**
 * A deduplicating work queue with delayed and rate-limited adds (client-go `workqueue`).
 *
 * Invariants:
 * - Fair: items come out of `get` in the order they were (first) added.
 * - Stingy: an item is never handed to two consumers at once; adding an item that is queued is a
 *   no-op, and adding one that is being processed marks it dirty so it is queued again on `done`.
 * - Delays run on the injected `Clock`; of several pending `addAfter`s for one item the earliest wins.
 *   All pending delays share one heap and one sleep (client-go's delaying queue does the same): a
 *   sleep per delayed item would put thousands of listeners on one abort signal, and Node's
 *   EventTarget adds and removes listeners in linear time.
 * - After shutdown, adds are dropped and `get` resolves `undefined` at once: queued items are
 *   abandoned, since their consumers are stopping too.
 */
import type { Clock } from '../base/clock.js';
import { Fifo } from '../base/fifo.js';
import { TimerHeap } from '../base/timer-heap.js';
import { ExponentialRateLimiter } from './rate-limiter.js';
import type { RateLimiter } from './rate-limiter.js';

/** Options of `WorkQueue`. */
export interface WorkQueueOptions<T> {
  clock: Clock;
  rateLimiter?: RateLimiter<T>;
  /** Shuts the queue down when aborted. */
  signal?: AbortSignal;
}

export class WorkQueue<T> {
  readonly #clock: Clock;
  readonly #limiter: RateLimiter<T>;
  readonly #queue = new Fifo<T>();
  readonly #dirty = new Set<T>();
  readonly #processing = new Set<T>();
  readonly #delayed = new TimerHeap<T>();
  /** The one sleep pending for the earliest delayed add, if any. */
  #armed: { at: number; cancel: AbortController } | undefined;
  readonly #stop = new AbortController();
  readonly #waiters = new Fifo<() => void>();

  constructor(options: WorkQueueOptions<T>) {
    this.#clock = options.clock;
    this.#limiter = options.rateLimiter ?? new ExponentialRateLimiter<T>();
    if (options.signal?.aborted) this.shutDown();
    options.signal?.addEventListener('abort', () => this.shutDown(), { once: true });
  }

  /** Queues `item` unless it is already queued; an item being processed is re-queued on `done`. */
  add(item: T): void {
    if (this.shuttingDown || this.#dirty.has(item)) return;
    this.#dirty.add(item);
    if (this.#processing.has(item)) return;
    this.#queue.push(item);
    this.#wakeOne();
  }

  /** Queues `item` after `ms` of clock time (at once when `ms <= 0`). */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const at = this.#clock.now() + ms;
    this.#delayed.scheduleEarliest(item, at);
    if (this.#armed === undefined || at < this.#armed.at) this.#arm();
  }

  /** Sleeps until the earliest pending delay (replacing a later sleep), then adds what is due. */
  #arm(): void {
    this.#armed?.cancel.abort();
    this.#armed = undefined;
    const at = this.#delayed.earliest();
    if (at === undefined || this.shuttingDown) return;
    const cancel = new AbortController();
    this.#armed = { at, cancel };
    this.#clock.sleep(Math.max(0, at - this.#clock.now()), cancel.signal).then(
      () => {
        if (this.#armed?.cancel !== cancel) return;
        this.#armed = undefined;
        for (const item of this.#delayed.popDue(this.#clock.now())) this.add(item);
        this.#arm();
      },
      () => undefined, // replaced by an earlier delay, or shut down: delayed adds are dropped then
    );
  }

  /** Queues `item` after its rate limiter's backoff. */
  addRateLimited(item: T): void {
    this.addAfter(item, this.#limiter.when(item));
  }

  /** Resets `item`'s backoff (call after it was processed successfully). */
  forget(item: T): void {
    this.#limiter.forget(item);
  }

  /** Failures of `item` since the last `forget`. */
  numRequeues(item: T): number {
    return this.#limiter.numRequeues(item);
  }

  /**
   * Waits for the next item and marks it processing; the caller must call `done(item)`.
   * Resolves `undefined` when the queue shuts down.
   */
  async get(): Promise<T | undefined> {
    while (this.#queue.length === 0 && !this.shuttingDown) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    if (this.shuttingDown) return undefined;
    const item = this.#queue.shift() as T;
    this.#dirty.delete(item);
    this.#processing.add(item);
    return item;
  }

  /** Ends processing of `item`; if it was added meanwhile it is queued again. */
  done(item: T): void {
    this.#processing.delete(item);
    if (this.#dirty.has(item) && !this.shuttingDown) {
      this.#queue.push(item);
      this.#wakeOne();
    }
  }

  /** Items queued and not yet handed out. */
  get length(): number {
    return this.#queue.length;
  }

  get shuttingDown(): boolean {
    return this.#stop.signal.aborted;
  }

  /** Drops pending delayed adds and wakes every waiting `get` with `undefined`. Idempotent. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.#stop.abort();
    this.#armed?.cancel.abort();
    this.#armed = undefined;
    for (let wake = this.#waiters.shift(); wake; wake = this.#waiters.shift()) wake();
  }

  #wakeOne(): void {
    this.#waiters.shift()?.();
  }
}
