/**
 * Which namespaces exist and which are terminating, kept current from a storage watch so that
 * every namespaced write need not read and decode its namespace (kube's NamespaceLifecycle
 * admission uses a namespace lister the same way). A miss is not authoritative: the caller reads
 * storage, since a namespace created a moment ago may not have reached the cache yet.
 *
 * Invariant: after `start` resolves, the cache reflects every namespace write up to the revision
 * it listed at, and then every later write in revision order.
 */
import type { Logger } from '../base/logger.js';
import type { ResourceInfo } from '../api/resource-info.js';
import type { Store } from '../storage/store.js';
import { collectionPrefix, decodeKv } from './codec.js';

export type NamespacePhase = 'Active' | 'Terminating';

export class NamespaceCache {
  readonly #phases = new Map<string, NamespacePhase>();
  readonly #store: Store;
  readonly #info: ResourceInfo;
  readonly #log: Logger;

  constructor(store: Store, info: ResourceInfo, log: Logger) {
    this.#store = store;
    this.#info = info;
    this.#log = log;
  }

  /** The namespace's phase, or undefined when the cache does not know it. */
  phase(name: string): NamespacePhase | undefined {
    return this.#phases.get(name);
  }

  /** Lists namespaces, then follows their changes until `signal` aborts. Resolves once listed. */
  async start(signal: AbortSignal): Promise<void> {
    const prefix = collectionPrefix(this.#info);
    const list = await this.#store.range(prefix);
    for (const kv of list.kvs) this.#set(kv.key, kv.value, kv.modRevision);
    void this.#follow(prefix, list.revision, signal);
  }

  async #follow(prefix: string, revision: number, signal: AbortSignal): Promise<void> {
    let from = revision;
    while (!signal.aborted) {
      try {
        for await (const ev of this.#store.watch(prefix, { startRevision: from, signal })) {
          from = ev.kv.modRevision;
          if (ev.type === 'delete') this.#phases.delete(nameOf(ev.kv.key));
          else this.#set(ev.kv.key, ev.kv.value, ev.kv.modRevision);
        }
        // A watch ends without an error only when it is aborted or the store closes.
        return;
      } catch (err) {
        if (signal.aborted) return;
        // History compacted under us: forget everything and relist; misses fall back to storage reads.
        this.#log.warn({ err: String(err) }, 'namespace cache watch ended; relisting');
        this.#phases.clear();
        const list = await this.#store.range(prefix);
        for (const kv of list.kvs) this.#set(kv.key, kv.value, kv.modRevision);
        from = list.revision;
      }
    }
  }

  #set(key: string, value: string, revision: number): void {
    const ns = decodeKv(this.#info, { key, value, createRevision: 0, modRevision: revision });
    this.#phases.set(nameOf(key), ns.metadata.deletionTimestamp === undefined ? 'Active' : 'Terminating');
  }
}

function nameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
