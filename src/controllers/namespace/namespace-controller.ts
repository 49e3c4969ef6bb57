/**
 * The namespace controller (kube-api.md §13.4): for a Namespace with `deletionTimestamp` and the
 * `kubernetes` finalizer in `spec.finalizers`, delete every namespaced object in it
 * (deletecollection per discovered resource, per-object deletes where deletecollection is not
 * served), report progress in status conditions, requeue until every list is empty, then
 * `PUT /api/v1/namespaces/<name>/finalize` without the finalizer so the server removes it.
 */
import type { Clock } from '../../base/clock.js';
import { rfc3339Seconds } from '../../base/clock.js';
import { errorMessage } from '../../base/errors.js';
import type { Logger } from '../../base/logger.js';
import type { KubeObject } from '../../api/meta.js';
import { isConflict, isNotFound } from '../../api/status.js';
import type { ApiClient } from '../../client/api-client.js';
import { discoverResources, preferredResources, supports } from '../../client/discovery.js';
import type { ApiResource } from '../../client/discovery.js';
import { Informer } from '../../client/informer.js';
import type { ResourceRef } from '../../client/resource-path.js';
import { Controller } from '../../runtime/controller.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';
import { namespaceConditions } from './conditions.js';
import type { DeletionReport, NamespaceCondition } from './conditions.js';
import { cloneJson } from '../../base/json-clone.js';

/** The finalizer this controller owns in `spec.finalizers`. */
export const KUBERNETES_FINALIZER = 'kubernetes';

const NAMESPACES: ResourceRef = { apiVersion: 'v1', plural: 'namespaces' };

/** Options of `NamespaceController`. */
export interface NamespaceControllerOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  /** Concurrent namespaces (default 2). */
  workers?: number;
  /** Delay before re-checking a namespace whose content is still going away (default 1000 ms). */
  recheckMs?: number;
}

interface NamespaceObject extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

/** Empties and finalizes terminating namespaces. */
export class NamespaceController implements Runnable, Reconciler {
  readonly #o: NamespaceControllerOptions;
  readonly #log: Logger;
  readonly #informer: Informer;
  readonly #controller: Controller;

  constructor(options: NamespaceControllerOptions) {
    this.#o = options;
    this.#log = options.log.child({ controller: 'namespace' });
    this.#informer = new Informer({
      client: options.client,
      resource: NAMESPACES,
      clock: options.clock,
      log: this.#log,
    });
    this.#controller = new Controller({
      name: 'namespace',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 2,
      sources: [{ informer: this.#informer }],
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** One pass over the namespace `name`. */
  async reconcile(name: string, signal: AbortSignal): Promise<Result> {
    const cached = this.#informer.get(name) as NamespaceObject | undefined;
    if (!cached || !terminating(cached)) return done;
    let ns: NamespaceObject;
    try {
      ns = await this.#o.client.get<NamespaceObject>(NAMESPACES, name, { signal });
    } catch (err) {
      if (isNotFound(err)) return done;
      throw err;
    }
    if (!terminating(ns)) return done;
    const report = await this.#deleteContent(name, signal);
    await this.#writeConditions(ns, report, signal);
    if (report.discoveryErrors.length > 0 || report.deleteErrors.length > 0) {
      throw new Error(
        `namespace ${name} content deletion failed: ${[...report.discoveryErrors, ...report.deleteErrors].join('; ')}`,
      );
    }
    if (report.remaining.size > 0) return requeueAfter(this.#o.recheckMs ?? 1000);
    await this.#finalize(name, signal);
    this.#log.info({ namespace: name }, 'namespace finalized');
    return done;
  }

  async #deleteContent(namespace: string, signal: AbortSignal): Promise<DeletionReport> {
    const report: DeletionReport = {
      discoveryErrors: [],
      deleteErrors: [],
      remaining: new Map(),
      finalizers: new Map(),
    };
    const found = await discoverResources(this.#o.client, signal);
    for (const f of found.failed) report.discoveryErrors.push(`${f.apiVersion}: ${f.error}`);
    const resources = preferredResources(found.resources).filter(
      (r) =>
        r.namespaced && supports(r, 'list') && (supports(r, 'deletecollection') || supports(r, 'delete')),
    );
    await Promise.all(
      resources.map(async (r) => {
        const ref: ResourceRef = { apiVersion: r.apiVersion, plural: r.plural, namespace };
        try {
          await this.#deleteAll(r, ref, signal);
          const left = await this.#o.client.list(ref, { signal });
          if (left.items.length > 0) report.remaining.set(resourceId(r), left.items.length);
          for (const item of left.items)
            for (const f of item.metadata.finalizers ?? [])
              report.finalizers.set(f, (report.finalizers.get(f) ?? 0) + 1);
        } catch (err) {
          if (signal.aborted) throw err;
          report.deleteErrors.push(`${resourceId(r)}: ${errorMessage(err)}`);
        }
      }),
    );
    return report;
  }

  async #deleteAll(r: ApiResource, ref: ResourceRef, signal: AbortSignal): Promise<void> {
    if (supports(r, 'deletecollection')) {
      await this.#o.client.deleteCollection(ref, { propagationPolicy: 'Background', signal });
      return;
    }
    const list = await this.#o.client.list(ref, { signal });
    for (const item of list.items) {
      if (item.metadata.deletionTimestamp !== undefined) continue;
      try {
        await this.#o.client.delete(ref, item.metadata.name ?? '', {
          propagationPolicy: 'Background',
          signal,
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  async #writeConditions(ns: NamespaceObject, report: DeletionReport, signal: AbortSignal): Promise<void> {
    const current = ns.status?.conditions ?? [];
    const conditions = namespaceConditions(report, { current, now: rfc3339Seconds(this.#o.clock.now()) });
    if (JSON.stringify(conditions) === JSON.stringify(current)) return;
    const next = cloneJson(ns);
    next.status = { ...(next.status ?? {}), conditions };
    try {
      await this.#o.client.updateStatus(NAMESPACES, next, { signal });
    } catch (err) {
      // A stale read or a namespace that just went away: the next pass writes fresh conditions.
      if (!isConflict(err) && !isNotFound(err)) throw err;
    }
  }

  async #finalize(name: string, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let ns: NamespaceObject;
      try {
        ns = await this.#o.client.get<NamespaceObject>(NAMESPACES, name, { signal });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      const finalizers = ns.spec?.finalizers ?? [];
      if (!finalizers.includes(KUBERNETES_FINALIZER)) return;
      const next = cloneJson(ns);
      next.spec = { ...(next.spec ?? {}), finalizers: finalizers.filter((f) => f !== KUBERNETES_FINALIZER) };
      try {
        await this.#o.client.update(NAMESPACES, next, { subresource: 'finalize', signal });
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err) || attempt >= 5) throw err;
      }
    }
  }
}

function terminating(ns: NamespaceObject): boolean {
  return (
    ns.metadata.deletionTimestamp !== undefined && (ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)
  );
}

function resourceId(r: ApiResource): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}
