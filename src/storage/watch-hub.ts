/**
 * Watch fan-out shared by the stores.
 *
 * Invariants:
 * - A store calls `publish` synchronously after each committed write, in revision order, before
 *   any other code can observe the new revision. `EventLog.currentRevision()` therefore never runs
 *   ahead of what has been published.
 * - Registration is synchronous: `watch()` reads `snapshot = currentRevision()` and enrols the
 *   watcher for live events in the same tick. Events with revision <= `snapshot` come from the
 *   store's history (catch-up, read lazily in batches); events above it come from `publish`. The
 *   two sets are disjoint and together complete, so there is no gap and no duplicate.
 * - Each watcher has its own unbounded queue holding references to the published event objects
 *   (one object per change, shared by every watcher); an aborted or closed watcher drops its queue.
 * - Catch-up that falls below the compacted revision (before or during replay) ends the watch
 *   with `CompactedError`, like an etcd watch cancelled by compaction.
 */
import { Fifo } from '../base/fifo.js';
import type { StoreEvent, WatchOptions } from './store.js';
import { CompactedError } from './store.js';

/** What the hub needs from a store to replay history. All methods are synchronous. */
export interface EventLog {
  /** The latest revision written and published. */
  currentRevision(): number;
  /** Revisions at or below this one are gone from history. */
  compactedRevision(): number;
  /**
   * Events under `prefix` with `after < revision <= until`, in revision order, at most `limit`.
   * Throws `CompactedError` when `after` is below the compacted revision.
   */
  readEvents(prefix: string, range: { after: number; until: number }, limit: number): StoreEvent[];
}

