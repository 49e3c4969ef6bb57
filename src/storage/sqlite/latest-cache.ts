/**
 * The latest value of recently written or read keys, so a read-modify-write (every update reads its
 * key twice: the API server's read and the store's guard) does not go to SQLite for a key this
 * process has just seen. Exact because this store is the only writer: every committed write
 * updates its entry. Bounded: past `capacity` keys, the least recently stored entry goes.
 */
import type { KeyValue } from '../store.js';

/** A cached absence: the key was read or deleted and has no value. */
const ABSENT = null;

export class LatestCache {
  readonly #entries = new Map<string, KeyValue | typeof ABSENT>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(0, capacity);
  }

  /** The latest value (undefined: absent), or `miss` when this key is not cached. */
  get(key: string): KeyValue | undefined | 'miss' {
    const entry = this.#entries.get(key);
    if (entry === undefined) return 'miss';
    return entry ?? undefined;
  }

  /** Records the key's latest value (undefined: it does not exist). */
  set(key: string, kv: KeyValue | undefined): void {
    if (this.#capacity === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, kv ?? ABSENT);
    if (this.#entries.size > this.#capacity)
      this.#entries.delete(this.#entries.keys().next().value as string);
  }

  get size(): number {
    return this.#entries.size;
  }
}
