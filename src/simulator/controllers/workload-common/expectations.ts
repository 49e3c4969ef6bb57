/**
 * Controller expectations (kube's `UIDTrackingControllerExpectations`): after a controller asks
 * for N pod creations or deletions it records what it expects to observe, and skips managing
 * replicas for that owner until its informer has seen all of them (or the expectations expired).
 * This is what stops a controller whose cache lags behind its own writes from creating or
 * deleting the same pods twice.
 *
 * Invariants: creations are counted (the UID of a pod is unknown until it exists); deletions are
 * tracked by pod key, so each expected deletion is observed exactly once whether it shows up as a
 * `deletionTimestamp` update or as a delete. Expectations older than `ttlMs` count as satisfied,
 * so a lost watch event delays a controller but never wedges it.
 */
import type { Clock } from '../../../base/clock.js';

/** Options of `ControllerExpectations`. */
export interface ControllerExpectationsOptions {
  clock: Clock;
  /** Age after which expectations count as satisfied (default 5 minutes, as kube). */
  ttlMs?: number;
}

interface Expectation {
  add: number;
  del: number;
  /** Pod keys whose deletion is still expected. */
  deleting: Set<string>;
  setAt: number;
}

/** Per-owner expectations, keyed by the owner's work-queue key. */
export class ControllerExpectations {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #byKey = new Map<string, Expectation>();

  constructor(options: ControllerExpectationsOptions) {
    this.#clock = options.clock;
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
  }

  /** True when the owner may manage replicas: nothing pending, expired, or never recorded. */
  satisfied(key: string): boolean {
    const exp = this.#byKey.get(key);
    if (!exp) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    return this.#clock.now() - exp.setAt > this.#ttlMs;
  }

  /** Replaces the owner's expectations with `count` creations. */
  expectCreations(key: string, count: number): void {
    this.#byKey.set(key, { add: count, del: 0, deleting: new Set(), setAt: this.#clock.now() });
  }

  /** Replaces the owner's expectations with the deletion of exactly `podKeys`. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.#byKey.set(key, {
      add: 0,
      del: podKeys.length,
      deleting: new Set(podKeys),
      setAt: this.#clock.now(),
    });
  }

  /** One expected creation was observed (or will never happen because the create failed). */
  creationObserved(key: string): void {
    const exp = this.#byKey.get(key);
    if (exp) exp.add--;
  }

  /** The deletion of `podKey` was observed; counts only if it was expected, and only once. */
  deletionObserved(key: string, podKey: string): void {
    const exp = this.#byKey.get(key);
    if (exp?.deleting.delete(podKey)) exp.del--;
  }

  /** Forgets the owner (it was deleted, or recreated under the same name). */
  delete(key: string): void {
    this.#byKey.delete(key);
  }
}
