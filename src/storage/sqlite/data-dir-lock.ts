/**
 * One active hub per SQLite data directory: an exclusive lock on `DIR/hub.lock`, a small SQLite
 * file opened in EXCLUSIVE locking mode and written once, so SQLite holds its file lock for as
 * long as the connection is open. The operating system drops the lock when the holder exits, even
 * on SIGKILL, so a standby hub polling `acquire` takes over. The lock file records the holder (for
 * the standby's message); the store itself is never opened by two processes.
 */
import Database from 'better-sqlite3';
import type { Clock } from '../../base/clock.js';

export interface LockHolder {
  id: string;
  since: string;
}

/** A held lock; `release` closes it. */
export interface DataDirLock {
  release(): void;
}

/** Tries once: the lock, or the current holder when another hub has it. */
export function tryLock(
  path: string,
  me: LockHolder,
): { lock: DataDirLock } | { holder: LockHolder | undefined } {
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (id TEXT NOT NULL, since TEXT NOT NULL)');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (id, since) VALUES (?, ?)').run(me.id, me.since);
    db.exec('COMMIT');
    return { lock: { release: () => db.close() } };
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    return { holder: readHolder(path) };
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const db = new Database(path, { readonly: true, timeout: 0 });
    try {
      return db.prepare('SELECT id, since FROM holder').get() as LockHolder | undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined; // the holder's exclusive lock keeps readers out too
  }
}

/**
 * Waits for the lock, trying every `intervalMs`; calls `onWait` once with the holder when another
 * hub has it. Resolves undefined if `signal` aborts first.
 */
export async function acquireLock(
  path: string,
  o: {
    me: LockHolder;
    clock: Clock;
    signal: AbortSignal;
    intervalMs?: number;
    onWait?: (holder: LockHolder | undefined) => void;
  },
): Promise<DataDirLock | undefined> {
  let told = false;
  for (;;) {
    const attempt = tryLock(path, o.me);
    if ('lock' in attempt) return attempt.lock;
    if (!told) o.onWait?.(attempt.holder);
    told = true;
    try {
      await o.clock.sleep(o.intervalMs ?? 1000, o.signal);
    } catch {
      return undefined;
    }
  }
}
