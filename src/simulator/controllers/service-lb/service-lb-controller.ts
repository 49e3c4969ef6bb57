/**
 * A simulated cloud load-balancer controller (the service controller of a cloud-controller-
 * manager, with an address pool like MetalLB's): every `type: LoadBalancer` Service without a
 * `loadBalancerClass` gets an address from the cluster's public range in
 * `status.loadBalancer.ingress` (`ipMode: VIP`), keeps it while it stays a LoadBalancer, and
 * gives it back when it changes type or is deleted.
 *
 * As in kube, the controller puts the `service.kubernetes.io/load-balancer-cleanup` finalizer on
 * the Services it serves, so a deleted one stays until its load balancer is gone, and records
 * the EnsuringLoadBalancer / EnsuredLoadBalancer / DeletingLoadBalancer / DeletedLoadBalancer
 * events. Addresses come lowest first; `spec.loadBalancerIP` is honoured when free and in range.
 * The pool is learned from the Services' status when the controller starts.
 */
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { KubeObject } from '../../../api/meta.js';
import { isNotFound } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import { objectKey } from '../../../client/informer.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';
import { Ipv4Cidr } from '../../admission/ipv4.js';
import { OwnedAllocator } from '../../admission/owned-allocator.js';
import { cloneJson } from '../../../base/json-clone.js';

/** Options of `ServiceLoadBalancerController`. */
export interface ServiceLoadBalancerControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Events as the cloud service controller records them (component `service-controller`). */
  recorder?: EventRecorder;
  /** The cluster's public range, e.g. `198.51.100.0/24`. */
  publicCidr: string;
  /** Concurrent Services (default 2). */
  workers?: number;
}

interface LoadBalancerService extends KubeObject {
  spec?: { type?: string; loadBalancerClass?: string; loadBalancerIP?: string };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: string }[] } };
}

/** The finalizer kube's service controller puts on the Services it gives load balancers. */
export const LOAD_BALANCER_CLEANUP_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
const SERVICES = { apiVersion: 'v1', plural: 'services' } as const;
const FIELD_MANAGER = 'cloud-controller-manager';

function wantsLoadBalancer(svc: LoadBalancerService): boolean {
  return (
    svc.spec?.type === 'LoadBalancer' &&
    (svc.spec.loadBalancerClass ?? '') === '' &&
    svc.metadata.deletionTimestamp === undefined
  );
}

function ingressIPs(svc: LoadBalancerService): string[] {
  return (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => ip !== '');
}

/** Gives LoadBalancer Services addresses from a public range. */
export class ServiceLoadBalancerController implements Runnable, Reconciler {
  readonly #o: ServiceLoadBalancerControllerOptions;
  readonly #log: Logger;
  readonly #cidr: Ipv4Cidr;
  readonly #pool: OwnedAllocator;
  readonly #services: Informer<LoadBalancerService>;
  readonly #controller: Controller;
  #learned = false;

