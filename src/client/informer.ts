/**
 * An informer: list-then-watch one resource into a local cache and tell handlers what changed
 * (client-go `tools/cache` reflector + store, without the shared-informer fan-out).
 *
 * Contract:
 * - Eventually consistent: the cache follows the server; the states it shows for an object are a
 *   subsequence of the states the server held. Keys are `namespace/name` (`name` when cluster-scoped).
 * - It lists (in pages), replaces the cache (reporting adds, updates and deletes against the old
 *   cache), then watches from the list's resourceVersion. A cleanly ended watch resumes from the
 *   last seen resourceVersion; a 410 Expired `ERROR` event (or any failure) relists, after a
 *   backoff through the `Clock` for failures.
 * - Handlers run synchronously, in event order, and must not throw (a throw is logged). Objects
 *   they receive and that `get`/`list`/`byIndex` return belong to the cache: never mutate them.
 * - Indexes (`addIndex`) are updated before handlers run, so a handler sees them current.
 * - Cached objects share their short string values with every other informer of the process
 *   (`StringInterner`): big caches hold one copy of each repeated name, reason and apiVersion.
 * - `start` may be called by several owners (shared informers): the first call runs the loop,
 *   later calls share its promise.
 */
import { yieldTurn } from '../base/turns.js';
import type { Clock } from '../base/clock.js';
import { errorMessage } from '../base/errors.js';
import { StringInterner } from '../base/intern.js';
import type { Logger } from '../base/logger.js';
import type { KubeObject } from '../api/meta.js';
import { StatusError } from '../api/status.js';
import type { Status } from '../api/status.js';
import type { ApiClient } from './api-client.js';
import { ExponentialRateLimiter } from './rate-limiter.js';
import type { ResourceRef } from './resource-path.js';

/** Change notifications. `onUpdate` receives the previous cached object first. */
export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

/** Options of `Informer`. */
export interface InformerOptions {
  client: ApiClient;
  resource: ResourceRef;
  clock: Clock;
  log: Logger;
  labelSelector?: string;
  fieldSelector?: string;
  /** LIST page size (default 500). */
  pageSize?: number;
  /** Backoff after failures, in ms (default 100 ms doubling to 30 s). */
  backoff?: { baseMs?: number; maxMs?: number };
  /**
   * Applied to every object before it is cached or handed to handlers (client-go's
   * SetTransform), e.g. `stripManagedFields` to keep large caches small.
   */
  transform?: <T extends KubeObject>(obj: T) => T;
}

/**
 * Drops `metadata.managedFields` (an update sent without them keeps the stored ones). The metadata
 * is rebuilt rather than the field deleted: V8 turns an object whose property is deleted (unless it
 * was the last one added, and a decoded object's resourceVersion comes after managedFields) into a
 * hash table: every cached object's metadata was 2-3 times slower to read and larger (a simulated
 * fleet's peak RSS fell by about 30 MiB), and the deletion itself cost more than the copy.
 */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata.managedFields !== undefined) {
    const { managedFields: _dropped, ...metadata } = obj.metadata;
    obj.metadata = metadata;
  }
  return obj;
}

/** One table for every informer of the process, so caches of different resources share strings too. */
const interner = new StringInterner();

