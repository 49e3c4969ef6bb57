/**
 * Service ClusterIP and NodePort allocation for one simulated cluster: a mutating admission
 * plugin (what kube-apiserver's Service storage does on create and update) and a Runnable that
 * keeps the in-memory address book true to the Services that exist.
 *
 * Wiring: construct it, pass it in the ApiServer's `admission`, then `connect` it to the
 * cluster's shared informers and run it. Until its Services informer has synced, Service writes
 * that need addresses fail with a 500 (`allocator not ready`): handing out addresses before
 * learning which are taken could duplicate them (kube-apiserver does not serve before its
 * allocators are ready either).
 *
 * Addresses are released when the Services informer reports a Service deleted or an address
 * dropped (kube releases when the write commits; the difference is a few milliseconds in
 * process). Addresses reserved by a write that then failed (validation after admission, a lost
 * create) are released by the repair pass once older than `leakGraceMs`. Dry runs check but
 * never reserve.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../apiserver/admission.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { Runnable } from '../../runtime/runnable.js';
import { AddressBook, holderOf } from './address-book.js';
import { admitServiceCreate, admitServiceUpdate } from './service-admission.js';
import { allocatorNotReady } from './service-spec.js';

/** Options of `ServiceIpAllocator`. */
export interface ServiceIpAllocatorOptions {
  /** The Service IP range (default `10.96.0.0/16`, kubeadm's). */
  serviceCidr?: string;
  /** The NodePort range (default `30000-32767`). */
  nodePortRange?: string;
  /** Between repair passes, in clock ms (default 60 s). */
  repairIntervalMs?: number;
  /** How long a reserved address may stay unheld by any Service before repair frees it (default 60 s). */
  leakGraceMs?: number;
  /** Chooses where dynamic allocation starts (default Math.random); tests pin it. */
  random?: () => number;
}

/** What `connect` needs: the cluster's shared informers, clock, logger and (for repair findings) events. */
export interface ServiceIpAllocatorDeps {
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
}

const SERVICES = { apiVersion: 'v1', plural: 'services' } as const;

/** Allocates Service cluster IPs and node ports; see the module contract. */
export class ServiceIpAllocator implements AdmissionPlugin, Runnable {
  readonly name = 'ServiceIPAllocation';
  readonly #book: AddressBook;
  readonly #o: ServiceIpAllocatorOptions;
  #deps: (ServiceIpAllocatorDeps & { informer: Informer }) | undefined;
  #ready = false;

  /** Throws RangeError for a malformed `serviceCidr` or `nodePortRange`. */
  constructor(options: ServiceIpAllocatorOptions = {}) {
    this.#o = options;
    this.#book = new AddressBook({
      serviceCidr: options.serviceCidr ?? '10.96.0.0/16',
      nodePortRange: options.nodePortRange ?? '30000-32767',
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /** The Service CIDR in canonical form. */
  get serviceCidr(): string {
    return this.#book.cidr.text;
  }

  /** The first address of the range: the `kubernetes` Service's. */
  get firstAddress(): string {
    return this.#book.cidr.at(0);
  }

  /**
   * Attaches the cluster's informers (before `start`); answers `this` for wiring one-liners.
   * Connecting again to the same informers (a restarted cluster) keeps the first connection;
   * other informers throw.
   */
  connect(deps: ServiceIpAllocatorDeps): this {
    if (this.#deps?.informers === deps.informers) return this;
    if (this.#deps) throw new Error('ServiceIpAllocator is already connected to other informers');
    const informer = deps.informers.informer(SERVICES);
    this.#deps = { ...deps, informer };
    informer.addHandlers({
      onAdd: (svc) => this.#book.learn(svc, deps.clock.now()),
      onUpdate: (old, svc) => {
        this.#book.learn(svc, deps.clock.now());
        this.#book.releaseDropped(old, svc);
      },
      onDelete: (svc) => this.#book.releaseDropped(svc, undefined),
    });
    return this;
  }

  handles(info: ResourceInfo): boolean {
    return info.group === '' && info.kind === 'Service';
  }

  /** Allocates on create and on updates that change the spec; throws kube's 422/500 errors. */
  admit(attributes: AdmissionAttributes): void {
    const { operation, object, old, dryRun } = attributes;
    if (operation === 'UPDATE' && old && jsonEqual(object['spec'] as JsonValue, old['spec'] as JsonValue))
      return;
    const deps = this.#deps;
    if (!this.#ready || !deps) throw allocatorNotReady();
    const reservation = this.#book.reservation(holderOf(object), { now: deps.clock.now(), dryRun });
    try {
      if (operation === 'CREATE' || !old) admitServiceCreate(object, reservation);
      else admitServiceUpdate(object, old, reservation);
    } catch (err) {
      reservation.revert();
      throw err;
    }
  }

  /** Resolves true once the allocator has learned the existing Services (false if `signal` aborts first). */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const deps = this.#requireDeps();
    const synced = await deps.informer.waitForSync(signal);
    if (synced) this.#ready = true;
    return synced;
  }

  /** Learns the existing Services, then repairs every `repairIntervalMs` until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    const deps = this.#requireDeps();
    const running = deps.informer.start(signal);
    if (await this.waitForSync(signal)) {
      deps.log.info({ serviceCidr: this.serviceCidr }, 'service address allocator ready');
      for (;;) {
        try {
          await deps.clock.sleep(this.#o.repairIntervalMs ?? 60_000, signal);
        } catch {
          break;
        }
        this.repair();
      }
    }
    await running;
  }

  /** One repair pass now (also run periodically by `start`). */
  repair(): void {
    const deps = this.#deps;
    if (!this.#ready || !deps) return;
    const { informer, clock, log, recorder } = deps;
    const { released, findings } = this.#book.repair(informer.list(), (key) => informer.get(key), {
      now: clock.now(),
      leakGraceMs: this.#o.leakGraceMs ?? 60_000,
    });
    if (released > 0) log.info({ released }, 'released leaked service addresses');
    for (const f of findings) {
      log.warn({ service: f.service.metadata.name, reason: f.reason }, 'service address conflict');
      recorder?.record(f.service, { type: 'Warning', reason: f.reason, message: f.message });
    }
  }

  #requireDeps(): ServiceIpAllocatorDeps & { informer: Informer } {
    if (!this.#deps) throw new Error('ServiceIpAllocator.connect must be called before start');
    return this.#deps;
  }
}
