/**
 * `SqliteStore`: the embedded `Store`, a kine-like append-only revision log in SQLite
 * (better-sqlite3, synchronous), used by one process.
 *
 * Schema (sqlite-schema.ts):
 * - `log(id INTEGER PRIMARY KEY AUTOINCREMENT, key, deleted, create_revision, prev_revision, value)`:
 *   one row per successful write; `id` is the global revision. A delete appends a tombstone
 *   (`deleted = 1`, `value` NULL, `create_revision` of the deleted object). `prev_revision` is the
 *   id of the row this one supersedes (0 for a create), so a watch's `prevKv` (and a tombstone's
 *   last value) is one primary-key lookup away instead of a second copy of the value.
 *   Index `log_key_id(key, id)` serves reads at a past revision.
 * - `current(key PRIMARY KEY, revision) WITHOUT ROWID`: the latest live row of each existing key,
 *   clustered by key, so a current range/count is an ordered index walk plus a join on `log.id`.
 * - `meta(name, value)`: `compact_revision`.
 *
 * Invariants:
 * - Every write reads the key's current row (the guard), appends to `log` and updates `current`, in
 *   an IMMEDIATE transaction. `current` always equals "newest non-tombstone row per key".
 * - Latest values of recently used keys are also kept in memory (latest-cache.ts), for current
 *   reads and write guards; each commit updates them, which is exact because this process is the
 *   only writer. Writes earlier in the same transaction are seen through the transaction's own map.
 * - Group commit: a write arriving when none has been made this event-loop turn commits at once, on
 *   its own. Writes arriving after it in the same turn (many requests read from sockets in one poll
 *   phase, many controller workers) queue and commit together in one transaction at the turn's end
 *   (`setImmediate`), in arrival order, each guarded against the ones before it. Each commit costs
 *   about as much as one write, so a batch of 4 costs about 15 µs a write against 36 µs alone. The
 *   price: a lone writer that awaits each write before the next waits a turn every second write.
 *   A write's promise resolves after its transaction commits. If a batch transaction fails, its
 *   writes are retried one by one, so an error reaches only the write that causes it. `close`
 *   commits what is queued first.
 * - This process is the only writer, so the next revision is `#rev + 1`, inserted explicitly; the
 *   AUTOINCREMENT counter in `sqlite_sequence` still records it, so a revision is never reused,
 *   even after compaction removes the newest row and the database is reopened.
 * - Watch events are published after COMMIT returns and before control returns to the event loop,
 *   so the watch hub never sees a revision that is not durable, nor misses one (see watch-hub.ts).
 * - Compaction to R deletes, per write in (compacted, R], the row it superseded, and tombstones
 *   at or below R; it persists R in `meta` in the same transaction. Rows above R and the newest row
 *   at or below R of each live key remain, so reads at R or later and `prevKv` of events above R
 *   stay exact. Large compactions run in batches of `compactBatch` revisions.
 * - A second writer on the same file (another process, or a second `SqliteStore` here) is not
 *   supported; its colliding explicit ids fail on the primary key instead of corrupting the log.
 * - Paginated ranges take `count` from `PageCountCache` when a page continues the previous one.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import { asError } from '../../base/errors.js';
import { prefixEnd, rangeStart } from '../key-order.js';
import { PageCountCache } from '../page-count-cache.js';
import { LatestCache } from './latest-cache.js';
import type {
  KeyValue,
  RangeOptions,
  RangeResult,
  Store,
  StoreEvent,
  TxnResult,
  WatchOptions,
} from '../store.js';
import { CompactedError, FutureRevisionError } from '../store.js';
import { settle } from '../sync-promise.js';
import { WatchHub } from '../watch-hub.js';
import type { OpenDatabaseOptions } from './sqlite-schema.js';
import { openDatabase } from './sqlite-schema.js';
import type { LogRow } from './sqlite-queries.js';
import { SqliteQueries } from './sqlite-queries.js';

/** Options for `SqliteStore.open`. */
export interface SqliteStoreOptions extends OpenDatabaseOptions {
  /** Events read per batch when a watch catches up from history (default 1000). */
  catchUpBatch?: number;
  /** Revisions compacted per transaction (default 10,000). */
  compactBatch?: number;
  /** Keys whose latest value is kept in memory for reads and write guards (default 8,192; 0 = none). */
  latestCacheKeys?: number;
}

