/**
 * Who holds which cluster IP and node port in one simulated cluster: the in-memory state behind
 * `ServiceIpAllocator`. Admission reserves through a `Reservation` (reverted when the admission
 * fails, never committed for a dry run); observed Services are learned; deleted Services and
 * addresses a Service gave up are released; `repair` reconciles the book with the observed
 * Services (kube's ipallocator/portallocator repair controllers).
 *
 * Invariant: every address an observed Service holds is in the book under that Service (unless
 * two Services claim it, which `repair` reports); an address in the book that no observed
 * Service holds is released once it is older than the leak grace period.
 */
import type { KubeObject } from '../../api/meta.js';
import { objectKey } from '../../client/informer.js';
import { Ipv4Cidr, PortRange } from './ipv4.js';
import { OwnedAllocator, staticBandSize } from './owned-allocator.js';
import type { Holder, Holding } from './owned-allocator.js';
import type { AddressPools } from './service-admission.js';
import { heldClusterIPs, heldNodePorts, readSpec } from './service-spec.js';

/** A problem `repair` found on an observed Service, worded as kube's repair events. */
export interface RepairFinding {
  service: KubeObject;
  reason: 'ClusterIPOutOfRange' | 'ClusterIPAlreadyAllocated' | 'PortOutOfRange' | 'PortAlreadyAllocated';
  message: string;
}

/** Options of `AddressBook`. */
export interface AddressBookOptions {
  serviceCidr: string;
  nodePortRange: string;
  random?: () => number;
}

const ALREADY_IP = 'provided IP is already allocated';
const ALREADY_PORT = 'provided port is already allocated';

/** The holder of a Service's addresses. */
export function holderOf(svc: KubeObject): Holder {
  return { key: objectKey(svc), uid: svc.metadata.uid ?? '' };
}

/** Cluster IPs and node ports with their holders. */
export class AddressBook {
  readonly cidr: Ipv4Cidr;
  readonly ports: PortRange;
  readonly ips: OwnedAllocator;
  readonly nodePorts: OwnedAllocator;

  /** Throws RangeError for a malformed CIDR or port range. */
  constructor(options: AddressBookOptions) {
    this.cidr = new Ipv4Cidr(options.serviceCidr);
    this.ports = new PortRange(options.nodePortRange);
    const random = options.random ?? Math.random;
    const ipBand = staticBandSize(this.cidr.size, { min: 16, max: 256, divisor: 16 });
    const portBand = staticBandSize(this.ports.size, { min: 16, max: 128, divisor: 32 });
    this.ips = new OwnedAllocator({ size: this.cidr.size, staticBand: ipBand, random });
    this.nodePorts = new OwnedAllocator({ size: this.ports.size, staticBand: portBand, random });
  }

  /** Starts reserving for `holder`; the caller reverts it when the admission fails. */
  reservation(holder: Holder, at: { now: number; dryRun: boolean }): Reservation {
    return new Reservation(this, holder, at);
  }

  /** Records the addresses an observed Service holds (claims of other Services are left to `repair`). */
  learn(svc: KubeObject, now: number): void {
    const holder = holderOf(svc);
    const spec = readSpec(svc);
    for (const ip of heldClusterIPs(spec)) {
      const offset = this.cidr.offsetOf(ip);
      if (offset !== undefined) this.ips.reserve(offset, holder, now);
    }
    for (const port of heldNodePorts(spec)) {
      const offset = this.ports.offsetOf(port);
      if (offset !== undefined) this.nodePorts.reserve(offset, holder, now);
    }
  }

  /** Releases what `before` held and `after` does not (all of it when `after` is undefined). */
  releaseDropped(before: KubeObject, after: KubeObject | undefined): void {
    const uid = before.metadata.uid ?? '';
    const keepIps = new Set(after ? heldClusterIPs(readSpec(after)) : []);
    const keepPorts = new Set(after ? heldNodePorts(readSpec(after)) : []);
    for (const ip of heldClusterIPs(readSpec(before))) {
      const offset = this.cidr.offsetOf(ip);
      if (!keepIps.has(ip) && offset !== undefined) this.ips.release(offset, uid);
    }
    for (const port of heldNodePorts(readSpec(before))) {
      const offset = this.ports.offsetOf(port);
      if (!keepPorts.has(port) && offset !== undefined) this.nodePorts.release(offset, uid);
    }
  }

