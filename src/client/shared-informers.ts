/**
 * One informer per (resource, selectors), shared by every controller of a process or simulated
 * cluster (client-go's SharedInformerFactory): each resource is listed and watched once and cached
 * once, however many controllers read it.
 *
 * Invariants: `informer()` returns the same instance for the same resource and selectors; once
 * `start` has run, informers created later are started at once with the same signal.
 */
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { KubeObject } from '../api/meta.js';
import type { ApiClient } from './api-client.js';
import { Informer } from './informer.js';
import type { InformerOptions } from './informer.js';
import type { ResourceRef } from './resource-path.js';

/** Options of `SharedInformers`. */
export interface SharedInformersOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  /** Applied to every cached object of every informer (see `InformerOptions.transform`). */
  transform?: NonNullable<InformerOptions['transform']>;
}

/** Selectors that make a distinct informer. */
export interface InformerFilter {
  labelSelector?: string;
  fieldSelector?: string;
}

/** A registry of shared informers. */
export class SharedInformers {
  readonly #o: SharedInformersOptions;
  readonly #informers = new Map<string, Informer>();
  #signal: AbortSignal | undefined;
  readonly #running: Promise<void>[] = [];

  constructor(options: SharedInformersOptions) {
    this.#o = options;
  }

  /** The shared informer of `resource` with `filter`. */
  informer<T extends KubeObject = KubeObject>(
    resource: ResourceRef,
    filter: InformerFilter = {},
  ): Informer<T> {
    const key = keyOf(resource, filter);
    let informer = this.#informers.get(key);
    if (!informer) {
      informer = new Informer({ ...this.#o, resource, ...filter });
      this.#informers.set(key, informer);
      if (this.#signal) this.#running.push(informer.start(this.#signal));
    }
    return informer as unknown as Informer<T>;
  }

  /**
   * The shared informer of all of `resource` if some controller made one already, else undefined:
   * for a reader that would rather not add a watch (and a cache) of its own when one exists.
   */
  existing(resource: ResourceRef): Informer | undefined {
    return this.#informers.get(keyOf(resource, {}));
  }

  /** Starts every informer (now and later ones); resolves when `signal` aborts and all have stopped. */
  async start(signal: AbortSignal): Promise<void> {
    this.#signal = signal;
    for (const informer of this.#informers.values()) this.#running.push(informer.start(signal));
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.all(this.#running);
  }

  /** Resolves true once every informer created so far has synced; false if `signal` aborts first. */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    for (const informer of this.#informers.values()) if (!(await informer.waitForSync(signal))) return false;
    return true;
  }
}

function keyOf(resource: ResourceRef, filter: InformerFilter): string {
  return [
    resource.apiVersion,
    resource.plural,
    resource.namespace ?? '',
    filter.labelSelector ?? '',
    filter.fieldSelector ?? '',
  ].join('|');
}
