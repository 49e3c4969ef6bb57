/**
 * Deadlines for many keys in one binary min-heap, drained by a single timer or tick loop: 10,000
 * nodes, 100,000 pods or a work queue's delayed adds need no timer each. Each key has at most one
 * live deadline; rescheduling or cancelling leaves the old heap entry behind as a tombstone that
 * `popDue` skips.
 */

interface Entry<K> {
  readonly at: number;
  readonly key: K;
}

/** Keyed deadlines; `popDue(now)` hands out the keys whose time has come, earliest first. */
export class TimerHeap<K = string> {
  readonly #heap: Entry<K>[] = [];
  readonly #live = new Map<K, Entry<K>>();

  /** Number of live deadlines. */
  get size(): number {
    return this.#live.size;
  }

  /** Sets `key`'s deadline to `at`, replacing any earlier or later one. */
  schedule(key: K, at: number): void {
    const entry = { at, key };
    this.#live.set(key, entry);
    this.#push(entry);
    // Tombstones can pile up when keys are rescheduled often; rebuild when they dominate.
    if (this.#heap.length > 64 && this.#heap.length > 4 * this.#live.size) this.#compact();
  }

  /** Sets `key`'s deadline to `at` unless it already has an earlier one. */
  scheduleEarliest(key: K, at: number): void {
    const current = this.deadline(key);
    if (current === undefined || at < current) this.schedule(key, at);
  }

  /** The live deadline of `key`, if any. */
  deadline(key: K): number | undefined {
    return this.#live.get(key)?.at;
  }

  /** The earliest live deadline, if any. */
  earliest(): number | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (!top) return undefined;
      if (this.#live.get(top.key) === top) return top.at;
      this.#pop(); // a tombstone
    }
  }

  /** Forgets `key`'s deadline. */
  cancel(key: K): void {
    this.#live.delete(key);
  }

  /** Removes and returns every key due at or before `now`, in deadline order. */
  popDue(now: number): K[] {
    const due: K[] = [];
    for (;;) {
      const top = this.#heap[0];
      if (!top || top.at > now) break;
      this.#pop();
      if (this.#live.get(top.key) !== top) continue;
      this.#live.delete(top.key);
      due.push(top.key);
    }
    return due;
  }

  #compact(): void {
    const keep = this.#heap.filter((e) => this.#live.get(e.key) === e);
    this.#heap.length = 0;
    for (const e of keep) this.#push(e);
  }

  #push(e: Entry<K>): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (!p || p.at <= e.at) break;
      h[i] = p;
      i = parent;
    }
    h[i] = e;
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      let smallestAt = last.at;
      const le = h[l];
      const re = h[r];
      if (le && le.at < smallestAt) {
        smallest = l;
        smallestAt = le.at;
      }
      if (re && re.at < smallestAt) smallest = r;
      if (smallest === i) break;
      h[i] = h[smallest] as Entry<K>;
      i = smallest;
    }
    h[i] = last;
  }
}
