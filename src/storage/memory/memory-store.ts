/**
 * An in-memory `Store`: a revision log plus per-key version history, for tests and the simulator.
 *
 * Invariants:
 * - `#log[i]` is the event of revision `#logBase + i + 1`; the log is dense (one event per revision)
 *   and holds every revision above the compacted one.
 * - `#history.get(key)` lists the key's versions in increasing revision order; a tombstone is a
 *   version without `kv`. Compaction to R keeps, per key, the newest version at or below R (unless
 *   it is a tombstone) and every version above R, so reads at R or later stay exact.
 * - `#keys` is the sorted (byte order) list of keys that have any retained version.
 * - All work is synchronous, so a write and its `publish` happen in one tick (see watch-hub.ts).
 */
import { lowerBound, rangeStart } from '../key-order.js';
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
import type { EventLog } from '../watch-hub.js';
import { WatchHub } from '../watch-hub.js';

interface Version {
  readonly revision: number;
  /** Absent for a tombstone. */
  readonly kv?: KeyValue;
}

/** Options for a `MemoryStore`. */
export interface MemoryStoreOptions {
  /** Events replayed per batch when a watch catches up (default 1000). */
  catchUpBatch?: number;
}

/** The in-memory implementation of `Store` (see store.ts for the contract). */
export class MemoryStore implements Store {
  #rev = 0;
  #compacted = 0;
  #logBase = 0;
  #log: StoreEvent[] = [];
  readonly #history = new Map<string, Version[]>();
  #keys: string[] = [];
  readonly #hub: WatchHub;
  readonly #counts = new PageCountCache();