  /** Throws RangeError for a malformed `publicCidr`. */
  constructor(options: ServiceLoadBalancerControllerOptions) {
    this.#o = options;
    this.#log = options.log.child({ controller: 'service-lb' });
    this.#cidr = new Ipv4Cidr(options.publicCidr);
    this.#pool = new OwnedAllocator({ size: this.#cidr.size, staticBand: 0, random: () => 0 });
    this.#services = options.informers.informer<LoadBalancerService>(SERVICES);
    this.#services.addHandlers({
      onUpdate: (old, svc) => {
        const [was, now] = [old.spec?.type ?? 'ClusterIP', svc.spec?.type ?? 'ClusterIP'];
        if (was !== now && (was === 'LoadBalancer' || now === 'LoadBalancer'))
          this.#event(svc, { reason: 'Type', message: `${was} -> ${now}` });
      },
    });
    this.#controller = new Controller({
      name: 'service-lb',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 2,
      sources: [{ informer: this.#services }],
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** Converges the load balancer of the Service `namespace/name`. */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    this.#learn();
    const svc = this.#services.get(key);
    if (!svc) {
      this.#release(key, undefined);
      return done;
    }
    if (wantsLoadBalancer(svc)) await this.#ensure(svc, signal);
    else await this.#teardown(svc, signal);
    return done;
  }

  /** Once, before the first change: the addresses Services already show are taken. */
  #learn(): void {
    if (this.#learned) return;
    this.#learned = true;
    const now = this.#o.clock.now();
    for (const svc of this.#services.list()) {
      if (!wantsLoadBalancer(svc)) continue;
      for (const ip of ingressIPs(svc)) {
        const offset = this.#cidr.offsetOf(ip);
        if (offset !== undefined) this.#pool.reserve(offset, this.#holder(svc), now);
      }
    }
  }

  #holder(svc: LoadBalancerService): { key: string; uid: string } {
    return { key: objectKey(svc), uid: svc.metadata.uid ?? '' };
  }

  /** The address for `svc`: the one it shows, else the one it asks for, else the lowest free. */
  #address(svc: LoadBalancerService): string | undefined {
    const holder = this.#holder(svc);
    const now = this.#o.clock.now();
    const candidates = [...ingressIPs(svc), svc.spec?.loadBalancerIP ?? ''];
    for (const ip of candidates) {
      const offset = this.#cidr.offsetOf(ip);
      if (offset !== undefined && this.#pool.reserve(offset, holder, now) !== 'taken') return ip;
    }
    for (const [offset, holding] of this.#pool.entries())
      if (holding.holder.key === holder.key) return this.#cidr.at(offset);
    const free = this.#pool.findFree();
    if (free === undefined) return undefined;
    this.#pool.reserve(free, holder, now);
    return this.#cidr.at(free);
  }

  async #ensure(svc: LoadBalancerService, signal: AbortSignal): Promise<void> {
    const { client } = this.#o;
    const ref = { ...SERVICES, namespace: svc.metadata.namespace ?? '' };
    const name = svc.metadata.name ?? '';
    let current = svc;
    const finalizers = svc.metadata.finalizers ?? [];
    if (!finalizers.includes(LOAD_BALANCER_CLEANUP_FINALIZER)) {
      const body = {
        metadata: {
          finalizers: [...finalizers, LOAD_BALANCER_CLEANUP_FINALIZER],
          resourceVersion: svc.metadata.resourceVersion,
        },
      };
      current = await client.patch(ref, name, {
        body,
        options: { type: 'merge', fieldManager: FIELD_MANAGER, signal },
      });
    }
    const ip = this.#address(current);
    if (ip === undefined) {
      const message = `Error syncing load balancer: failed to ensure load balancer: no available address in ${this.#cidr.text}`;
      this.#event(current, { reason: 'SyncLoadBalancerFailed', message, type: 'Warning' });
      throw new Error(message);
    }
    const shown = current.status?.loadBalancer?.ingress ?? [];
    if (shown.length === 1 && shown[0]?.ip === ip && shown[0].ipMode === 'VIP') return;
    this.#event(current, { reason: 'EnsuringLoadBalancer', message: 'Ensuring load balancer' });
    const next = {
      ...cloneJson(current),
      status: { ...current.status, loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } },
    };
    await client.updateStatus(ref, next, { signal, fieldManager: FIELD_MANAGER });
    this.#event(current, { reason: 'EnsuredLoadBalancer', message: 'Ensured load balancer' });
    this.#log.info({ service: objectKey(svc), ip }, 'load balancer ensured');
  }

  async #teardown(svc: LoadBalancerService, signal: AbortSignal): Promise<void> {
    const { client } = this.#o;
    const finalizers = svc.metadata.finalizers ?? [];
    const hasFinalizer = finalizers.includes(LOAD_BALANCER_CLEANUP_FINALIZER);
    const showsAddress = (svc.status?.loadBalancer?.ingress ?? []).length > 0;
    if (!hasFinalizer && !showsAddress) {
      this.#release(objectKey(svc), svc.metadata.uid);
      return;
    }
    const ref = { ...SERVICES, namespace: svc.metadata.namespace ?? '' };
    const name = svc.metadata.name ?? '';
    this.#event(svc, { reason: 'DeletingLoadBalancer', message: 'Deleting load balancer' });
    let current = svc;
    if (showsAddress && svc.metadata.deletionTimestamp === undefined) {
      const next = { ...cloneJson(svc), status: { ...svc.status, loadBalancer: {} } };
      current = await client.updateStatus(ref, next, { signal, fieldManager: FIELD_MANAGER });
    }
    if (hasFinalizer) {
      const rest = finalizers.filter((f) => f !== LOAD_BALANCER_CLEANUP_FINALIZER);
      // null removes the field, as kube shows no finalizers rather than an empty list.
      const body = {
        metadata: {
          finalizers: rest.length > 0 ? rest : null,
          resourceVersion: current.metadata.resourceVersion,
        },
      };
      try {
        await client.patch(ref, name, {
          body,
          options: { type: 'merge', fieldManager: FIELD_MANAGER, signal },
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    this.#release(objectKey(svc), svc.metadata.uid);
    this.#event(svc, { reason: 'DeletedLoadBalancer', message: 'Deleted load balancer' });
  }

  #release(key: string, uid: string | undefined): void {
    for (const [offset, holding] of this.#pool.entries())
      if (holding.holder.key === key && (uid === undefined || holding.holder.uid === uid))
        this.#pool.release(offset);
  }

  #event(svc: KubeObject, event: { reason: string; message: string; type?: 'Normal' | 'Warning' }): void {
    this.#o.recorder?.record(svc, {
      type: event.type ?? 'Normal',
      reason: event.reason,
      message: event.message,
    });
  }
}