  /**
   * Reconciles the book with every observed Service (`lookup` by key): learns what is missing,
   * hands an address to the observed Service that holds it, releases entries no Service holds
   * once older than `leakGraceMs`, and answers the conflicts found. Answers the released count.
   */
  repair(
    services: readonly KubeObject[],
    lookup: (key: string) => KubeObject | undefined,
    at: { now: number; leakGraceMs: number },
  ): { released: number; findings: RepairFinding[] } {
    let released = 0;
    const sweep = (alloc: OwnedAllocator, heldBy: (svc: KubeObject, offset: number) => boolean): void => {
      for (const [offset, holding] of alloc.entries()) {
        const svc = lookup(holding.holder.key);
        if (svc !== undefined && heldBy(svc, offset)) {
          if (svc.metadata.uid !== holding.holder.uid) alloc.reserve(offset, holderOf(svc), at.now);
        } else if (at.now - holding.since >= at.leakGraceMs) {
          alloc.release(offset);
          released++;
        }
      }
    };
    sweep(this.ips, (svc, offset) => heldClusterIPs(readSpec(svc)).includes(this.cidr.at(offset)));
    sweep(this.nodePorts, (svc, offset) => heldNodePorts(readSpec(svc)).includes(this.ports.base + offset));
    const findings: RepairFinding[] = [];
    for (const svc of services) findings.push(...this.#check(svc, at.now));
    return { released, findings };
  }

  #check(svc: KubeObject, now: number): RepairFinding[] {
    const findings: RepairFinding[] = [];
    const holder = holderOf(svc);
    const spec = readSpec(svc);
    const claim = (alloc: OwnedAllocator, offset: number): boolean =>
      alloc.reserve(offset, holder, now) !== 'taken';
    for (const ip of heldClusterIPs(spec)) {
      const offset = this.cidr.offsetOf(ip);
      if (offset === undefined) {
        const message = `Cluster IP [IPv4]:${ip} is not within the configured Service CIDR ${this.cidr.text}; please recreate service`;
        findings.push({ service: svc, reason: 'ClusterIPOutOfRange', message });
      } else if (!claim(this.ips, offset)) {
        const message = `Cluster IP [IPv4]:${ip} was assigned to multiple services; please recreate service`;
        findings.push({ service: svc, reason: 'ClusterIPAlreadyAllocated', message });
      }
    }
    for (const port of heldNodePorts(spec)) {
      const offset = this.ports.offsetOf(port);
      if (offset === undefined) {
        const message = `Port ${port} is not within the port range ${this.ports.text}; please recreate service`;
        findings.push({ service: svc, reason: 'PortOutOfRange', message });
      } else if (!claim(this.nodePorts, offset)) {
        const message = `Port ${port} was assigned to multiple services; please recreate service`;
        findings.push({ service: svc, reason: 'PortAlreadyAllocated', message });
      }
    }
    return findings;
  }
}

/** The reservations of one admission: pools for `admitService*`, with `revert`. */
export class Reservation implements AddressPools {
  readonly #book: AddressBook;
  readonly #holder: Holder;
  readonly #at: { now: number; dryRun: boolean };
  readonly #ips = new Map<number, Holding | undefined>();
  readonly #ports = new Map<number, Holding | undefined>();

  constructor(book: AddressBook, holder: Holder, at: { now: number; dryRun: boolean }) {
    this.#book = book;
    this.#holder = holder;
    this.#at = at;
  }

  reserveIp(ip: string): string | undefined {
    const offset = this.#book.cidr.offsetOf(ip);
    if (offset === undefined)
      return `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.#book.cidr.text}`;
    return this.#reserve(this.#book.ips, this.#ips, offset) ? undefined : ALREADY_IP;
  }

  nextIp(): string | undefined {
    const offset = this.#book.ips.findFree(new Set(this.#ips.keys()));
    if (offset === undefined) return undefined;
    this.#reserve(this.#book.ips, this.#ips, offset);
    return this.#book.cidr.at(offset);
  }

  reservePort(port: number): string | undefined {
    const offset = this.#book.ports.offsetOf(port);
    if (offset === undefined)
      return `provided port is not in the valid range. The range of valid ports is ${this.#book.ports.text}`;
    return this.#reserve(this.#book.nodePorts, this.#ports, offset) ? undefined : ALREADY_PORT;
  }

  nextPort(): number | undefined {
    const offset = this.#book.nodePorts.findFree(new Set(this.#ports.keys()));
    if (offset === undefined) return undefined;
    this.#reserve(this.#book.nodePorts, this.#ports, offset);
    return this.#book.ports.base + offset;
  }

  /** Undoes every reservation made through this object. */
  revert(): void {
    if (this.#at.dryRun) return;
    for (const [offset, previous] of this.#ips) this.#book.ips.restore(offset, previous);
    for (const [offset, previous] of this.#ports) this.#book.nodePorts.restore(offset, previous);
  }

  #reserve(alloc: OwnedAllocator, mine: Map<number, Holding | undefined>, offset: number): boolean {
    if (mine.has(offset) || !alloc.canReserve(offset, this.#holder.key)) return false;
    const previous = alloc.holding(offset);
    if (!this.#at.dryRun) alloc.reserve(offset, this.#holder, this.#at.now);
    mine.set(offset, previous);
    return true;
  }
}
