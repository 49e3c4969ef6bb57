/**
 * The ServiceAccount controller of a simulated cluster (kube's pkg/controller/serviceaccount
 * ServiceAccountsController): every active namespace has a `default` ServiceAccount, created
 * when the namespace appears and again if someone deletes it. Terminating namespaces are left
 * alone. Since Kubernetes 1.24 no token Secret goes with it, so none is created.
 */
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { KubeObject } from '../../../api/meta.js';
import { isAlreadyExists, isNotFound, isStatusError } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { Informer } from '../../../client/informer.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';

/** Options of `ServiceAccountController`. */
export interface ServiceAccountControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** The accounts every namespace gets (kube's default: `default`). */
  serviceAccounts?: readonly string[];
  /** Concurrent namespaces (default 1). */
  workers?: number;
}

const NAMESPACES = { apiVersion: 'v1', plural: 'namespaces' } as const;
const SERVICE_ACCOUNTS = { apiVersion: 'v1', plural: 'serviceaccounts' } as const;
const FIELD_MANAGER = 'kube-controller-manager';

interface NamespaceObject extends KubeObject {
  status?: { phase?: string };
}

/** Ensures each active namespace has its default ServiceAccounts. */
export class ServiceAccountController implements Runnable, Reconciler {
  readonly #o: ServiceAccountControllerOptions;
  readonly #accounts: readonly string[];
  readonly #namespaces: Informer<NamespaceObject>;
  readonly #serviceAccounts: Informer;
  readonly #controller: Controller;

  constructor(options: ServiceAccountControllerOptions) {
    this.#o = options;
    this.#accounts = options.serviceAccounts ?? ['default'];
    this.#namespaces = options.informers.informer<NamespaceObject>(NAMESPACES);
    this.#serviceAccounts = options.informers.informer(SERVICE_ACCOUNTS);
    const accounts = new Set(this.#accounts);
    this.#controller = new Controller({
      name: 'serviceaccount',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 1,
      sources: [
        { informer: this.#namespaces },
        {
          informer: this.#serviceAccounts,
          // Only a managed account's change matters (its deletion, really).
          keys: (sa) => (accounts.has(sa.metadata.name ?? '') ? [sa.metadata.namespace ?? ''] : []),
        },
      ],
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** Creates the missing default ServiceAccounts of namespace `name`. */
  async reconcile(name: string, signal: AbortSignal): Promise<Result> {
    const ns = this.#namespaces.get(name);
    if (!ns || ns.metadata.deletionTimestamp !== undefined || ns.status?.phase === 'Terminating') return done;
    for (const account of this.#accounts) {
      if (this.#serviceAccounts.get(`${name}/${account}`)) continue;
      const sa: KubeObject = {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: account, namespace: name },
      };
      try {
        await this.#o.client.create({ ...SERVICE_ACCOUNTS, namespace: name }, sa, {
          signal,
          fieldManager: FIELD_MANAGER,
        });
        this.#o.log.debug({ namespace: name, serviceAccount: account }, 'created service account');
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        // Gone or terminating since the cache saw it: nothing to do there any more.
        if (isNotFound(err) || (isStatusError(err) && err.code === 403)) return done;
        throw err;
      }
    }
    return done;
  }
}