/** `namespace/name`, or `name` for cluster-scoped objects: the informer's cache key. */
export function objectKey(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

/** Index values of an object (e.g. the node a pod runs on); an empty list leaves it out. */
export type IndexFunc<T> = (obj: T) => readonly string[];

interface Index<T> {
  readonly fn: IndexFunc<T>;
  readonly entries: Map<string, Map<string, T>>;
}

/** Watch events handled between yields to the event loop. */
const EVENTS_PER_TURN = 64;

type WatchOutcome = { kind: 'ended'; resourceVersion: string } | { kind: 'expired' };

/** Lists and watches one resource into a cache. See the module contract. */
export class Informer<T extends KubeObject = KubeObject> {
  readonly #o: InformerOptions;
  readonly #log: Logger;
  #cache = new Map<string, T>();
  /** `list()`'s answer, until the cache changes. */
  #listed: readonly T[] | undefined;
  readonly #handlers: InformerHandlers<T>[] = [];
  #synced = false;
  #syncWaiters: (() => void)[] = [];
  readonly #indexes = new Map<string, Index<T>>();
  #running: Promise<void> | undefined;

  constructor(options: InformerOptions) {
    this.#o = options;
    this.#log = options.log.child({
      informer: `${options.resource.plural}.${options.resource.apiVersion}`,
    });
  }

  /** The resource this informer watches. */
  get resource(): ResourceRef {
    return this.#o.resource;
  }

  /** Registers handlers; when the cache is already filled, `onAdd` is replayed for every object. */
  addHandlers(handlers: InformerHandlers<T>): void {
    this.#handlers.push(handlers);
    if (this.#synced) for (const obj of this.#cache.values()) this.#call(handlers, 'onAdd', obj);
  }

  /** True once the first list has been loaded into the cache. */
  get hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves true once synced, false if `signal` aborts first. */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    if (this.#synced) return true;
    if (signal.aborted) return false;
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#syncWaiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** The cached object under `key` (`namespace/name` or `name`). */
  get(key: string): T | undefined {
    return this.#cache.get(key);
  }

  /**
   * Every cached object. The same array until the cache changes, so callers that derive something
   * per array (the scheduling engine's clusters sorted by name) keep it across calls.
   */
  list(): readonly T[] {
    return (this.#listed ??= [...this.#cache.values()]);
  }

  /** Adds (or replaces) index `name`, built at once from the cache and kept current after. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    const index: Index<T> = { fn, entries: new Map() };
    this.#indexes.set(name, index);
    for (const [key, obj] of this.#cache) indexPut(index, key, obj);
  }

  /** Cached objects whose index `name` holds `value` (throws for an unknown index). */
  byIndex(name: string, value: string): T[] {
    const index = this.#indexes.get(name);
    if (!index) throw new Error(`informer has no index ${name}`);
    const hits = index.entries.get(value);
    return hits ? [...hits.values()] : [];
  }

  /** Runs until `signal` aborts; never rejects (failures are logged and retried). */
  start(signal: AbortSignal): Promise<void> {
    this.#running ??= this.#run(signal);
    return this.#running;
  }

  async #run(signal: AbortSignal): Promise<void> {
    const backoff = new ExponentialRateLimiter<'informer'>({
      baseMs: this.#o.backoff?.baseMs ?? 100,
      maxMs: this.#o.backoff?.maxMs ?? 30_000,
    });
    while (!signal.aborted) {
      try {
        let rv = await this.#relist(signal);
        backoff.forget('informer');
        for (;;) {
          const outcome = await this.#watch(rv, signal);
          if (signal.aborted) return;
          if (outcome.kind === 'expired') break;
          rv = outcome.resourceVersion;
        }
      } catch (err) {
        if (signal.aborted) return;
        const delay = backoff.when('informer');
        this.#log.warn({ err: errorMessage(err), retryInMs: delay }, 'list/watch failed');
        try {
          await this.#o.clock.sleep(delay, signal);
        } catch {
          return;
        }
      }
    }
  }

  async #relist(signal: AbortSignal): Promise<string> {
    const items = new Map<string, T>();
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const page = await this.#o.client.list<T>(this.#o.resource, {
        signal,
        limit: this.#o.pageSize ?? 500,
        ...(token !== undefined ? { continue: token } : {}),
        ...(this.#o.labelSelector !== undefined ? { labelSelector: this.#o.labelSelector } : {}),
        ...(this.#o.fieldSelector !== undefined ? { fieldSelector: this.#o.fieldSelector } : {}),
      });
      for (const item of page.items) items.set(objectKey(item), this.#transform(item));
      resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
      token = page.metadata.continue || undefined;
    } while (token !== undefined);
    const old = this.#cache;
    this.#cache = items;
    this.#listed = undefined;
    for (const index of this.#indexes.values()) {
      index.entries.clear();
      for (const [key, obj] of items) indexPut(index, key, obj);
    }
    for (const [key, obj] of items) {
      const before = old.get(key);
      if (!before) this.#emit('onAdd', obj);
      else if (before.metadata.resourceVersion !== obj.metadata.resourceVersion)
        this.#emitUpdate(before, obj);
    }
    for (const [key, obj] of old) if (!items.has(key)) this.#emit('onDelete', obj);
    if (!this.#synced) {
      this.#synced = true;
      const waiters = this.#syncWaiters;
      this.#syncWaiters = [];
      for (const wake of waiters) wake();
    }
    return resourceVersion;
  }

  async #watch(resourceVersion: string, signal: AbortSignal): Promise<WatchOutcome> {
    let rv = resourceVersion;
    const events = await this.#o.client.watch<T>(this.#o.resource, {
      signal,
      resourceVersion: rv,
      allowWatchBookmarks: true,
      // Spread reconnects as client-go does (5–10 minutes).
      timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      ...(this.#o.labelSelector !== undefined ? { labelSelector: this.#o.labelSelector } : {}),
      ...(this.#o.fieldSelector !== undefined ? { fieldSelector: this.#o.fieldSelector } : {}),
    });
    let handled = 0;
    for await (const ev of events) {
      // An in-process watch delivers bursts as one promise chain; let I/O in between.
      if (++handled % EVENTS_PER_TURN === 0) await yieldTurn();
      if (ev.type === 'ERROR') {
        const status = ev.object as Status;
        if (status.code === 410) return { kind: 'expired' };
        throw new StatusError({
          code: status.code,
          message: status.message ?? 'watch error',
          ...(status.reason ? { reason: status.reason } : {}),
        });
      }
      const obj = ev.type === 'BOOKMARK' ? (ev.object as T) : this.#transform(ev.object as T);
      rv = obj.metadata.resourceVersion ?? rv;
      if (ev.type === 'BOOKMARK') continue;
      const key = objectKey(obj);
      const before = this.#cache.get(key);
      if (ev.type === 'DELETED') {
        this.#cache.delete(key);
        this.#listed = undefined;
        if (before) this.#unindex(key, before);
        this.#emit('onDelete', before ?? obj);
      } else {
        this.#cache.set(key, obj);
        this.#listed = undefined;
        if (before) this.#unindex(key, before);
        for (const index of this.#indexes.values()) indexPut(index, key, obj);
        if (before) this.#emitUpdate(before, obj);
        else this.#emit('onAdd', obj);
      }
    }
    return { kind: 'ended', resourceVersion: rv };
  }

  #transform(obj: T): T {
    return interner.internDeep(this.#o.transform ? this.#o.transform(obj) : obj);
  }

  #unindex(key: string, obj: T): void {
    for (const index of this.#indexes.values()) {
      for (const value of index.fn(obj)) {
        const hits = index.entries.get(value);
        hits?.delete(key);
        if (hits?.size === 0) index.entries.delete(value);
      }
    }
  }

  #emit(kind: 'onAdd' | 'onDelete', obj: T): void {
    for (const h of this.#handlers) this.#call(h, kind, obj);
  }

  #emitUpdate(before: T, after: T): void {
    for (const h of this.#handlers) {
      try {
        h.onUpdate?.(before, after);
      } catch (err) {
        this.#log.error({ err: errorMessage(err) }, 'informer handler threw');
      }
    }
  }

  #call(h: InformerHandlers<T>, kind: 'onAdd' | 'onDelete', obj: T): void {
    try {
      h[kind]?.(obj);
    } catch (err) {
      this.#log.error({ err: errorMessage(err) }, 'informer handler threw');
    }
  }
}

function indexPut<T>(index: Index<T>, key: string, obj: T): void {
  for (const value of index.fn(obj)) {
    let hits = index.entries.get(value);
    if (!hits) index.entries.set(value, (hits = new Map<string, T>()));
    hits.set(key, obj);
  }
}
