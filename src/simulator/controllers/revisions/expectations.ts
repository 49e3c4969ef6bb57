/**
 * Controller expectations (kube `controller.ControllerExpectations`): after a controller creates
 * or deletes pods with generated names, its informer cache lags behind; until the cache has
 * observed those writes, another pass would count too few (or too many) pods and write again.
 * A controller records what it expects per owner key, the pod informer's handlers report what
 * they observe, and the controller manages pods only while its expectations are satisfied.
 *
 * Invariants: counts only go down through observations or `forget`; expectations older than the
 * TTL (5 minutes, as kube) count as satisfied, so a lost watch event cannot wedge an owner.
 */
import type { Clock } from '../../../base/clock.js';

interface Expected {
  creations: number;
  deletions: number;
  at: number;
}

/** Options of `Expectations`. */
export interface ExpectationsOptions {
  clock: Clock;
  /** Age after which expectations are ignored (default 5 minutes). */
  ttlMs?: number;
}

/** Outstanding creations and deletions per owner key. */
export class Expectations {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #byKey = new Map<string, Expected>();

  constructor(options: ExpectationsOptions) {
    this.#clock = options.clock;
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
  }

  /** Replaces the expectations of `key` (kube SetExpectations). */
  expect(key: string, counts: { creations?: number; deletions?: number }): void {
    this.#byKey.set(key, {
      creations: counts.creations ?? 0,
      deletions: counts.deletions ?? 0,
      at: this.#clock.now(),
    });
  }

  /** One expected creation will never be observed (the write failed). */
  creationObserved(key: string): void {
    const e = this.#byKey.get(key);
    if (e) e.creations--;
  }

  /** One expected deletion was observed, or will never be. */
  deletionObserved(key: string): void {
    const e = this.#byKey.get(key);
    if (e) e.deletions--;
  }

  /** True when nothing is outstanding for `key` (or what is outstanding has expired). */
  satisfied(key: string): boolean {
    const e = this.#byKey.get(key);
    if (!e) return true;
    if (e.creations <= 0 && e.deletions <= 0) return true;
    return this.#clock.now() - e.at > this.#ttlMs;
  }

  /** Drops everything recorded for `key` (the owner is gone). */
  forget(key: string): void {
    this.#byKey.delete(key);
  }
}
