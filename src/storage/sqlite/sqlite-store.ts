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
 * - Every write is one short IMMEDIATE transaction: read the key's current row (the guard), append
 *   to `log`, update `current`. `current` always equals "newest non-tombstone row per key".
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
import { prefixEnd, rangeStart } from '../key-order.js';
import { PageCountCache } from '../page-count-cache.js';
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
}

const COMPACT_KEY = 'compact_revision';

type Applied = { event: StoreEvent; kv: KeyValue };
type Apply = (prev: KeyValue | undefined) => Applied | undefined;
type WriteOutcome = { prev: KeyValue | undefined } | { done: Applied };

/** The SQLite implementation of `Store` (see store.ts for the contract). */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #q: SqliteQueries;
  readonly #hub: WatchHub;
  readonly #compactBatch: number;
  readonly #counts = new PageCountCache();
  /** Reads the guard and applies the write; created once because wrapping costs per call. */
  readonly #writeTxn: Database.Transaction<(key: string, apply: Apply) => WriteOutcome>;
  readonly #compactTxn: Database.Transaction<(from: number, to: number) => void>;
  #rev: number;
  #compacted: number;

  private constructor(db: Database.Database, options: SqliteStoreOptions) {
    this.#db = db;
    this.#q = new SqliteQueries(db);
    this.#writeTxn = db.transaction((key: string, apply: Apply): WriteOutcome => {
      const prev = this.#q.latest(key);
      const done = apply(prev);
      return done === undefined ? { prev } : { done };
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
      return revision === this.#rev ? this.#q.latest(key) : this.#q.at(key, revision);
    });
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
      this.#hub.close();
      if (this.#db.open) this.#db.close();
    });
  }

  /**
   * Runs one guarded write in an IMMEDIATE transaction. `apply` appends the row and returns the
   * event, or returns undefined when the guard fails (nothing written). Publishes after commit.
   */
  #write(
    key: string,
    apply: (prev: KeyValue | undefined, revision: number) => Applied | undefined,
  ): Promise<TxnResult> {
    return settle(() => {
      const revision = this.#rev + 1;
      const outcome = this.#writeTxn.immediate(key, (prev) => apply(prev, revision));
      if ('prev' in outcome) {
        const { prev } = outcome;
        return prev === undefined
          ? { succeeded: false, revision: this.#rev }
          : { succeeded: false, revision: this.#rev, kv: prev };
      }
      this.#rev = revision;
      this.#hub.publish(outcome.done.event);
      return { succeeded: true, revision, kv: outcome.done.kv };
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