/** Options for a `WatchHub`. */
export interface WatchHubOptions {
  /** Events read from history per batch during catch-up (default 1000). */
  catchUpBatch?: number;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Revision of the change an event describes (a delete's kv carries the deletion revision). */
function revisionOf(event: StoreEvent): number {
  return event.kv.modRevision;
}

class Watcher implements AsyncIterableIterator<StoreEvent> {
  /** History is replayed for (cursor, snapshot]; live events are queued from snapshot on. */
  #cursor: number;
  readonly #snapshot: number;
  #backlog: StoreEvent[] = [];
  #backlogHead = 0;
  readonly #live = new Fifo<StoreEvent>();
  /** Pending `next()` calls (more than one only if the consumer does not await each). */
  #waiters: Array<(r: IteratorResult<StoreEvent>) => void> = [];
  #error: Error | undefined;
  #done = false;
  #cleanup: (() => void) | undefined;

  constructor(
    readonly prefix: string,
    private readonly hub: WatchHubInternals,
    positions: { start: number; snapshot: number },
  ) {
    this.#cursor = Math.min(positions.start, positions.snapshot);
    this.#snapshot = positions.snapshot;
    this.start = positions.start;
  }

  readonly start: number;

  /** Registers work to undo when the watch ends (removing the abort listener). */
  onEnd(cleanup: () => void): void {
    this.#cleanup = cleanup;
  }

  /** Called by the hub for every live event under this watcher's prefix. */
  deliver(event: StoreEvent): void {
    if (this.#done || revisionOf(event) <= this.start) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter({ done: false, value: event });
      return;
    }
    this.#live.push(event);
  }

  /** Ends the watch: pending and future `next()` calls report done; queued events are dropped. */
  end(error?: Error): void {
    if (this.#done) return;
    this.#done = true;
    if (error !== undefined) this.#error = error;
    this.#backlog = [];
    this.#live.clear();
    this.hub.detach(this);
    this.#cleanup?.();
    this.#cleanup = undefined;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter(DONE);
  }

  next(): Promise<IteratorResult<StoreEvent>> {
    if (this.#error !== undefined) {
      const err = this.#error;
      this.#error = undefined;
      return Promise.reject(err);
    }
    if (this.#done) return Promise.resolve(DONE);
    try {
      const event = this.#take();
      if (event !== undefined) return Promise.resolve({ done: false, value: event });
    } catch (err) {
      this.end();
      return Promise.reject(err instanceof Error ? err : new Error('watch catch-up failed', { cause: err }));
    }
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
    });
  }

  return(): Promise<IteratorResult<StoreEvent>> {
    this.end();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<StoreEvent> {
    return this;
  }

  #take(): StoreEvent | undefined {
    if (this.#backlogHead >= this.#backlog.length && this.#cursor < this.#snapshot) this.#refill();
    if (this.#backlogHead < this.#backlog.length) {
      const event = this.#backlog[this.#backlogHead++];
      if (this.#backlogHead === this.#backlog.length) {
        this.#backlog = [];
        this.#backlogHead = 0;
      }
      return event;
    }
    return this.#live.shift();
  }

  /** Loads the next history batch; an empty or short batch means history up to snapshot is done. */
  #refill(): void {
    const batch = this.hub.readEvents(this.prefix, { after: this.#cursor, until: this.#snapshot });
    const last = batch.at(-1);
    this.#cursor =
      batch.length < this.hub.catchUpBatch || last === undefined ? this.#snapshot : revisionOf(last);
    this.#backlog = batch;
    this.#backlogHead = 0;
  }
}

interface WatchHubInternals {
  readonly catchUpBatch: number;
  detach(w: Watcher): void;
  readEvents(prefix: string, range: { after: number; until: number }): StoreEvent[];
}

/**
 * Fans committed events out to watchers, replaying history for watchers that start in the past.
 * Cost per published event: one `startsWith` per distinct watched prefix plus one queue push per
 * matching watcher.
 */
export class WatchHub {
  readonly #log: EventLog;
  readonly #byPrefix = new Map<string, Set<Watcher>>();
  readonly #internals: WatchHubInternals;
  #closed = false;

  constructor(log: EventLog, options: WatchHubOptions = {}) {
    this.#log = log;
    const catchUpBatch = Math.max(1, options.catchUpBatch ?? 1000);
    this.#internals = {
      catchUpBatch,
      detach: (w) => {
        this.#detach(w);
      },
      readEvents: (prefix, range) => this.#log.readEvents(prefix, range, catchUpBatch),
    };
  }

  /** Number of live watchers (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const set of this.#byPrefix.values()) n += set.size;
    return n;
  }

  /**
   * Starts a watch (see `Store.watch`). A start below the compacted revision, or a closed hub,
   * makes the first `next()` reject with `CompactedError` / end respectively.
   */
  watch(prefix: string, options: WatchOptions): AsyncIterableIterator<StoreEvent> {
    const snapshot = this.#log.currentRevision();
    const w = new Watcher(prefix, this.#internals, { start: options.startRevision, snapshot });
    if (this.#closed || options.signal.aborted) {
      w.end();
      return w;
    }
    const compacted = this.#log.compactedRevision();
    if (options.startRevision < compacted) {
      w.end(new CompactedError(options.startRevision, compacted));
      return w;
    }
    let set = this.#byPrefix.get(prefix);
    if (set === undefined) {
      set = new Set();
      this.#byPrefix.set(prefix, set);
    }
    set.add(w);
    const signal = options.signal;
    const onAbort = (): void => {
      w.end();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    w.onEnd(() => {
      signal.removeEventListener('abort', onAbort);
    });
    return w;
  }

  /** Delivers one committed event to every watcher whose prefix matches its key. */
  publish(event: StoreEvent): void {
    const key = event.kv.key;
    for (const [prefix, set] of this.#byPrefix) {
      if (!key.startsWith(prefix)) continue;
      for (const w of set) w.deliver(event);
    }
  }

  /** Ends every watch; later `watch()` calls return ended iterators. */
  close(): void {
    this.#closed = true;
    for (const set of [...this.#byPrefix.values()]) for (const w of [...set]) w.end();
    this.#byPrefix.clear();
  }

  #detach(w: Watcher): void {
    const set = this.#byPrefix.get(w.prefix);
    if (set === undefined) return;
    set.delete(w);
    if (set.size === 0) this.#byPrefix.delete(w.prefix);
  }
}
