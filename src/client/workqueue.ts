/**
 * A deduplicating work queue with delayed and rate-limited adds (client-go `workqueue`).
 *
 * Invariants:
 * - Fair: items come out of `get` in the order they were (first) added.
 * - Stingy: an item is never handed to two consumers at once; adding an item that is queued is a
 *   no-op, and adding one that is being processed marks it dirty so it is queued again on `done`.
 * - Delays run on the injected `Clock`; of several pending `addAfter`s for one item the earliest wins.
 * - After shutdown, adds are dropped and `get` resolves `undefined` at once: queued items are
 *   abandoned, since their consumers are stopping too.
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../base/clock.js';
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
  readonly #queue: T[] = [];
  readonly #dirty = new Set<T>();
  readonly #processing = new Set<T>();
  readonly #waitingUntil = new Map<T, number>();
  readonly #stop = new AbortController();
  #waiters: (() => void)[] = [];

  constructor(options: WorkQueueOptions<T>) {
    this.#clock = options.clock;
    this.#limiter = options.rateLimiter ?? new ExponentialRateLimiter<T>();
    // Every pending delayed add listens for shutdown; thousands of them are normal, not a leak.
    setMaxListeners(0, this.#stop.signal);
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
    const pending = this.#waitingUntil.get(item);
    if (pending !== undefined && pending <= at) return;
    this.#waitingUntil.set(item, at);
    this.#clock.sleep(ms, this.#stop.signal).then(
      () => {
        if (this.#waitingUntil.get(item) !== at) return;
        this.#waitingUntil.delete(item);
        this.add(item);
      },
      () => undefined, // shut down: the delayed add is dropped on purpose
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
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #wakeOne(): void {
    this.#waiters.shift()?.();
  }
}
