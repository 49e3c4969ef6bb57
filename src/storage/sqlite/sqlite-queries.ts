/**
 * Prepared statements over the schema in sqlite-schema.ts, each wrapped in a typed method.
 * Read queries alias their columns to `KeyValue` field names so rows are returned as-is, without
 * a mapping copy. Key ranges are `[start, end)` in BINARY collation (UTF-8 byte order); `end`
 * `undefined` means unbounded, which needs its own statement because `key < NULL` is never true.
 */
import type Database from 'better-sqlite3';
import type { KeyValue } from '../store.js';

/** A log row as read back for watch catch-up. */
export interface LogRow {
  readonly id: number;
  readonly key: string;
  readonly deleted: number;
  readonly create_revision: number;
  readonly prev_revision: number;
  /** The row's value; null for a tombstone. */
  readonly value: string | null;
  /** Value of the row this one supersedes (null for a create). */
  readonly prev_value: string | null;
}

/** A row to append to the log. */
export interface NewLogRow {
  readonly id: number;
  readonly key: string;
  readonly deleted: 0 | 1;
  readonly createRevision: number;
  readonly prevRevision: number;
  readonly value: string | null;
}

type Bounded<R> = {
  readonly bounded: Database.Statement<unknown[], R>;
  readonly open: Database.Statement<unknown[], R>;
};

const KV_COLUMNS = 'l.key AS key, l.value AS value, l.create_revision AS createRevision, l.id AS modRevision';

/** The store's statements, prepared once per connection. */
export class SqliteQueries {
  readonly #latest: Database.Statement<[string], KeyValue>;
  readonly #atRevision: Database.Statement<[string, number], KeyValue & { deleted: number }>;
  readonly #insertLog: Database.Statement;
  readonly #upsertCurrent: Database.Statement<[string, number]>;
  readonly #deleteCurrent: Database.Statement<[string]>;
  readonly #rangeCurrent: Bounded<KeyValue>;
  readonly #countCurrent: Bounded<{ n: number }>;
  readonly #rangeAt: Bounded<KeyValue>;
  readonly #touchedSince: Bounded<{ key: string }>;
  readonly #events: Bounded<LogRow>;
  readonly #deleteSuperseded: Database.Statement<[number, number]>;
  readonly #deleteTombstones: Database.Statement<[number, number]>;
  readonly #setMeta: Database.Statement<[string, number]>;
  readonly #getMeta: Database.Statement<[string], { value: number }>;
  readonly #sequence: Database.Statement<[], { seq: number }>;

