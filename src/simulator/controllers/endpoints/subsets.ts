/**
 * The `subsets` of a v1 Endpoints object as kube's endpoints controller computes them: one
 * address per selected pod and Service port, ready or not, repacked so that addresses sharing
 * the same ports form one subset (kube's RepackSubsets), sorted, and truncated to 1000 addresses
 * (ready ones first) with the over-capacity annotation.
 */
import {
  findPort,
  isPodReady,
  podAddresses,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from '../endpointslice/service-pods.js';
import type { PodObject, ServiceObject } from '../endpointslice/service-pods.js';

/** One address of a subset. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

/** One port of a subset (no name when the Service port has none). */
export interface EndpointsPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** One subset: addresses that share the same ports. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointsPort[];
}

/** kube's maxCapacity of an Endpoints object. */
export const MAX_ENDPOINTS = 1000;

function addressOf(pod: PodObject, svc: ServiceObject): EndpointAddress | undefined {
  const ip = podAddresses(pod, 'IPv4')[0] ?? podAddresses(pod, 'IPv6')[0];
  if (ip === undefined) return undefined;
  const addr: EndpointAddress = {
    ip,
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
    },
  };
  if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec?.hostname ?? '';
  const nodeName = pod.spec?.nodeName ?? '';
  if (nodeName !== '') addr.nodeName = nodeName;
  // Keep kube's field order (ip, hostname, nodeName, targetRef) for readers of -o yaml.
  const { targetRef, ...rest } = addr;
  return { ...rest, targetRef };
}

function portKey(p: EndpointsPort | undefined): string {
  return p === undefined
    ? ''
    : `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol}\u0000${p.appProtocol ?? ''}`;
}

function addressKey(a: EndpointAddress): string {
  return `${a.ip}\u0000${a.targetRef.uid}`;
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  return a.targetRef.uid < b.targetRef.uid ? -1 : a.targetRef.uid > b.targetRef.uid ? 1 : 0;
}

/** The repacked, sorted subsets for `svc` over the pods it selects. */
export function buildSubsets(svc: ServiceObject, pods: readonly PodObject[]): EndpointSubset[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const headless = svc.spec?.clusterIP === 'None';
  const servicePorts = svc.spec?.ports ?? [];
  // port key → (address key → ready); not ready wins when an address is seen twice.
  const byPort = new Map<string, { port: EndpointsPort | undefined; addrs: Map<string, boolean> }>();
  const addresses = new Map<string, EndpointAddress>();
  const record = (port: EndpointsPort | undefined, addr: EndpointAddress, ready: boolean): void => {
    const pk = portKey(port);
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, addrs: new Map() }));
    const ak = addressKey(addr);
    if (!addresses.has(ak)) addresses.set(ak, addr);
    if (entry.addrs.get(ak) !== false) entry.addrs.set(ak, ready);
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const addr = addressOf(pod, svc);
    if (!addr) continue;
    const ready = tolerateUnready || isPodReady(pod);
    if (servicePorts.length === 0) {
      if (headless) record(undefined, addr, ready);
      continue;
    }
    for (const sp of servicePorts) {
      const number = findPort(pod, sp);
      if (number === undefined) continue;
      const name = sp.name ?? '';
      const port: EndpointsPort = {
        ...(name !== '' ? { name } : {}),
        port: number,
        protocol: sp.protocol ?? 'TCP',
      };
      if (sp.appProtocol !== undefined) port.appProtocol = sp.appProtocol;
      record(port, addr, ready);
    }
  }
  // Ports whose address sets are identical share a subset.
  const groups = new Map<string, { addrs: Map<string, boolean>; ports: EndpointsPort[] }>();
  for (const { port, addrs } of byPort.values()) {
    // One port set (the common case) needs no grouping key.
    const setKey =
      byPort.size === 1
        ? ''
        : [...addrs.entries()]
            .map(([k, r]) => `${k}\u0000${r}`)
            .sort()
            .join('\u0001');
    let group = groups.get(setKey);
    if (!group) groups.set(setKey, (group = { addrs, ports: [] }));
    if (port) group.ports.push(port);
  }
  const subsets: EndpointSubset[] = [];
  for (const { addrs, ports } of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [k, r] of addrs) {
      const addr = addresses.get(k);
      if (addr) (r ? ready : notReady).push(addr);
    }
    const subset: EndpointSubset = {};
    if (ready.length > 0) subset.addresses = ready.sort(compareAddresses);
    if (notReady.length > 0) subset.notReadyAddresses = notReady.sort(compareAddresses);
    if (ports.length > 0) subset.ports = ports.sort((a, b) => (portKey(a) < portKey(b) ? -1 : 1));
    subsets.push(subset);
  }
  const first = (s: EndpointSubset): string =>
    `${(s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? ''}|${portKey(s.ports?.[0])}`;
  return subsets.sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
}

/**
 * Cuts `subsets` to MAX_ENDPOINTS addresses, ready ones first, each subset in proportion to its
 * size (kube's truncateEndpoints). True when something was cut.
 */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS) return false;
  const cutReady = totalReady > MAX_ENDPOINTS;
  const max = cutReady ? MAX_ENDPOINTS : MAX_ENDPOINTS - totalReady;
  const total = cutReady ? totalReady : totalNotReady;
  let room = max;
  for (const s of subsets) {
    const inSubset = (cutReady ? s.addresses : s.notReadyAddresses)?.length ?? 0;
    const take = Math.min(Math.ceil((inSubset / total) * max), room);
    if (cutReady) {
      if (s.addresses) s.addresses = s.addresses.slice(0, take);
      delete s.notReadyAddresses;
      room -= s.addresses?.length ?? 0;
    } else {
      if (s.notReadyAddresses) s.notReadyAddresses = s.notReadyAddresses.slice(0, take);
      room -= s.notReadyAddresses?.length ?? 0;
    }
  }
  return true;
}
