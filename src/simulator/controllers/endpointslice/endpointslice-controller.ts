/**
 * The EndpointSlice controller of a simulated cluster (kube's pkg/controller/endpointslice): for
 * every Service with a selector, EndpointSlices named `<service>-<random>` hold one endpoint per
 * selected pod that has an IP, with kube's labels, owner reference, conditions, topology and
 * ports, at most `maxEndpointsPerSlice` per slice. Slices are written only when they change.
 *
 * Events: a Service change resyncs it; a pod change resyncs the Services selecting it (before
 * and after a label change), ignoring status noise that cannot change endpoints; a slice change
 * resyncs its Service unless it merely echoes this controller's own write. Slices of a Service
 * that is gone are deleted (the garbage collector would too, through the owner reference).
 */
import type { Clock } from '../../../base/clock.js';
import { errorMessage } from '../../../base/errors.js';
import type { Logger } from '../../../base/logger.js';
import type { KubeObject } from '../../../api/meta.js';
import { isConflict } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import { objectKey } from '../../../client/informer.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done, requeueAfter } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';
import { OwnWrites } from './own-writes.js';
import {
  addServicePodIndexes,
  lastChangeTriggerTime,
  podSelector,
  podsOfService,
  servicesOfPod,
  servicesToUpdate,
  shouldPodBeInEndpoints,
} from './service-pods.js';
import type { PodObject, ServiceObject } from './service-pods.js';
import {
  CONTROLLER_NAME,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  endpointKey,
  endpointPorts,
  podToEndpoint,
  portMapKey,
} from './slice-model.js';
import type { EndpointPort, EndpointSliceObject } from './slice-model.js';
import { planSlices } from './slice-planner.js';
import type { DesiredGroup } from './slice-planner.js';
import { SliceWriter } from './slice-writer.js';

/** Options of `EndpointSliceController`. */
export interface EndpointSliceControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Warning events when a Service's slices cannot be written. */
  recorder?: EventRecorder;
  /** kube's --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number;
  /** Concurrent Services (default 4). */
  workers?: number;
  /**
   * Pod changes within this window (clock ms) are synced together, one write per Service
   * (kube's --endpoint(slice)-updates-batch-period; default 0 = at once, as kube).
   */
  podBatchMs?: number;
  /** Retry delay for a Service with pods on nodes not yet seen (default 1000 ms). */
  missingNodeRetryMs?: number;
}

