/**
 * A controller's own recent writes, laid over its informer cache until the cache shows them
 * (the role of kube's EndpointSliceTracker and staleEndpointsTracker). Without it, a reconcile
 * that runs before the informer has delivered the controller's previous write would create a
 * second EndpointSlice, or update from a stale resourceVersion and fail with a conflict.
 *
 * Invariants: objects are grouped by the key of what they belong to (a Service); a written
 * object hides the cached one until the cache holds a resourceVersion at least as new; a deleted
 * one hides the cached one until the cache drops it. Resource versions are compared as numbers
 * (the simulator's API server uses its store revision); a non-numeric one trusts the cache.
 */
import type { KubeObject } from '../../../api/meta.js';

type Entry<T> = { kind: 'written'; obj: T; rv: number } | { kind: 'deleted' };

function revision(obj: KubeObject): number {
  const rv = Number(obj.metadata.resourceVersion ?? '');
  return Number.isFinite(rv) ? rv : Number.NaN;
}

/** Recent writes per group, by object name. */
export class OwnWrites<T extends KubeObject> {
  readonly #groups = new Map<string, Map<string, Entry<T>>>();

  /** Remembers `obj` as the server returned it after a create or update. */
  written(group: string, obj: T): void {
    this.#group(group).set(obj.metadata.name ?? '', { kind: 'written', obj, rv: revision(obj) });
  }

  /** Remembers that `name` was deleted. */
  deleted(group: string, name: string): void {
    this.#group(group).set(name, { kind: 'deleted' });
  }

  /**
   * The group's objects as the controller last knew them: `cached` with newer own writes in
   * place, deleted ones removed, and created ones the cache lacks added. Drops entries the cache
   * has caught up with.
   */
  view(group: string, cached: readonly T[]): T[] {
    const entries = this.#groups.get(group);
    if (!entries) return [...cached];
    const out: T[] = [];
    const seen = new Set<string>();
    for (const obj of cached) {
      const name = obj.metadata.name ?? '';
      seen.add(name);
      const entry = entries.get(name);
      if (entry === undefined) out.push(obj);
      else if (entry.kind === 'written') {
        const rv = revision(obj);
        if (Number.isNaN(entry.rv) || Number.isNaN(rv) || rv >= entry.rv) {
          entries.delete(name);
          out.push(obj);
        } else out.push(entry.obj);
      }
    }
    for (const [name, entry] of entries) {
      if (seen.has(name)) continue;
      if (entry.kind === 'written') out.push(entry.obj);
      else entries.delete(name);
    }
    if (entries.size === 0) this.#groups.delete(group);
    return out;
  }

  /**
   * Notes the informer reporting `obj` deleted: a write of ours that the deletion came after no
   * longer describes anything, so it stops hiding the cache's view (the object is gone).
   */
  observeDeleted(group: string, obj: T): void {
    const entries = this.#groups.get(group);
    const name = obj.metadata.name ?? '';
    const entry = entries?.get(name);
    if (entry?.kind !== 'written') return;
    const rv = revision(obj);
    if (Number.isNaN(rv) || Number.isNaN(entry.rv) || rv >= entry.rv) entries?.delete(name);
  }

  /**
   * True when an informer event for `obj` only echoes this controller's own write (the same
   * resourceVersion it wrote, or a deletion it made), so the owner needs no resync.
   */
  isEcho(group: string, obj: T, deleted: boolean): boolean {
    const entry = this.#groups.get(group)?.get(obj.metadata.name ?? '');
    if (entry === undefined) return false;
    if (entry.kind === 'deleted') return deleted;
    return !deleted && entry.rv === revision(obj);
  }

  /** Forgets a group (its owner is gone and its objects deleted). */
  forget(group: string): void {
    this.#groups.delete(group);
  }

  #group(group: string): Map<string, Entry<T>> {
    let entries = this.#groups.get(group);
    if (!entries) this.#groups.set(group, (entries = new Map<string, Entry<T>>()));
    return entries;
  }
}
