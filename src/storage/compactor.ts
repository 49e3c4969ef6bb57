/**
 * Periodic history compaction for any `Store`, like kube-apiserver's compaction loop.
 *
 * Every `interval` the compactor samples (now, currentRevision). It compacts to the revision that
 * was current `retention` ago (the newest sample at least that old), capped so that at least
 * `minRetainRevisions` revisions below the current one stay readable. Samples older than the one
 * used are dropped, so memory stays at about `retention / interval` samples.
 */
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { noopLogger } from '../base/logger.js';
import type { Store } from './store.js';

/** Options for a `Compactor`. */
export interface CompactorOptions {
  readonly clock: Clock;
  /** Milliseconds between passes (default 60 s). */
  readonly interval?: number;
  /** Milliseconds of history to keep (default 5 min). */
  readonly retention?: number;
  /** Revisions always kept below the current one (default 1000). */
  readonly minRetainRevisions?: number;
  readonly logger?: Logger;
}

/** Which revision was current at a time (milliseconds of the compactor's clock). */
export interface RevisionSample {
  readonly at: number;
  readonly revision: number;
}

/** Compacts a store's history on a timer; see the module comment for the policy. */
export class Compactor {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #interval: number;
  readonly #retention: number;
  readonly #minRetain: number;
  readonly #log: Logger;
  #samples: RevisionSample[] = [];

  constructor(store: Store, options: CompactorOptions) {
    this.#store = store;
    this.#clock = options.clock;
    this.#interval = options.interval ?? 60_000;
    this.#retention = options.retention ?? 5 * 60_000;
    this.#minRetain = options.minRetainRevisions ?? 1000;
    this.#log = options.logger ?? noopLogger;
  }

  /**
   * Samples now, then runs a pass every `interval` until `signal` aborts; resolves when stopped.
   * A failed pass is logged and retried at the next interval.
   */
  async start(signal: AbortSignal): Promise<void> {
    await this.#sample();
    while (!signal.aborted) {
      try {
        await this.#clock.sleep(this.#interval, signal);
      } catch {
        if (signal.aborted) return;
      }
      if (signal.aborted) return;
      try {
        await this.runOnce();
      } catch (err) {
        this.#log.error({ err }, 'storage compaction failed');
      }
    }
  }

  /**
   * One pass: records a sample and compacts if the policy allows. Returns the revision compacted
   * to, or `undefined` when nothing was compacted. Store errors propagate.
   */
  async runOnce(): Promise<number | undefined> {
    const now = await this.#sample();
    const cutoff = this.#clock.now() - this.#retention;
    let chosen = -1;
    for (let i = 0; i < this.#samples.length; i++)
      if ((this.#samples[i]?.at ?? Infinity) <= cutoff) chosen = i;
    if (chosen < 0) return undefined;
    const old = this.#samples[chosen];
    this.#samples = this.#samples.slice(chosen);
    const target = Math.min(old?.revision ?? 0, now - this.#minRetain);
    if (target <= (await this.#store.compactedRevision())) return undefined;
    await this.#store.compact(target);
    this.#log.debug({ revision: target }, 'storage compacted');
    return target;
  }

  /** The (time, revision) samples currently held, oldest first (for tests). */
  get samples(): readonly RevisionSample[] {
    return this.#samples;
  }

  async #sample(): Promise<number> {
    const revision = await this.#store.currentRevision();
    this.#samples.push({ at: this.#clock.now(), revision });
    return revision;
  }
}
