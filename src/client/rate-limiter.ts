/**
 * Per-item exponential backoff (client-go `ItemExponentialFailureRateLimiter`): the n-th failure
 * of an item waits `base * 2^n`, capped at `max`; `forget` resets the item.
 */

/** Decides how long an item waits before its next retry. */
export interface RateLimiter<T> {
  /** Records one more failure of `item` and returns the delay in ms before retrying it. */
  when(item: T): number;
  /** Clears the failure history of `item`. */
  forget(item: T): void;
  /** Failures recorded for `item` since the last `forget`. */
  numRequeues(item: T): number;
}

/** Options of `ExponentialRateLimiter`. */
export interface ExponentialBackoffOptions {
  /** First delay in ms (default 5). */
  baseMs?: number;
  /** Largest delay in ms (default 1000 s, as client-go). */
  maxMs?: number;
}

/** Doubles the delay on every failure of the same item. */
export class ExponentialRateLimiter<T> implements RateLimiter<T> {
  readonly #failures = new Map<T, number>();
  readonly #base: number;
  readonly #max: number;

  constructor(options: ExponentialBackoffOptions = {}) {
    this.#base = options.baseMs ?? 5;
    this.#max = options.maxMs ?? 1_000_000;
  }

  when(item: T): number {
    const n = this.#failures.get(item) ?? 0;
    this.#failures.set(item, n + 1);
    return Math.min(this.#max, this.#base * 2 ** Math.min(n, 62));
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }
}
