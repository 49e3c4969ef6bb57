/**
 * The controller loop (controller-runtime `internal/controller`): informers' events become keys in
 * a deduplicating work queue; N workers take keys and call the reconciler, one key at a time
 * per key (the queue is stingy).
 *
 * Outcome handling: success → forget the key's backoff; `requeueAfter` → forget, then add after
 * the delay; `TerminalError` → log, forget; other error → log, add with backoff.
 */
import { yieldTurn } from '../base/turns.js';
import type { Clock } from '../base/clock.js';
import { errorMessage } from '../base/errors.js';
import type { Logger } from '../base/logger.js';
import type { KubeObject } from '../api/meta.js';
import type { Informer } from '../client/informer.js';
import { objectKey } from '../client/informer.js';
import type { RateLimiter } from '../client/rate-limiter.js';
import { WorkQueue } from '../client/workqueue.js';
import type { Lanes } from './lanes.js';
import type { Reconciler } from './reconciler.js';
import { TerminalError } from './reconciler.js';
import type { Runnable } from './runnable.js';

/** An informer whose events feed the queue; `keys` maps an object to the keys to reconcile (default: its own key). */
export interface ControllerSource<T extends KubeObject = KubeObject> {
  informer: Informer<T>;
  keys?: (obj: T) => readonly string[];
  /** For updates: whether the change matters to the reconciler (default: every update does). */
  relevant?: (before: T, after: T) => boolean;
  /**
   * How long this source's keys wait before they are reconciled (default 0), so a burst of events
   * (ten Works reporting one after another) makes one reconcile. Keys from other sources do not wait.
   */
  delayMs?: number;
}

/** Options of `Controller`. */
export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  clock: Clock;
  log: Logger;
  /** Informers the controller starts, waits for, and listens to. */
  sources?: readonly ControllerSource[];
  /** Concurrent reconciles (default 1). */
  workers?: number;
  rateLimiter?: RateLimiter<string>;
  /**
   * Its place among the process's controllers (runtime/lanes.ts): `critical` ones go first while
   * their keys wait, `background` ones wait for them. Without `lanes` (or `lane`): neither.
   */
  lane?: { lanes: Lanes | undefined; priority: 'critical' | 'background' };
}

/** Runs a reconciler over keys from its sources (and from `enqueue`). */
export class Controller implements Runnable {
  readonly #o: ControllerOptions;
  readonly #log: Logger;
  #queue: WorkQueue<string> | undefined;
  /** Keys workers have taken from the queue and not yet begun to reconcile. */
  #taken = 0;
  readonly #early = new Set<string>();

  constructor(options: ControllerOptions) {
    this.#o = options;
    this.#log = options.log.child({ controller: options.name });
    for (const source of options.sources ?? []) {
      const keys = source.keys ?? ((obj: KubeObject) => [objectKey(obj)]);
      const delay = source.delayMs ?? 0;
      const add = (obj: KubeObject): void => {
        for (const k of keys(obj)) this.enqueueAfter(k, delay);
      };
      const relevant = source.relevant;
      source.informer.addHandlers({
        onAdd: add,
        onUpdate: (before, after) => {
          if (!relevant || relevant(before, after)) add(after);
        },
        onDelete: add,
      });
    }
  }

  /** Queues `key` for reconciliation (kept until `start` if the controller is not running yet). */
  enqueue(key: string): void {
    if (this.#queue) this.#queue.add(key);
    else this.#early.add(key);
  }

  /** Queues `key` after `ms` of clock time (at once when `ms` is 0). */
  enqueueAfter(key: string, ms: number): void {
    if (this.#queue) this.#queue.addAfter(key, ms);
    else this.#early.add(key);
  }

  /** Starts the sources, waits for their caches, runs the workers; resolves after `signal` aborts and workers finish. */
  async start(signal: AbortSignal): Promise<void> {
    const queue = new WorkQueue<string>({
      clock: this.#o.clock,
      signal,
      ...(this.#o.rateLimiter ? { rateLimiter: this.#o.rateLimiter } : {}),
    });
    this.#queue = queue;
    for (const k of this.#early) queue.add(k);
    this.#early.clear();
    const sources = (this.#o.sources ?? []).map((s) => s.informer.start(signal));
    for (const s of this.#o.sources ?? []) if (!(await s.informer.waitForSync(signal))) break;
    this.#log.info({ workers: this.#o.workers ?? 1 }, 'controller started');
    const lane = this.#o.lane;
    const unregister =
      lane?.priority === 'critical' ? lane.lanes?.addCritical(() => queue.length + this.#taken) : undefined;
    const workers = Array.from({ length: this.#o.workers ?? 1 }, () => this.#work(queue, signal));
    try {
      await Promise.all([...workers, ...sources]);
    } finally {
      unregister?.();
    }
    this.#log.info({}, 'controller stopped');
  }

  async #work(queue: WorkQueue<string>, signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        // Reconciles in-process are promise chains that never wait on I/O, and a key added while
        // a worker waits resumes it at once, inside whatever added the key: without a macrotask
        // (and, past the turn's budget, the rest of the turn) before each reconcile, one write
        // sets off a cascade of reconciles that holds every socket and timer of the process.
        // A key taken but not yet reconciled still counts as waiting for the lanes.
        this.#taken++;
        await yieldTurn();
        this.#taken--;
        if (this.#o.lane?.priority === 'background') await this.#o.lane.lanes?.yieldToCritical(signal);
        const result = await this.#o.reconciler.reconcile(key, signal);
        queue.forget(key);
        if (result.requeueAfter !== undefined && result.requeueAfter > 0)
          queue.addAfter(key, result.requeueAfter);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof TerminalError) {
          this.#log.error({ key, err: errorMessage(err) }, 'reconcile failed terminally');
          queue.forget(key);
        } else {
          this.#log.warn(
            { key, err: errorMessage(err), retries: queue.numRequeues(key) },
            'reconcile failed',
          );
          queue.addRateLimited(key);
        }
      } finally {
        queue.done(key);
      }
    }
  }
}