  constructor(options: MemoryStoreOptions = {}) {
    const log: EventLog = {
      currentRevision: () => this.#rev,
      compactedRevision: () => this.#compacted,
      readEvents: (prefix, range, limit) => this.#readEvents(prefix, range, limit),
    };
    this.#hub = new WatchHub(
      log,
      options.catchUpBatch === undefined ? {} : { catchUpBatch: options.catchUpBatch },
    );
  }

  currentRevision(): Promise<number> {
    return Promise.resolve(this.#rev);
  }

  compactedRevision(): Promise<number> {
    return Promise.resolve(this.#compacted);
  }

  get(key: string, options: { revision?: number } = {}): Promise<KeyValue | undefined> {
    return settle(() => this.#at(this.#history.get(key), this.#readRevision(options.revision)));
  }

  range(prefix: string, options: RangeOptions = {}): Promise<RangeResult> {
    return settle(() => {
      const revision = this.#readRevision(options.revision);
      const limit = options.limit ?? 0;
      const start = rangeStart(prefix, options.fromKey);
      const known = limit > 0 ? this.#counts.get(prefix, revision, start) : undefined;
      const kvs: KeyValue[] = [];
      let count = 0;
      for (let i = lowerBound(this.#keys, start); i < this.#keys.length; i++) {
        const key = this.#keys[i] ?? '';
        if (!key.startsWith(prefix)) break;
        const kv = this.#at(this.#history.get(key), revision);
        if (kv === undefined) continue;
        count++;
        if (limit <= 0 || kvs.length < limit) kvs.push(kv);
        else if (known !== undefined) break;
      }
      if (known !== undefined) count = known;
      const last = kvs.at(-1);
      if (limit > 0 && last !== undefined && count > kvs.length) {
        this.#counts.remember(prefix, revision, { lastKey: last.key, remaining: count - kvs.length });
      }
      return { kvs, revision, more: count > kvs.length, count };
    });
  }

  create(key: string, value: string): Promise<TxnResult> {
    return settle(() => {
      const prev = this.#latest(key);
      if (prev !== undefined) return { succeeded: false, revision: this.#rev, kv: prev };
      const revision = this.#rev + 1;
      const kv: KeyValue = { key, value, createRevision: revision, modRevision: revision };
      this.#commit({ type: 'put', kv }, { revision, kv });
      return { succeeded: true, revision, kv };
    });
  }

  update(key: string, value: string, expectedRevision: number): Promise<TxnResult> {
    return settle(() => {
      const prev = this.#latest(key);
      if (prev?.modRevision !== expectedRevision) return this.#failed(prev);
      const revision = this.#rev + 1;
      const kv: KeyValue = { key, value, createRevision: prev.createRevision, modRevision: revision };
      this.#commit({ type: 'put', kv, prevKv: prev }, { revision, kv });
      return { succeeded: true, revision, kv };
    });
  }

  delete(key: string, expectedRevision: number): Promise<TxnResult> {
    return settle(() => {
      const prev = this.#latest(key);
      if (prev?.modRevision !== expectedRevision) return this.#failed(prev);
      const revision = this.#rev + 1;
      const kv: KeyValue = { ...prev, modRevision: revision };
      this.#commit({ type: 'delete', kv, prevKv: prev }, { revision });
      return { succeeded: true, revision, kv: prev };
    });
  }

  watch(prefix: string, options: WatchOptions): AsyncIterable<StoreEvent> {
    return this.#hub.watch(prefix, options);
  }

  compact(revision: number): Promise<void> {
    return settle(() => {
      if (revision > this.#rev) throw new FutureRevisionError(revision, this.#rev);
      if (revision <= this.#compacted) return;
      const dropped = this.#log.slice(0, revision - this.#logBase);
      this.#log = this.#log.slice(revision - this.#logBase);
      this.#logBase = revision;
      this.#compacted = revision;
      const emptied = new Set<string>();
      for (const event of dropped) {
        const key = event.kv.key;
        const versions = this.#history.get(key);
        if (versions === undefined) continue;
        const trimmed = trimHistory(versions, revision);
        if (trimmed.length > 0) this.#history.set(key, trimmed);
        else if (this.#history.delete(key)) emptied.add(key);
      }
      if (emptied.size > 0) this.#keys = this.#keys.filter((k) => !emptied.has(k));
    });
  }

  close(): Promise<void> {
    this.#hub.close();
    return Promise.resolve();
  }

  #readEvents(prefix: string, range: { after: number; until: number }, limit: number): StoreEvent[] {
    if (range.after < this.#compacted) throw new CompactedError(range.after, this.#compacted);
    const out: StoreEvent[] = [];
    const end = Math.min(range.until, this.#rev) - this.#logBase;
    for (let i = range.after - this.#logBase; i < end && out.length < limit; i++) {
      const event = this.#log[i];
      if (event !== undefined && event.kv.key.startsWith(prefix)) out.push(event);
    }
    return out;
  }

  #commit(event: StoreEvent, version: Version): void {
    const key = event.kv.key;
    let versions = this.#history.get(key);
    if (versions === undefined) {
      versions = [];
      this.#history.set(key, versions);
      this.#keys.splice(lowerBound(this.#keys, key), 0, key);
    }
    versions.push(version);
    this.#log.push(event);
    this.#rev = version.revision;
    this.#hub.publish(event);
  }

  #failed(current: KeyValue | undefined): TxnResult {
    return current === undefined
      ? { succeeded: false, revision: this.#rev }
      : { succeeded: false, revision: this.#rev, kv: current };
  }

  #latest(key: string): KeyValue | undefined {
    return this.#history.get(key)?.at(-1)?.kv;
  }

  #at(versions: readonly Version[] | undefined, revision: number): KeyValue | undefined {
    if (versions === undefined) return undefined;
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i];
      if (v !== undefined && v.revision <= revision) return v.kv;
    }
    return undefined;
  }

  /** The revision a read should use; 0 or absent means current. */
  #readRevision(revision: number | undefined): number {
    if (revision === undefined || revision <= 0) return this.#rev;
    if (revision > this.#rev) throw new FutureRevisionError(revision, this.#rev);
    if (revision < this.#compacted) throw new CompactedError(revision, this.#compacted);
    return revision;
  }
}

/** Drops versions superseded at or before `revision`, and a tombstone that is newest there. */
function trimHistory(versions: readonly Version[], revision: number): Version[] {
  let newestAtOrBelow = -1;
  for (let i = 0; i < versions.length; i++) if ((versions[i]?.revision ?? 0) <= revision) newestAtOrBelow = i;
  if (newestAtOrBelow < 0) return [...versions];
  const keepFrom = versions[newestAtOrBelow]?.kv === undefined ? newestAtOrBelow + 1 : newestAtOrBelow;
  return versions.slice(keepFrom);
}
