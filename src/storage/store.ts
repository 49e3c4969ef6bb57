/**
 * The storage seam, modelled on etcd v3 so that the SQLite, memory and etcd implementations map 1:1.
 *
 * Invariants every implementation keeps (checked by `testing/conformance.ts`):
 * - One global revision counter. Every successful create, update and delete increments it by exactly
 *   one; the new revision is the written key's `modRevision` (Kubernetes' resourceVersion).
 * - Guarded writes: `create` succeeds only if the key is absent; `update`/`delete` only if the key's
 *   current `modRevision` equals `expectedRevision`. A failed guard is an outcome (`succeeded: false`
 *   with the current value), not an exception, like an etcd Txn's Else branch.
 * - Reads at a past revision (`revision` option) see exactly the state after that revision, as long as
 *   it is at or above the compacted revision; below it they throw `CompactedError`.
 *   A revision above the current one throws `FutureRevisionError`.
 * - Watches deliver every change with revision > `startRevision` under the prefix, in revision order,
 *   each exactly once, with the previous value. Starting below the compacted revision throws
 *   `CompactedError`. Writes acknowledged (promise resolved) are durable for persistent stores.
 */

export interface KeyValue {
  readonly key: string;
  /** The stored value (JSON text for Flotilla). */
  readonly value: string;
  /** Revision at which the key was (last) created. */
  readonly createRevision: number;
  /** Revision of the last write to the key: the object's resourceVersion. */
  readonly modRevision: number;
}

export interface RangeOptions {
  /** Read at this revision instead of the current one. */
  revision?: number;
  /** At most this many keys (0 or absent: no limit). */
  limit?: number;
  /** First key to return (inclusive), for pagination; must start with the prefix. */
  fromKey?: string;
}

export interface RangeResult {
  readonly kvs: readonly KeyValue[];
  /** The revision the range was read at (the current one unless `revision` was given). */
  readonly revision: number;
  /** True when keys beyond `limit` remain. */
  readonly more: boolean;
  /** How many keys matched in total from `fromKey` (before `limit`). */
  readonly count: number;
}

export interface TxnResult {
  readonly succeeded: boolean;
  /** On success: the revision of this write. On failure: the store's current revision. */
  readonly revision: number;
  /** On failure: the key's current value, if any. On success of update/create: the new value. */
  readonly kv?: KeyValue;
}

export type StoreEventType = 'put' | 'delete';

export interface StoreEvent {
  readonly type: StoreEventType;
  /** For put: the new value. For delete: key with the deletion revision as `modRevision` and the last value. */
  readonly kv: KeyValue;
  /** The value before this change (absent for a create). */
  readonly prevKv?: KeyValue;
}

export interface WatchOptions {
  /** Deliver changes with revision strictly greater than this. */
  startRevision: number;
  /** Ends the watch; the iterator then finishes. */
  signal: AbortSignal;
}

export interface Store {
  /** The latest revision written (0 for an empty store). */
  currentRevision(): Promise<number>;
  /** The oldest revision still readable: reads and watches below it throw `CompactedError`. */
  compactedRevision(): Promise<number>;
  get(key: string, options?: { revision?: number }): Promise<KeyValue | undefined>;
  /** Keys starting with `prefix`, in byte order. */
  range(prefix: string, options?: RangeOptions): Promise<RangeResult>;
  /** Creates `key` if absent (or deleted). */
  create(key: string, value: string): Promise<TxnResult>;
  /** Replaces `key` if its modRevision is `expectedRevision`. */
  update(key: string, value: string, expectedRevision: number): Promise<TxnResult>;
  /** Deletes `key` if its modRevision is `expectedRevision`. */
  delete(key: string, expectedRevision: number): Promise<TxnResult>;
  /**
   * Streams changes under `prefix` after `startRevision`. Throws `CompactedError` (at the first
   * `next()`) if that revision is no longer in history.
   */
  watch(prefix: string, options: WatchOptions): AsyncIterable<StoreEvent>;
  /** Discards history up to and including `revision`; current values are kept. */
  compact(revision: number): Promise<void>;
  /** Releases resources. Pending watches end. */
  close(): Promise<void>;
}

/** A read or watch asked for a revision that compaction removed (maps to HTTP 410). */
export class CompactedError extends Error {
  override readonly name = 'CompactedError';
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`required revision ${requested} has been compacted (compacted revision ${compacted})`);
  }
}

/** A read asked for a revision newer than the store has (maps to HTTP 504 "Too large resource version"). */
export class FutureRevisionError extends Error {
  override readonly name = 'FutureRevisionError';
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`required revision ${requested} is a future revision (current ${current})`);
  }
}
