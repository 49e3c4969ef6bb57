/**
 * Makes `RangeResult.count` cheap for paginated lists. Counting the keys from `fromKey` to the end of
 * a prefix is a scan of everything left (about 10 ms per 100k keys in SQLite), and kubectl lists in
 * pages of 500, so recounting on every page would cost more than reading the pages.
 *
 * Invariant that makes the cache exact: the state at a given revision never changes (reads below the
 * compacted revision throw before reaching the cache). So after a page at revision R that returned
 * `n` of `count` keys ending at `last`, a later page at R from `last + "\0"` (the next possible key,
 * which is how kube-apiserver continues) has exactly `count - n` keys left.
 */
export class PageCountCache {
  readonly #entries = new Map<string, number>();
  readonly #capacity: number;

  /** Keeps at most `capacity` entries, evicting the least recently stored. */
  constructor(capacity = 256) {
    this.#capacity = Math.max(1, capacity);
  }

  /** The remembered count for a page of `prefix` at `revision` starting at `start`, if any. */
  get(prefix: string, revision: number, start: string): number | undefined {
    const k = cacheKey(prefix, revision, start);
    const n = this.#entries.get(k);
    if (n !== undefined) this.#entries.delete(k);
    return n;
  }

  /**
   * Records a served page: `remaining` keys of `prefix` at `revision` come after `lastKey`.
   */
  remember(prefix: string, revision: number, page: { lastKey: string; remaining: number }): void {
    this.#entries.set(cacheKey(prefix, revision, `${page.lastKey}\u0000`), page.remaining);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }
}

function cacheKey(prefix: string, revision: number, start: string): string {
  return JSON.stringify([revision, prefix, start]);
}
