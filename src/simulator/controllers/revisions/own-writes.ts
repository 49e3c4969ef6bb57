/**
 * Remembers the resourceVersion a controller last wrote for each of its objects, so a pass that
 * starts before the informer has delivered that write can tell its cache is stale and wait for
 * the event instead of computing from old status and losing a 409 race against itself.
 *
 * Invariant: an entry is dropped as soon as the cache shows the write (or something newer), so
 * the map only holds writes in flight.
 */
import type { KubeObject } from '../../../api/meta.js';

/** Written resourceVersions per object key. */
export class OwnWrites {
  readonly #written = new Map<string, number>();

  /** Records that `obj` (as the server answered a write) is the newest version under `key`. */
  record(key: string, obj: KubeObject): void {
    const rv = Number(obj.metadata.resourceVersion ?? Number.NaN);
    if (Number.isFinite(rv)) this.#written.set(key, rv);
  }

  /** True when `cached` is older than the last write recorded under `key`. */
  stale(key: string, cached: KubeObject): boolean {
    const written = this.#written.get(key);
    if (written === undefined) return false;
    const rv = Number(cached.metadata.resourceVersion ?? Number.NaN);
    if (Number.isFinite(rv) && rv < written) return true;
    this.#written.delete(key);
    return false;
  }

  /** Forgets `key` (the object is gone). */
  forget(key: string): void {
    this.#written.delete(key);
  }
}
