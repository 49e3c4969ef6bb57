/**
 * An allocator of offsets `0..size-1` that remembers who holds each one (kube's bitmap allocator
 * plus ownership, which the in-memory repair loop needs).
 *
 * Invariants:
 * - An offset has at most one holder. A holder is a Service's `namespace/name` key and uid.
 * - Reserving an offset already held by the same key succeeds and hands it to the new uid: a
 *   Service deleted and created again under the same name may ask for its old address before the
 *   deletion has been observed (kube releases synchronously; this allocator releases when the
 *   informer reports the deletion).
 * - Dynamic allocation prefers the upper band: the first `staticBand` offsets are kept for
 *   requested addresses as long as the rest has room (KEP-3070 / KEP-3668).
 */

/** Who holds an offset. */
export interface Holder {
  /** `namespace/name` of the Service. */
  readonly key: string;
  readonly uid: string;
}

/** A held offset and when (clock ms) it was reserved. */
export interface Holding {
  readonly holder: Holder;
  readonly since: number;
}

/** Options of `OwnedAllocator`. */
export interface OwnedAllocatorOptions {
  /** Number of offsets. */
  size: number;
  /** Offsets [0, staticBand) are used for dynamic allocation only when the rest is full. */
  staticBand: number;
  /** A number in [0, 1) choosing where dynamic allocation starts looking (default Math.random). */
  random?: () => number;
}

/** Outcome of `reserve`. */
export type ReserveOutcome = 'reserved' | 'already-held' | 'taken';

/** Offsets with holders. Synchronous: admission runs inside one request. */
export class OwnedAllocator {
  readonly #size: number;
  readonly #staticBand: number;
  readonly #random: () => number;
  readonly #held = new Map<number, Holding>();

  constructor(options: OwnedAllocatorOptions) {
    this.#size = options.size;
    this.#staticBand = Math.min(options.staticBand, options.size);
    this.#random = options.random ?? Math.random;
  }

  /** How many offsets are held. */
  get used(): number {
    return this.#held.size;
  }

  /** Who holds `offset`. */
  holding(offset: number): Holding | undefined {
    return this.#held.get(offset);
  }

  /** True when `offset` is free or held under `key`. */
  canReserve(offset: number, key: string): boolean {
    const h = this.#held.get(offset);
    return h === undefined || h.holder.key === key;
  }

  /**
   * Reserves `offset` for `holder`: `reserved` when it was free, `already-held` when the same key
   * held it (now under `holder.uid`), `taken` when another Service holds it (nothing changes).
   */
  reserve(offset: number, holder: Holder, now: number): ReserveOutcome {
    const h = this.#held.get(offset);
    if (h !== undefined && h.holder.key !== holder.key) return 'taken';
    const same = h !== undefined && h.holder.uid === holder.uid;
    if (!same) this.#held.set(offset, { holder, since: now });
    return h === undefined ? 'reserved' : 'already-held';
  }

  /**
   * A free offset not in `exclude` (upper band first, from a random start), or undefined when
   * none is left. Does not reserve it.
   */
  findFree(exclude?: ReadonlySet<number>): number | undefined {
    const upper = this.#scan(this.#staticBand, this.#size, exclude);
    return upper ?? this.#scan(0, this.#staticBand, exclude);
  }

  /** Puts back what `holding(offset)` answered before a reservation (reverting a failed admission). */
  restore(offset: number, previous: Holding | undefined): void {
    if (previous === undefined) this.#held.delete(offset);
    else this.#held.set(offset, previous);
  }

  /** Releases `offset` if it is held by `uid` (any holder when `uid` is undefined); true if released. */
  release(offset: number, uid?: string): boolean {
    const h = this.#held.get(offset);
    if (h === undefined || (uid !== undefined && h.holder.uid !== uid)) return false;
    this.#held.delete(offset);
    return true;
  }

  /** Every held offset. */
  entries(): IterableIterator<[number, Holding]> {
    return this.#held.entries();
  }

  #scan(from: number, to: number, exclude: ReadonlySet<number> | undefined): number | undefined {
    const span = to - from;
    if (span <= 0) return undefined;
    const start = Math.floor(this.#random() * span);
    for (let i = 0; i < span; i++) {
      const offset = from + ((start + i) % span);
      if (!this.#held.has(offset) && !(exclude?.has(offset) ?? false)) return offset;
    }
    return undefined;
  }
}

/** kube's static band for a range of `size`: min(max(min, size / divisor), max). */
export function staticBandSize(size: number, band: { min: number; max: number; divisor: number }): number {
  return Math.min(Math.max(band.min, Math.floor(size / band.divisor)), band.max);
}