  constructor(db: Database.Database) {
    const bounded = <R>(sql: (below: (column: string) => string) => string): Bounded<R> => ({
      bounded: db.prepare<unknown[], R>(sql((column) => `AND ${column} < @end`)),
      open: db.prepare<unknown[], R>(sql(() => '')),
    });
    this.#latest = db.prepare(
      `SELECT ${KV_COLUMNS} FROM current c JOIN log l ON l.id = c.revision WHERE c.key = ?`,
    );
    this.#atRevision = db.prepare(
      `SELECT ${KV_COLUMNS}, l.deleted AS deleted FROM log l WHERE l.key = ? AND l.id <= ? ORDER BY l.id DESC LIMIT 1`,
    );
    this.#insertLog = db.prepare(
      'INSERT INTO log (id, key, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#upsertCurrent = db.prepare(
      'INSERT INTO current (key, revision) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET revision = excluded.revision',
    );
    this.#deleteCurrent = db.prepare('DELETE FROM current WHERE key = ?');
    this.#rangeCurrent = bounded(
      (below) =>
        `SELECT ${KV_COLUMNS} FROM (SELECT key, revision FROM current WHERE key >= @start ${below('key')} ORDER BY key LIMIT @limit) c
         JOIN log l ON l.id = c.revision ORDER BY c.key`,
    );
    this.#countCurrent = bounded(
      (below) => `SELECT count(*) AS n FROM current WHERE key >= @start ${below('key')}`,
    );
    // Walks log_key_id in key order and keeps each key's newest row at or below @rev, so a LIMIT
    // stops the scan early (a GROUP BY form would sort the whole range first).
    this.#rangeAt = bounded(
      (below) =>
        `SELECT ${KV_COLUMNS} FROM log l
         WHERE l.key >= @start ${below('l.key')} AND l.id <= @rev AND l.deleted = 0
           AND l.id = (SELECT max(x.id) FROM log x WHERE x.key = l.key AND x.id <= @rev)
         ORDER BY l.key LIMIT @limit`,
    );
    this.#touchedSince = bounded(
      (below) => `SELECT DISTINCT key FROM log WHERE id > @rev AND key >= @start ${below('key')}`,
    );
    this.#events = bounded(
      (below) =>
        `SELECT l.id, l.key, l.deleted, l.create_revision, l.prev_revision, l.value, p.value AS prev_value
         FROM log l LEFT JOIN log p ON p.id = l.prev_revision
         WHERE l.id > @after AND l.id <= @until AND l.key >= @start ${below('l.key')}
         ORDER BY l.id LIMIT @limit`,
    );
    this.#deleteSuperseded = db.prepare(
      'DELETE FROM log WHERE id IN (SELECT prev_revision FROM log WHERE id > ? AND id <= ? AND prev_revision > 0)',
    );
    this.#deleteTombstones = db.prepare('DELETE FROM log WHERE id > ? AND id <= ? AND deleted = 1');
    this.#setMeta = db.prepare(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    );
    this.#getMeta = db.prepare('SELECT value FROM meta WHERE name = ?');
    this.#sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'log'");
  }

  /** The key's current value, if it exists. */
  latest(key: string): KeyValue | undefined {
    return this.#latest.get(key);
  }

  /** The key's value at `revision` (undefined if absent or deleted then). */
  at(key: string, revision: number): KeyValue | undefined {
    const row = this.#atRevision.get(key, revision);
    if (row === undefined || row.deleted !== 0) return undefined;
    return {
      key: row.key,
      value: row.value,
      createRevision: row.createRevision,
      modRevision: row.modRevision,
    };
  }

  /** Appends one row to the log and updates the current-state index to match. */
  append(row: NewLogRow): void {
    this.#insertLog.run(row.id, row.key, row.deleted, row.createRevision, row.prevRevision, row.value);
    if (row.deleted === 0) this.#upsertCurrent.run(row.key, row.id);
    else this.#deleteCurrent.run(row.key);
  }

  /** Current values in `[start, end)`, at most `limit` (negative: all). */
  rangeCurrent(start: string, end: string | undefined, limit: number): KeyValue[] {
    return pick(this.#rangeCurrent, end).all(params(end, { start, limit }));
  }

  /** Number of current keys in `[start, end)`. */
  countCurrent(start: string, end: string | undefined): number {
    return pick(this.#countCurrent, end).get(params(end, { start }))?.n ?? 0;
  }

  /** Values live at `rev` in `[start, end)`, at most `limit` (negative: all). */
  rangeAt(start: string, end: string | undefined, opts: { rev: number; limit: number }): KeyValue[] {
    return pick(this.#rangeAt, end).all(params(end, { start, rev: opts.rev, limit: opts.limit }));
  }

  /** Distinct keys in `[start, end)` written after `rev`. */
  touchedSince(start: string, end: string | undefined, rev: number): string[] {
    return pick(this.#touchedSince, end)
      .all(params(end, { start, rev }))
      .map((r) => r.key);
  }

  /** Log rows in `(after, until]` with keys in `[start, end)`, oldest first, at most `limit`. */
  events(
    start: string,
    end: string | undefined,
    opts: { after: number; until: number; limit: number },
  ): LogRow[] {
    return pick(this.#events, end).all(params(end, { start, ...opts }));
  }

  /** Deletes the history made obsolete by the writes in `(after, upTo]` (see sqlite-store.ts). */
  compactRange(after: number, upTo: number): void {
    this.#deleteSuperseded.run(after, upTo);
    this.#deleteTombstones.run(after, upTo);
  }

  /** Reads an integer from the meta table. */
  meta(name: string): number | undefined {
    return this.#getMeta.get(name)?.value;
  }

  /** Writes an integer to the meta table. */
  setMeta(name: string, value: number): void {
    this.#setMeta.run(name, value);
  }

  /** The largest id the log's AUTOINCREMENT has ever handed out (0 if none). */
  maxEverRevision(): number {
    return this.#sequence.get()?.seq ?? 0;
  }
}

function pick<R>(s: Bounded<R>, end: string | undefined): Database.Statement<unknown[], R> {
  return end === undefined ? s.open : s.bounded;
}

/** Named parameters, with `end` only when the statement has an upper bound. */
function params<T extends object>(end: string | undefined, rest: T): T | (T & { end: string }) {
  return end === undefined ? rest : { ...rest, end };
}
