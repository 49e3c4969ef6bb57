/**
 * One informer per deletable, listable, watchable resource (at its preferred version), kept in
 * step with discovery: re-discovered every `resyncMs` so CRDs are picked up (and dropped).
 */
import type { Clock } from '../../base/clock.js';
import { errorMessage } from '../../base/errors.js';
import type { Logger } from '../../base/logger.js';
import type { KubeObject } from '../../api/meta.js';
import type { ApiClient } from '../../client/api-client.js';
import { discoverResources, preferredResources, supports } from '../../client/discovery.js';
import type { ApiResource } from '../../client/discovery.js';
import { Informer } from '../../client/informer.js';
import type { InformerHandlers } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';

/** Receives every object change of every monitored resource. */
export interface MonitorHandlers {
  onUpsert(resource: ApiResource, obj: KubeObject): void;
  onDelete(resource: ApiResource, obj: KubeObject): void;
}

/** Options of `ResourceMonitors`. */
export interface MonitorOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  handlers: MonitorHandlers;
  /** Re-discovery period in ms. */
  resyncMs: number;
  /** `plural.group` (or `plural` for core) of resources never watched. */
  ignored: ReadonlySet<string>;
  /**
   * The process's shared informers: a resource some controller already watches is read from its
   * shared informer instead of a second watch and cache of its own.
   */
  shared?: SharedInformers;
}

interface Monitor {
  resource: ApiResource;
  informer: Informer;
  stop: AbortController;
  running: Promise<void>;
}

/** Keeps informers for every collectable resource. */
export class ResourceMonitors {
  readonly #o: MonitorOptions;
  readonly #monitors = new Map<string, Monitor>();
  #resources: ApiResource[] = [];
  #discovered = false;
  #discoveryWaiters: (() => void)[] = [];
  readonly #retired: Promise<void>[] = [];

  constructor(options: MonitorOptions) {
    this.#o = options;
  }

  /** Every served resource at every version, from the last discovery (for resolving owner kinds). */
  get resources(): readonly ApiResource[] {
    return this.#resources;
  }

  /** True once discovery ran and every monitor's informer has listed. */
  get synced(): boolean {
    return this.#discovered && [...this.#monitors.values()].every((m) => m.informer.hasSynced);
  }

  /** Rediscovers the resources now (also done periodically by `start`). */
  async refresh(signal: AbortSignal): Promise<void> {
    const found = await discoverResources(this.#o.client, signal);
    for (const f of found.failed) this.#o.log.warn(f, 'discovery failed for group version');
    this.#resources = found.resources;
    const wanted = new Map<string, ApiResource>();
    for (const r of preferredResources(found.resources)) {
      const id = r.group === '' ? r.plural : `${r.plural}.${r.group}`;
      if (supports(r, 'list', 'watch', 'delete') && !this.#o.ignored.has(id)) wanted.set(id, r);
    }
    // A group/version that failed to answer keeps its monitors rather than dropping them.
    const failed = new Set(found.failed.map((f) => f.apiVersion));
    for (const [id, m] of this.#monitors) {
      if (!wanted.has(id) && !failed.has(m.resource.apiVersion)) {
        m.stop.abort();
        this.#retired.push(m.running);
        this.#monitors.delete(id);
        this.#o.log.info({ resource: id }, 'stopped monitoring resource');
      }
    }
    for (const [id, r] of wanted) if (!this.#monitors.has(id)) this.#startMonitor(id, r, signal);
    this.#discovered = true;
    const waiters = this.#discoveryWaiters;
    this.#discoveryWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves true when `synced`, false if `signal` aborts first. */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    if (!this.#discovered) {
      await new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        this.#discoveryWaiters.push(resolve);
      });
    }
    if (signal.aborted) return false;
    for (const m of [...this.#monitors.values()]) if (!(await m.informer.waitForSync(signal))) return false;
    return !signal.aborted;
  }

  /** Discovers periodically until `signal` aborts, then stops every informer. */
  async start(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let wait = this.#o.resyncMs;
      try {
        await this.refresh(signal);
      } catch (err) {
        if (signal.aborted) break;
        wait = Math.min(wait, 1000);
        this.#o.log.warn({ err: errorMessage(err), retryInMs: wait }, 'discovery failed');
      }
      try {
        await this.#o.clock.sleep(wait, signal);
      } catch {
        break;
      }
    }
    for (const m of this.#monitors.values()) m.stop.abort();
    await Promise.all([...this.#monitors.values()].map((m) => m.running).concat(this.#retired));
  }

  #startMonitor(id: string, resource: ApiResource, signal: AbortSignal): void {
    const shared = this.#o.shared?.existing({ apiVersion: resource.apiVersion, plural: resource.plural });
    if (shared) {
      const stop = new AbortController();
      shared.addHandlers(this.#handlersFor(resource, stop.signal));
      this.#monitors.set(id, { resource, informer: shared, stop, running: Promise.resolve() });
      this.#o.log.debug({ resource: id }, 'monitoring resource through its shared informer');
      return;
    }
    const informer = new Informer({
      client: this.#o.client,
      resource: { apiVersion: resource.apiVersion, plural: resource.plural },
      clock: this.#o.clock,
      log: this.#o.log,
      transform: metadataOnly,
    });
    const stop = new AbortController();
    informer.addHandlers(this.#handlersFor(resource, stop.signal));
    const both = AbortSignal.any([signal, stop.signal]);
    const running = informer.start(both);
    this.#monitors.set(id, { resource, informer, stop, running });
    this.#o.log.debug({ resource: id }, 'monitoring resource');
  }

  /** The collector's handlers for `resource`, silent once `stopped` (a shared informer keeps them). */
  #handlersFor(resource: ApiResource, stopped: AbortSignal): InformerHandlers<KubeObject> {
    const { handlers } = this.#o;
    return {
      onAdd: (obj) => {
        if (!stopped.aborted) handlers.onUpsert(resource, obj);
      },
      onUpdate: (_old, obj) => {
        if (!stopped.aborted) handlers.onUpsert(resource, obj);
      },
      onDelete: (obj) => {
        if (!stopped.aborted) handlers.onDelete(resource, obj);
      },
    };
  }
}

/**
 * The collector reads only identity, owners, finalizers and deletion state: like kube's metadata
 * informers, its caches keep the metadata (without managedFields) and drop spec and status.
 */
function metadataOnly<T extends KubeObject>(obj: T): T {
  const { managedFields: _managed, ...metadata } = obj.metadata;
  const slim: KubeObject = { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
  return slim as T;
}