/** Index of the slices this controller manages, by `namespace/service`. */
export const SLICE_SERVICE_INDEX = 'simulator.endpointslice/service';
const ZONE_LABEL = 'topology.kubernetes.io/zone';
const SLICES = { apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices' } as const;

function serviceKeyOf(slice: KubeObject): string | undefined {
  const labels = slice.metadata.labels ?? {};
  const name = labels[LABEL_SERVICE_NAME];
  if (labels[LABEL_MANAGED_BY] !== CONTROLLER_NAME || name === undefined || name === '') return undefined;
  return `${slice.metadata.namespace ?? ''}/${name}`;
}

/** Ports (and their key) that are the same for every pod: none of the target ports is named. */
interface SharedPorts {
  ports: EndpointPort[];
  key: string;
}

function samePortsForAll(svc: ServiceObject): SharedPorts | undefined {
  const named = (svc.spec?.ports ?? []).some(
    (p) => typeof p.targetPort === 'string' && !/^\d+$/.test(p.targetPort),
  );
  if (named) return undefined;
  const ports = endpointPorts(svc, { apiVersion: 'v1', kind: 'Pod', metadata: {} });
  return { ports, key: portMapKey(ports) };
}

function addressTypes(svc: ServiceObject): ('IPv4' | 'IPv6')[] {
  const families = (svc.spec?.ipFamilies ?? []).filter(
    (f): f is 'IPv4' | 'IPv6' => f === 'IPv4' || f === 'IPv6',
  );
  if (families.length > 0) return families;
  const ip = svc.spec?.clusterIP ?? '';
  if (ip !== '' && ip !== 'None') return [ip.includes(':') ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

/** Keeps the EndpointSlices of selector Services in step with their pods. */
export class EndpointSliceController implements Runnable, Reconciler {
  readonly #o: EndpointSliceControllerOptions;
  readonly #log: Logger;
  readonly #services: Informer<ServiceObject>;
  readonly #pods: Informer<PodObject>;
  readonly #nodes: Informer;
  readonly #slices: Informer<EndpointSliceObject>;
  readonly #writes = new OwnWrites<EndpointSliceObject>();
  readonly #writer: SliceWriter;
  readonly #controller: Controller;

  constructor(options: EndpointSliceControllerOptions) {
    this.#o = options;
    this.#log = options.log.child({ controller: 'endpointslice' });
    this.#writer = new SliceWriter(options.client, this.#writes);
    const { informers } = options;
    this.#services = informers.informer<ServiceObject>({ apiVersion: 'v1', plural: 'services' });
    this.#pods = informers.informer<PodObject>({ apiVersion: 'v1', plural: 'pods' });
    this.#nodes = informers.informer({ apiVersion: 'v1', plural: 'nodes' });
    this.#slices = informers.informer<EndpointSliceObject>(SLICES);
    addServicePodIndexes(this.#pods, this.#services);
    this.#slices.addIndex(SLICE_SERVICE_INDEX, (s) => {
      const key = serviceKeyOf(s);
      return key === undefined ? [] : [key];
    });
    const none = (): string[] => [];
    this.#controller = new Controller({
      name: 'endpointslice',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 4,
      sources: [
        { informer: this.#services },
        { informer: this.#pods, keys: none },
        { informer: this.#nodes, keys: none },
        { informer: this.#slices as unknown as Informer, keys: none },
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
    const onSlice = (slice: EndpointSliceObject, deleted: boolean): void => {
      const key = serviceKeyOf(slice);
      if (key === undefined) return;
      if (deleted) this.#writes.observeDeleted(key, slice);
      if (!this.#writes.isEcho(key, slice, deleted)) this.#controller.enqueue(key);
    };
    this.#slices.addHandlers({
      onAdd: (s) => onSlice(s, false),
      onUpdate: (_old, s) => onSlice(s, false),
      onDelete: (s) => onSlice(s, true),
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** Converges the slices of the Service `namespace/name`. */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const svc = this.#services.get(key);
    const existing = this.#writes.view(key, this.#slices.byIndex(SLICE_SERVICE_INDEX, key));
    if (!svc) {
      await this.#writer.apply(
        { create: [], update: [], remove: existing },
        { key, signal, trigger: undefined },
      );
      return done;
    }
    if (svc.metadata.deletionTimestamp !== undefined || !podSelector(svc)) return done;
    const pods = podsOfService(this.#pods, svc);
    const types = addressTypes(svc);
    let missingNode = false;
    const trigger = lastChangeTriggerTime(svc, pods);
    const shared = samePortsForAll(svc);
    try {
      for (const addressType of types) {
        const desired = new Map<string, DesiredGroup>();
        for (const pod of pods)
          if (!this.#addPod(desired, { svc, pod, addressType, shared })) missingNode = true;
        const mine = existing.filter((s) => s.addressType === addressType);
        const plan = planSlices(svc, {
          addressType,
          existing: mine,
          desired,
          maxEndpointsPerSlice: this.#o.maxEndpointsPerSlice ?? 100,
        });
        await this.#writer.apply(plan, { key, signal, trigger });
      }
      const stale = existing.filter((s) => !(types as string[]).includes(s.addressType));
      if (stale.length > 0)
        await this.#writer.apply({ create: [], update: [], remove: stale }, { key, signal, trigger });
    } catch (err) {
      if (!signal.aborted && !isConflict(err)) {
        const message = `Error updating Endpoint Slices for Service ${key}: ${errorMessage(err)}`;
        this.#o.recorder?.record(svc, { type: 'Warning', reason: 'FailedToUpdateEndpointSlices', message });
      }
      throw err;
    }
    return missingNode ? requeueAfter(this.#o.missingNodeRetryMs ?? 1000) : done;
  }

  /** Adds `pod`'s endpoint to `desired`; false when its node is unknown (the pod is skipped). */
  #addPod(
    desired: Map<string, DesiredGroup>,
    at: {
      svc: ServiceObject;
      pod: PodObject;
      addressType: 'IPv4' | 'IPv6';
      shared: SharedPorts | undefined;
    },
  ): boolean {
    const { svc, pod, addressType } = at;
    if (!shouldPodBeInEndpoints(pod, true)) return true;
    const nodeName = pod.spec?.nodeName ?? '';
    const node = nodeName === '' ? undefined : this.#nodes.get(nodeName);
    if (nodeName !== '' && node === undefined && svc.spec?.publishNotReadyAddresses !== true) {
      this.#log.info({ pod: objectKey(pod), node: nodeName }, 'skipping Pod for Service, Node not found');
      return false;
    }
    const zone = node?.metadata.labels?.[ZONE_LABEL];
    const endpoint = podToEndpoint(pod, svc, { family: addressType, zone });
    if (endpoint.addresses.length === 0) return true;
    const ports = at.shared?.ports ?? endpointPorts(svc, pod);
    const portKey = at.shared?.key ?? portMapKey(ports);
    let group = desired.get(portKey);
    if (!group) desired.set(portKey, (group = { ports, endpoints: new Map() }));
    group.endpoints.set(endpointKey(endpoint), endpoint);
    return true;
  }
}