const COMPACT_KEY = 'compact_revision';

type Applied = { event: StoreEvent; kv: KeyValue };
/** Applies one guarded write at `revision`; undefined when the guard fails (nothing written). */
type Apply = (prev: KeyValue | undefined, revision: number) => Applied | undefined;
interface Write {
  readonly key: string;
  readonly apply: Apply;
}
interface QueuedWrite extends Write {
  resolve(result: TxnResult): void;
  reject(err: Error): void;
}
/** What one write of a transaction did: written at `revision`, or its guard failed at `revision`. */
type WriteOutcome = { revision: number } & ({ prev: KeyValue | undefined } | { done: Applied });

/** Keys whose latest value the store keeps in memory by default (about 3 KB each for Works). */
const DEFAULT_LATEST_CACHE_KEYS = 8192;

/** Writes per batch transaction; a longer queue commits in several. */
const MAX_BATCH = 256;

/** The SQLite implementation of `Store` (see store.ts for the contract). */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #q: SqliteQueries;
  readonly #hub: WatchHub;
  readonly #compactBatch: number;
  readonly #counts = new PageCountCache();
  readonly #latest: LatestCache;
  /** Reads each guard and applies the writes in order; created once because wrapping costs per call. */
  readonly #writeTxn: Database.Transaction<(writes: readonly Write[]) => WriteOutcome[]>;
  readonly #compactTxn: Database.Transaction<(from: number, to: number) => void>;
  #rev: number;
  #compacted: number;
  /** Writes waiting for the end of this event-loop turn; undefined when no write was made this turn. */
  #queued: QueuedWrite[] | undefined;

  private constructor(db: Database.Database, options: SqliteStoreOptions) {
    this.#db = db;
    this.#q = new SqliteQueries(db);
    this.#latest = new LatestCache(options.latestCacheKeys ?? DEFAULT_LATEST_CACHE_KEYS);
    this.#writeTxn = db.transaction((writes: readonly Write[]): WriteOutcome[] => {
      let revision = this.#rev;
      // Keys written earlier in this transaction: the cache learns them only once it commits.
      const written = new Map<string, KeyValue | undefined>();
      return writes.map(({ key, apply }) => {
        const prev = written.has(key) ? written.get(key) : this.#latestOf(key);
        const done = apply(prev, revision + 1);
        if (done === undefined) return { prev, revision };
        revision++;
        written.set(key, done.event.type === 'delete' ? undefined : done.kv);
        return { done, revision };
      });
    });
    this.#compactTxn = db.transaction((from: number, to: number) => {
      this.#q.compactRange(from, to);
      this.#q.setMeta(COMPACT_KEY, to);
    });
    this.#compactBatch = Math.max(1, options.compactBatch ?? 10_000);
    this.#compacted = this.#q.meta(COMPACT_KEY) ?? 0;
    this.#rev = Math.max(this.#q.maxEverRevision(), this.#compacted);
    this.#hub = new WatchHub(
      {
        currentRevision: () => this.#rev,
        compactedRevision: () => this.#compacted,
        readEvents: (prefix, range, limit) => this.#readEvents(prefix, { ...range, limit }),
      },
      options.catchUpBatch === undefined ? {} : { catchUpBatch: options.catchUpBatch },
    );
  }

  /**
   * Opens or creates the store at `path` (`:memory:` for a throwaway store). Continues from the
   * highest revision ever written. Throws if the file cannot be opened or has a newer schema.
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    const db = openDatabase(path, options);
    try {
      return new SqliteStore(db, options);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  currentRevision(): Promise<number> {
    return Promise.resolve(this.#rev);
  }

  compactedRevision(): Promise<number> {
    return Promise.resolve(this.#compacted);
  }

  get(key: string, options: { revision?: number } = {}): Promise<KeyValue | undefined> {
    return settle(() => {
      const revision = this.#readRevision(options.revision);
      return revision === this.#rev ? this.#latestOf(key) : this.#q.at(key, revision);
    });
  }

  /** The key's latest value, from the cache when it holds the key. */
  #latestOf(key: string): KeyValue | undefined {
    const cached = this.#latest.get(key);
    if (cached !== 'miss') return cached;
    const kv = this.#q.latest(key);
    this.#latest.set(key, kv);
    return kv;
  }

  range(prefix: string, options: RangeOptions = {}): Promise<RangeResult> {
    return settle(() => {
      const revision = this.#readRevision(options.revision);
      const start = rangeStart(prefix, options.fromKey);
      const end = prefixEnd(prefix);
      const limit = options.limit !== undefined && options.limit > 0 ? options.limit : -1;
      const kvs =
        revision === this.#rev
          ? this.#q.rangeCurrent(start, end, limit)
          : this.#q.rangeAt(start, end, { rev: revision, limit });
      if (limit < 0 || kvs.length < limit) return { kvs, revision, more: false, count: kvs.length };
      const count = this.#counts.get(prefix, revision, start) ?? this.#countAt(start, end, revision);
      const last = kvs.at(-1);
      if (last !== undefined && count > kvs.length) {
        this.#counts.remember(prefix, revision, { lastKey: last.key, remaining: count - kvs.length });
      }
      return { kvs, revision, more: count > kvs.length, count };
    });
  }

  create(key: string, value: string): Promise<TxnResult> {
    return this.#write(key, (prev, revision) => {
      if (prev !== undefined) return undefined;
      const kv: KeyValue = { key, value, createRevision: revision, modRevision: revision };
      this.#q.append({ id: revision, key, deleted: 0, createRevision: revision, prevRevision: 0, value });
      return { event: { type: 'put', kv }, kv };
    });
  }

  update(key: string, value: string, expectedRevision: number): Promise<TxnResult> {
    return this.#write(key, (prev, revision) => {
      if (prev?.modRevision !== expectedRevision) return undefined;
      const kv: KeyValue = { key, value, createRevision: prev.createRevision, modRevision: revision };
      this.#q.append({
        id: revision,
        key,
        deleted: 0,
        createRevision: prev.createRevision,
        prevRevision: prev.modRevision,
        value,
      });
      return { event: { type: 'put', kv, prevKv: prev }, kv };
    });
  }

  delete(key: string, expectedRevision: number): Promise<TxnResult> {
    return this.#write(key, (prev, revision) => {
      if (prev?.modRevision !== expectedRevision) return undefined;
      this.#q.append({
        id: revision,
        key,
        deleted: 1,
        createRevision: prev.createRevision,
        prevRevision: prev.modRevision,
        value: null,
      });
      return { event: { type: 'delete', kv: { ...prev, modRevision: revision }, prevKv: prev }, kv: prev };
    });
  }

  watch(prefix: string, options: WatchOptions): AsyncIterable<StoreEvent> {
    return this.#hub.watch(prefix, options);
  }

  /**
   * Compacts in batches of `compactBatch` revisions, one transaction each, yielding to the event
   * loop between batches so a large compaction does not stall writes and watches. Each batch
   * persists its end as the compacted revision.
   */
  async compact(revision: number): Promise<void> {
    if (revision > this.#rev) throw new FutureRevisionError(revision, this.#rev);
    while (this.#compacted < revision) {
      const from = this.#compacted;
      const to = Math.min(revision, from + this.#compactBatch);
      this.#compactTxn.immediate(from, to);
      this.#compacted = to;
      if (to < revision) await yieldToEventLoop();
    }
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.#db.open) this.#flush();
      this.#hub.close();
      if (this.#db.open) this.#db.close();
    });
  }

  /**
   * Runs one guarded write: at once when it is the first this event-loop turn, else queued for the
   * turn's batch (see "Group commit" above). `apply` appends the row and returns the event, or
   * returns undefined when the guard fails. Events are published after commit, in revision order.
   */
  #write(key: string, apply: Apply): Promise<TxnResult> {
    if (this.#queued !== undefined) {
      const queued = this.#queued;
      return new Promise((resolve, reject) => queued.push({ key, apply, resolve, reject }));
    }
    this.#queued = [];
    setImmediate(() => this.#flush());
    return settle(() => this.#finish(this.#writeTxn.immediate([{ key, apply }]))[0] as TxnResult);
  }

  /** Commits the queued writes, in batches, and closes the window: the next write commits at once. */
  #flush(): void {
    const queued = this.#queued;
    if (queued === undefined) return;
    this.#queued = undefined;
    if (!this.#db.open) {
      for (const w of queued) w.reject(new Error('store closed'));
      return;
    }
    for (let i = 0; i < queued.length; i += MAX_BATCH) this.#commitBatch(queued.slice(i, i + MAX_BATCH));
  }

  #commitBatch(batch: readonly QueuedWrite[]): void {
    let outcomes: WriteOutcome[];
    try {
      outcomes = this.#writeTxn.immediate(batch);
    } catch {
      // Nothing of the batch was written; one by one, each write gets its own outcome or error.
      for (const w of batch) this.#commitAlone(w);
      return;
    }
    const results = this.#finish(outcomes);
    batch.forEach((w, i) => w.resolve(results[i] as TxnResult));
  }

  /** Commits one write on its own: its outcome resolves it, its error rejects it. */
  #commitAlone(w: QueuedWrite): void {
    let outcomes: WriteOutcome[];
    try {
      outcomes = this.#writeTxn.immediate([w]);
    } catch (err) {
      w.reject(asError(err));
      return;
    }
    w.resolve(this.#finish(outcomes)[0] as TxnResult);
  }

  /** After a commit: advances the revision and publishes each write's event, in order. */
  #finish(outcomes: readonly WriteOutcome[]): TxnResult[] {
    return outcomes.map((o) => {
      if ('prev' in o) {
        return o.prev === undefined
          ? { succeeded: false, revision: o.revision }
          : { succeeded: false, revision: o.revision, kv: o.prev };
      }
      this.#rev = o.revision;
      const { event } = o.done;
      this.#latest.set(event.kv.key, event.type === 'delete' ? undefined : o.done.kv);
      this.#hub.publish(event);
      return { succeeded: true, revision: o.revision, kv: o.done.kv };
    });
  }

  /**
   * Keys live at `revision` from `start`: the current count corrected by the few keys written after
   * `revision`, which avoids scanning history for the common "next page at the first page's
   * revision" read.
   */
  #countAt(start: string, end: string | undefined, revision: number): number {
    let count = this.#q.countCurrent(start, end);
    if (revision === this.#rev) return count;
    for (const key of this.#q.touchedSince(start, end, revision)) {
      if (this.#q.at(key, revision) !== undefined) count++;
      if (this.#q.latest(key) !== undefined) count--;
    }
    return count;
  }

  #readEvents(prefix: string, range: { after: number; until: number; limit: number }): StoreEvent[] {
    if (range.after < this.#compacted) throw new CompactedError(range.after, this.#compacted);
    return this.#q.events(prefix, prefixEnd(prefix), range).map(toEvent);
  }

  /** The revision a read should use; 0 or absent means current. */
  #readRevision(revision: number | undefined): number {
    if (revision === undefined || revision <= 0) return this.#rev;
    if (revision > this.#rev) throw new FutureRevisionError(revision, this.#rev);
    if (revision < this.#compacted) throw new CompactedError(revision, this.#compacted);
    return revision;
  }
}

function toEvent(row: LogRow): StoreEvent {
  const prevKv: KeyValue | undefined =
    row.prev_revision > 0
      ? {
          key: row.key,
          value: row.prev_value ?? '',
          createRevision: row.create_revision,
          modRevision: row.prev_revision,
        }
      : undefined;
  if (row.deleted !== 0) {
    const kv = {
      key: row.key,
      value: row.prev_value ?? '',
      createRevision: row.create_revision,
      modRevision: row.id,
    };
    return prevKv === undefined ? { type: 'delete', kv } : { type: 'delete', kv, prevKv };
  }
  const kv = {
    key: row.key,
    value: row.value ?? '',
    createRevision: row.create_revision,
    modRevision: row.id,
  };
  return prevKv === undefined ? { type: 'put', kv } : { type: 'put', kv, prevKv };
}
