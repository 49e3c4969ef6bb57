/**
 * The `kubernetes` Service in `default` that every cluster has: kube-apiserver's bootstrap
 * controller creates it (the first address of the service range, port 443 → the secure port) and
 * its endpoint reconciler keeps an EndpointSlice and an Endpoints named `kubernetes` pointing at
 * the API server. `KubernetesServiceBootstrap` does both: it creates whatever is missing at
 * start, corrects endpoints that point elsewhere, and re-checks every `intervalMs` (so a deleted
 * one comes back, as in kube). Failures are logged and retried sooner, backing off up to
 * `intervalMs` (the Service cannot be created before the address allocator is ready).
 */
import type { Clock } from '../../base/clock.js';
import { errorMessage } from '../../base/errors.js';
import type { Logger } from '../../base/logger.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';
import { isAlreadyExists, isNotFound } from '../../api/status.js';
import type { ApiClient } from '../../client/api-client.js';
import type { ResourceRef } from '../../client/resource-path.js';
import type { Runnable } from '../../runtime/runnable.js';
import { cloneJson } from '../../base/json-clone.js';

/** Options of `KubernetesServiceBootstrap`. */
export interface KubernetesServiceOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  /** The Service's cluster IP: the first address of the service range (default `10.96.0.1`). */
  clusterIP?: string;
  /** The API server's address, the one endpoint. */
  endpointIP: string;
  /** The API server's secure port (default 6443). */
  securePort?: number;
  /** Between checks, in clock ms (default 10 s, kube's endpoint reconcile interval). */
  intervalMs?: number;
  /** Resolves (true) once the Service can be created, e.g. the address allocator has synced. */
  waitUntilReady?: (signal: AbortSignal) => Promise<boolean>;
}

const SERVICES: ResourceRef = { apiVersion: 'v1', plural: 'services', namespace: 'default' };
const SLICES: ResourceRef = {
  apiVersion: 'discovery.k8s.io/v1',
  plural: 'endpointslices',
  namespace: 'default',
};
const ENDPOINTS: ResourceRef = { apiVersion: 'v1', plural: 'endpoints', namespace: 'default' };
const NAME = 'kubernetes';
const FIELD_MANAGER = 'kube-apiserver';

/** One object to keep in place; `content` picks what must match for it to count as correct. */
interface Step {
  ref: ResourceRef;
  desired: KubeObject;
  content: (o: KubeObject) => JsonValue;
}

/** The three objects as kube-apiserver writes them. */
export function kubernetesServiceObjects(options: {
  clusterIP: string;
  endpointIP: string;
  securePort: number;
}): { service: KubeObject; slice: KubeObject; endpoints: KubeObject } {
  const { clusterIP, endpointIP, securePort } = options;
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: NAME,
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs: [clusterIP],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }],
      sessionAffinity: 'None',
    },
  };
  const slice: KubeObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: NAME, namespace: 'default', labels: { 'kubernetes.io/service-name': NAME } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [endpointIP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: securePort, protocol: 'TCP' }],
  };
  const endpoints: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: NAME,
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [
      { addresses: [{ ip: endpointIP }], ports: [{ name: 'https', port: securePort, protocol: 'TCP' }] },
    ],
  };
  return { service, slice, endpoints };
}

/** Keeps `default/kubernetes` (Service, EndpointSlice, Endpoints) in place. */
export class KubernetesServiceBootstrap implements Runnable {
  readonly #o: KubernetesServiceOptions;
  readonly #objects: { service: KubeObject; slice: KubeObject; endpoints: KubeObject };

  constructor(options: KubernetesServiceOptions) {
    this.#o = options;
    this.#objects = kubernetesServiceObjects({
      clusterIP: options.clusterIP ?? '10.96.0.1',
      endpointIP: options.endpointIP,
      securePort: options.securePort ?? 6443,
    });
  }

  /** Ensures the objects now and every `intervalMs` until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.#o.waitUntilReady && !(await this.#o.waitUntilReady(signal))) return;
    const interval = this.#o.intervalMs ?? 10_000;
    // A failed pass (say, before the address allocator is ready) retries sooner, backing off.
    let retry = 100;
    for (;;) {
      const ok = await this.ensure(signal);
      retry = ok ? 100 : Math.min(retry * 2, interval);
      try {
        await this.#o.clock.sleep(ok ? interval : retry, signal);
      } catch {
        return;
      }
    }
  }

  /** One pass: creates what is missing and corrects endpoints; answers true when all is in place. */
  async ensure(signal: AbortSignal): Promise<boolean> {
    const { service, slice, endpoints } = this.#objects;
    const steps: Step[] = [
      { ref: SERVICES, desired: service, content: () => null },
      {
        ref: SLICES,
        desired: slice,
        content: (o) => ({ endpoints: o['endpoints'], ports: o['ports'] }) as JsonValue,
      },
      { ref: ENDPOINTS, desired: endpoints, content: (o) => (o['subsets'] ?? null) as JsonValue },
    ];
    let ok = true;
    for (const step of steps) {
      try {
        await this.#ensureOne(step, signal);
      } catch (err) {
        if (signal.aborted) return false;
        ok = false;
        this.#o.log.warn(
          { kind: step.desired.kind, err: errorMessage(err) },
          'kubernetes service bootstrap failed',
        );
      }
    }
    return ok;
  }

  async #ensureOne(step: Step, signal: AbortSignal): Promise<void> {
    const { ref, desired, content } = step;
    const { client } = this.#o;
    let current: KubeObject;
    try {
      current = await client.get(ref, NAME, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await client.create(ref, cloneJson(desired), { signal, fieldManager: FIELD_MANAGER });
        this.#o.log.info({ kind: desired.kind }, 'created the kubernetes service object');
      } catch (createErr) {
        if (!isAlreadyExists(createErr)) throw createErr;
      }
      return;
    }
    if (jsonEqual(content(current), content(desired))) return;
    const next = { ...cloneJson(desired), metadata: { ...current.metadata } };
    await client.update(ref, next, { signal, fieldManager: FIELD_MANAGER });
  }
}
