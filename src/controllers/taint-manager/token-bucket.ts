/**
 * A token bucket on an injected clock: `ratePerSecond` tokens a second, at most `burst` saved up.
 * `take()` spends a token and answers 0, or answers how long until one is there (nothing spent).
 */
import type { Clock } from '../../base/clock.js';

export interface TokenBucketOptions {
  clock: Clock;
  ratePerSecond: number;
  burst: number;
}

export class TokenBucket {
  readonly #o: TokenBucketOptions;
  #tokens: number;
  #atMs: number;

  constructor(options: TokenBucketOptions) {
    this.#o = options;
    this.#tokens = options.burst;
    this.#atMs = options.clock.now();
  }

  /** 0 when a token was taken; otherwise the milliseconds until the next one. */
  take(): number {
    const wait = this.wait();
    if (wait === 0) this.#tokens -= 1;
    return wait;
  }

  /** Milliseconds until a token is there (0: now), taking none. */
  wait(): number {
    const now = this.#o.clock.now();
    const rate = Math.max(this.#o.ratePerSecond, 1e-9);
    this.#tokens = Math.min(this.#o.burst, this.#tokens + ((now - this.#atMs) / 1000) * rate);
    this.#atMs = now;
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / rate) * 1000);
  }
}
