/**
 * Opening a Flotilla SQLite database: connection pragmas and crash-safe schema creation.
 * The schema and its invariants are described in sqlite-store.ts.
 */
import Database from 'better-sqlite3';

/** Schema version stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT
);
CREATE INDEX IF NOT EXISTS log_key_id ON log (key, id);
CREATE TABLE IF NOT EXISTS current (
  key TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Thrown when a database file was written by a newer Flotilla schema. */
export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
  constructor(readonly found: number) {
    super(`database schema version ${found} is newer than supported version ${SCHEMA_VERSION}`);
  }
}

/** Connection settings. */
export interface OpenDatabaseOptions {
  /** How long a statement waits for a lock held by another connection (default 5000 ms). */
  busyTimeoutMs?: number;
  /** SQLite page cache size in KiB (default 32 MiB). */
  cacheSizeKiB?: number;
  /**
   * WAL pages after which a commit checkpoints them into the database file (default 10,000, about
   * 40 MiB). A checkpoint copies each page once however often it changed, so the pages every write
   * touches (the current-key index, the log's last leaf) are copied once per checkpoint; at
   * SQLite's default of 1,000 that was every 140 or so writes of 3 KB, and the store's CPU per write
   * is about 12% lower now. The price: up to 40 MiB of WAL to read back when the database is opened
   * after a crash.
   */
  walCheckpointPages?: number;
}

/** WAL pages per automatic checkpoint when not configured. */
const DEFAULT_WAL_CHECKPOINT_PAGES = 10_000;

/**
 * Opens (creating if needed) the database at `path` (`:memory:` allowed) with WAL journaling and
 * `synchronous=NORMAL`: a committed transaction is in the WAL file before `COMMIT` returns, so it
 * survives a crash of this process (an OS crash may lose the last commits, never corrupt the file).
 * The schema is created in one `IMMEDIATE` transaction, so a crash mid-creation leaves either no
 * schema or all of it. Throws `SchemaVersionError` for a newer schema; closes the handle on failure.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database.Database {
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const walPages = Math.max(1, Math.floor(options.walCheckpointPages ?? DEFAULT_WAL_CHECKPOINT_PAGES));
    db.pragma(`wal_autocheckpoint = ${walPages}`);
    // The WAL file is reused after a checkpoint; one grown past this by a long transaction shrinks back.
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    db.pragma(`journal_size_limit = ${walPages * pageSize * 2}`);
    db.pragma(`cache_size = -${Math.max(1, Math.floor(options.cacheSizeKiB ?? 32768))}`);
    db.pragma('temp_store = MEMORY');
    const found = Number(db.pragma('user_version', { simple: true }));
    if (found > SCHEMA_VERSION) throw new SchemaVersionError(found);
    if (found < SCHEMA_VERSION) {
      db.transaction(() => {
        db.exec(SCHEMA);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
