/**
 * The legacy Endpoints controller of a simulated cluster (kube's pkg/controller/endpoint): for
 * every Service with a selector, a v1 Endpoints object of the same name whose subsets list the
 * selected pods' addresses (ready in `addresses`, others in `notReadyAddresses`) per port, with
 * the Service's labels (plus `service.kubernetes.io/headless` for headless Services) and the
 * last-change trigger time. Older `kubectl describe service` reads it. Written only on change.
 *
 * Endpoints whose Service is gone are deleted, both when the Service goes and, once at start,
 * for leftovers (as kube's checkLeftoverEndpoints), except leader-election records.
 */
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import { jsonEqual } from '../../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../../api/meta.js';
import { isNotFound, isStatusError } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import { objectKey } from '../../../client/informer.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';
import { OwnWrites } from '../endpointslice/own-writes.js';
import {
  addServicePodIndexes,
  podSelector,
  podsOfService,
  lastChangeTriggerTime,
  servicesOfPod,
  servicesToUpdate,
} from '../endpointslice/service-pods.js';
import type { PodObject, ServiceObject } from '../endpointslice/service-pods.js';
import { buildSubsets, truncateSubsets } from './subsets.js';
import type { EndpointSubset } from './subsets.js';

/** Options of `EndpointsController`. */
export interface EndpointsControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Warning events when an Endpoints object cannot be written. */
  recorder?: EventRecorder;
  /** Concurrent Services (default 4). */
  workers?: number;
  /**
   * Pod changes within this window (clock ms) are synced together, one write per Service
   * (kube's --endpoint(slice)-updates-batch-period; default 0 = at once, as kube).
   */
  podBatchMs?: number;
}

interface EndpointsObject extends KubeObject {
  subsets?: EndpointSubset[];
}

const ENDPOINTS = { apiVersion: 'v1', plural: 'endpoints' } as const;
const HEADLESS = 'service.kubernetes.io/headless';
const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
const LEADER = 'control-plane.alpha.kubernetes.io/leader';
const FIELD_MANAGER = 'kube-controller-manager';

function withoutHeadless(labels: Record<string, string> | undefined): Record<string, string> {
  const { [HEADLESS]: _h, ...rest } = labels ?? {};
  return rest;
}

/** Keeps the v1 Endpoints of selector Services in step with their pods. */
export class EndpointsController implements Runnable, Reconciler {
  readonly #o: EndpointsControllerOptions;
  readonly #services: Informer<ServiceObject>;
  readonly #pods: Informer<PodObject>;
  readonly #endpoints: Informer<EndpointsObject>;
  readonly #writes = new OwnWrites<EndpointsObject>();
  readonly #controller: Controller;

  constructor(options: EndpointsControllerOptions) {
    this.#o = options;
    const { informers } = options;
    this.#services = informers.informer<ServiceObject>({ apiVersion: 'v1', plural: 'services' });
    this.#pods = informers.informer<PodObject>({ apiVersion: 'v1', plural: 'pods' });
    this.#endpoints = informers.informer<EndpointsObject>(ENDPOINTS);
    addServicePodIndexes(this.#pods, this.#services);
    const none = (): string[] => [];
    this.#controller = new Controller({
      name: 'endpoint',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 4,
      sources: [
        { informer: this.#services },
        { informer: this.#pods, keys: none },
        { informer: this.#endpoints, keys: none },
      ],
    });
    const batch = options.podBatchMs ?? 0;
    const enqueue = (keys: readonly string[]): void => {
      for (const k of keys) this.#controller.enqueueAfter(k, batch);
    };
    this.#pods.addHandlers({
      onAdd: (pod) => enqueue(servicesToUpdate(this.#services, undefined, pod)),
      onUpdate: (old, pod) => enqueue(servicesToUpdate(this.#services, old, pod)),
      onDelete: (pod) => enqueue(servicesOfPod(this.#services, pod)),
    });
    // Adds cover the leftover check of the first list; deletions let a removed object come back.
    const onEndpoints = (ep: EndpointsObject, deleted: boolean): void => {
      const key = objectKey(ep);
      if (deleted) this.#writes.observeDeleted(key, ep);
      if (ep.metadata.annotations?.[LEADER] === undefined && !this.#writes.isEcho(key, ep, deleted))
        this.#controller.enqueue(key);
    };
    this.#endpoints.addHandlers({
      onAdd: (ep) => onEndpoints(ep, false),
      onDelete: (ep) => onEndpoints(ep, true),
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** Converges the Endpoints of the Service `namespace/name`. */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const slash = key.indexOf('/');
    const ref = { ...ENDPOINTS, namespace: key.slice(0, slash) };
    const name = key.slice(slash + 1);
    const svc = this.#services.get(key);
    const cached = this.#endpoints.get(key);
    const [current] = this.#writes.view(key, cached ? [cached] : []);
    if (!svc) {
      if (current === undefined || current.metadata.annotations?.[LEADER] !== undefined) return done;
      try {
        await this.#o.client.delete(ref, name, { signal });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.#writes.deleted(key, name);
      return done;
    }
    if (!podSelector(svc)) return done;
    const pods = podsOfService(this.#pods, svc);
    const subsets = buildSubsets(svc, pods);
    const labels = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec?.clusterIP === 'None' || (svc.spec?.clusterIP ?? '') === '') labels[HEADLESS] = '';
    const truncated = truncateSubsets(subsets);
    if (
      current !== undefined &&
      jsonEqual((current.subsets ?? []) as unknown as JsonValue, subsets as unknown as JsonValue) &&
      jsonEqual(withoutHeadless(current.metadata.labels), withoutHeadless(labels)) &&
      (current.metadata.annotations?.[OVER_CAPACITY] !== undefined) === truncated
    )
      return done;
    const annotations = { ...(current?.metadata.annotations ?? {}) };
    const trigger = lastChangeTriggerTime(svc, pods);
    if (trigger !== undefined) annotations[TRIGGER_TIME] = trigger;
    else delete annotations[TRIGGER_TIME];
    if (truncated) annotations[OVER_CAPACITY] = 'truncated';
    else delete annotations[OVER_CAPACITY];
    const next: EndpointsObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current?.metadata ?? { name, namespace: ref.namespace }), labels, annotations },
    };
    if (subsets.length > 0) next.subsets = subsets;
    try {
      const opts = { signal, fieldManager: FIELD_MANAGER };
      const written = current
        ? await this.#o.client.update(ref, next, opts)
        : await this.#o.client.create(ref, next, opts);
      this.#writes.written(key, written);
    } catch (err) {
      if (!current && isStatusError(err) && err.code === 403) return done; // namespace terminating
      if (isNotFound(err)) this.#writes.deleted(key, name);
      if (!signal.aborted) this.#recordFailure(next, { key, created: !current, err });
      throw err;
    }
    return done;
  }

  #recordFailure(endpoints: KubeObject, failure: { key: string; created: boolean; err: unknown }): void {
    const { key, created, err } = failure;
    if (isStatusError(err) && err.reason === 'Conflict') return;
    const text = err instanceof Error ? err.message : String(err);
    const [reason, message] = created
      ? ['FailedToCreateEndpoint', `Failed to create endpoint for service ${key}: ${text}`]
      : ['FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${text}`];
    this.#o.recorder?.record(endpoints, { type: 'Warning', reason, message });
  }
}
