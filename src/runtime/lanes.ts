/**
 * Priority between the controllers that share one process's event loop. Node has one thread and
 * every in-process reconcile runs to its end once started, so a controller's share of the loop is
 * its number of ready workers: under load, status bookkeeping (Work and binding status, Events)
 * crowds out the work a failover waits for (evicting, scheduling, writing Works, applying them).
 *
 * Critical controllers report how many keys wait in their queues; a background worker, before each
 * reconcile, lets the loop turn while any such key waits, for at most `maxTurns` turns. So a busy
 * critical path gets the loop, background keys pile up in their deduplicating queues and collapse
 * (ten status changes of one binding become one write), and background work still moves: once per
 * `maxTurns` turns per worker when the critical path never drains.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Options of `Lanes`. */
export interface LanesOptions {
  /** Loop turns a background reconcile waits at most while critical keys wait (default 64). */
  maxTurns?: number;
}

/** Which controllers go first when the loop is busy. */
export class Lanes {
  readonly #pending = new Set<() => number>();
  readonly #maxTurns: number;

  constructor(options: LanesOptions = {}) {
    this.#maxTurns = Math.max(1, options.maxTurns ?? 64);
  }

  /** Registers a critical queue by its count of waiting keys; the returned function unregisters it. */
  addCritical(pending: () => number): () => void {
    this.#pending.add(pending);
    return () => this.#pending.delete(pending);
  }

  /** Whether a critical key is waiting now. */
  get busy(): boolean {
    for (const pending of this.#pending) if (pending() > 0) return true;
    return false;
  }

  /**
   * Resolves once no critical key waits (at once when none does), or after `maxTurns` loop turns,
   * or when `signal` aborts.
   */
  async yieldToCritical(signal?: AbortSignal): Promise<void> {
    for (let turn = 0; turn < this.#maxTurns && this.busy && !signal?.aborted; turn++) await nextTurn();
  }
}
