/**
 * What kube-apiserver's Service storage does to a Service on create and update before it is
 * validated and stored (pkg/registry/core/service/storage: normalizeClusterIPs,
 * patchAllocatedValues, dropTypeDependentFields, allocateCreate/allocateUpdate), over address
 * pools that `ServiceIpAllocator` provides. Throws kube's 422/500 `StatusError`s.
 */
import type { KubeObject } from '../../api/meta.js';
import { internalError } from '../../api/status.js';
import type { FieldIssue } from '../../api/status.js';
import { clusterIpImmutabilityIssues, initIpFamilyFields } from './service-ip-families.js';
import {
  goInvalid,
  goStringSlice,
  isHeadless,
  needsClusterIP,
  needsHealthCheckNodePort,
  needsNodePorts,
  rangeFull,
  serviceInvalid,
  serviceType,
  shouldAllocateNodePorts,
  specOf,
} from './service-spec.js';
import type { ServiceSpec } from './service-spec.js';
import { cloneJson } from '../../base/json-clone.js';

/**
 * Reservations for the Service being admitted. `reserve*` answer undefined on success or kube's
 * allocator error text (`provided IP is already allocated`); `next*` undefined when full.
 */
export interface AddressPools {
  reserveIp(ip: string): string | undefined;
  nextIp(): string | undefined;
  reservePort(port: number): string | undefined;
  nextPort(): number | undefined;
}

/** Allocates and fills the address fields of a Service being created. */
export function admitServiceCreate(svc: KubeObject, pools: AddressPools): void {
  const spec = specOf(svc);
  if ((spec.clusterIP ?? '') !== '' && (spec.clusterIPs ?? []).length === 0)
    spec.clusterIPs = [spec.clusterIP ?? ''];
  if (serviceType(spec) === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  refuseNodePortsOnClusterIP(svc, spec);
  if (needsClusterIP(spec)) {
    const issues = initIpFamilyFields(spec, undefined);
    if (issues.length > 0) throw serviceInvalid(svc, issues);
    allocClusterIPs(svc, spec, pools);
  }
  if (needsNodePorts(spec)) initNodePorts(svc, spec, pools);
  if (needsHealthCheckNodePort(spec)) allocHealthCheckNodePort(spec, pools);
}

/** Carries allocated values over, checks immutability and allocates what a type change needs. */
export function admitServiceUpdate(svc: KubeObject, old: KubeObject, pools: AddressPools): void {
  const spec = specOf(svc);
  const before = cloneJson(specOf(old));
  patchAllocatedValues(spec, before);
  normalizeClusterIPs(spec, before);
  dropTypeDependentFields(spec, before);
  refuseNodePortsOnClusterIP(svc, spec);
  if (serviceType(spec) === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  const issues = initIpFamilyFields(spec, before);
  if (issues.length > 0) throw serviceInvalid(svc, issues);
  const immutable = clusterIpImmutabilityIssues(spec, before);
  if (immutable.length > 0) throw serviceInvalid(svc, immutable);
  if (!needsClusterIP(before) && needsClusterIP(spec)) allocClusterIPs(svc, spec, pools);
  if (needsNodePorts(spec)) updateNodePorts(svc, { spec, before }, pools);
  if (needsHealthCheckNodePort(spec) && !needsHealthCheckNodePort(before))
    allocHealthCheckNodePort(spec, pools);
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function nodePortsOf(spec: ServiceSpec): number[] {
  return (spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n > 0);
}

/** A resubmitted manifest without the values the server chose keeps them (idempotent apply). */
function patchAllocatedValues(spec: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if ((spec.clusterIP ?? '') === '' && old.clusterIP !== undefined) spec.clusterIP = old.clusterIP;
    if ((spec.clusterIPs ?? []).length === 0 && (old.clusterIPs ?? []).length > 0)
      spec.clusterIPs = [...(old.clusterIPs ?? [])];
  }
  if (needsNodePorts(old) && needsNodePorts(spec)) {
    const mine = new Set(nodePortsOf(spec));
    const used = new Set(nodePortsOf(old).filter((p) => mine.has(p)));
    const byName = new Map((old.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of spec.ports ?? []) {
      const was = byName.get(p.name ?? '') ?? 0;
      if ((p.nodePort ?? 0) === 0 && was > 0 && !used.has(was)) p.nodePort = was;
    }
  }
  if (
    needsHealthCheckNodePort(old) &&
    needsHealthCheckNodePort(spec) &&
    (spec.healthCheckNodePort ?? 0) === 0
  )
    if (old.healthCheckNodePort !== undefined) spec.healthCheckNodePort = old.healthCheckNodePort;
}

/** Keeps `clusterIP` and `clusterIPs` in step when a client changed only one of them. */
function normalizeClusterIPs(spec: ServiceSpec, old: ServiceSpec): void {
  const oldIP = old.clusterIP ?? '';
  const newIP = spec.clusterIP ?? '';
  if ((old.clusterIPs ?? []).length > 0 && (spec.clusterIPs ?? []).length === 0 && oldIP === newIP)
    spec.clusterIPs = [...(old.clusterIPs ?? [])];
  if (oldIP === newIP || !sameList(old.clusterIPs, spec.clusterIPs)) return;
  if (newIP === '') delete spec.clusterIPs;
  else spec.clusterIPs = [newIP];
}

/** Clears what the old type allocated and the new one cannot hold, when the client left it as is. */
function dropTypeDependentFields(spec: ServiceSpec, old: ServiceSpec): void {
  if (needsClusterIP(old) && !needsClusterIP(spec)) {
    if (sameList(old.clusterIPs, spec.clusterIPs) && old.clusterIP === spec.clusterIP) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (sameList(old.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if (old.ipFamilyPolicy === spec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(old) && !needsNodePorts(spec) && sameList(nodePortsOf(old), nodePortsOf(spec)))
    for (const p of spec.ports ?? []) delete p.nodePort;
  if (needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(spec))
    if (old.healthCheckNodePort === spec.healthCheckNodePort) delete spec.healthCheckNodePort;
  if (
    needsNodePorts(old) &&
    !needsNodePorts(spec) &&
    old.externalTrafficPolicy === spec.externalTrafficPolicy
  )
    delete spec.externalTrafficPolicy;
  if (serviceType(old) === 'LoadBalancer' && serviceType(spec) !== 'LoadBalancer')
    if (old.allocateLoadBalancerNodePorts === spec.allocateLoadBalancerNodePorts)
      delete spec.allocateLoadBalancerNodePorts;
}

/** kube's validation: `spec.ports[i].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'`. */
function refuseNodePortsOnClusterIP(svc: KubeObject, spec: ServiceSpec): void {
  if (serviceType(spec) !== 'ClusterIP') return;
  const issues: FieldIssue[] = [];
  (spec.ports ?? []).forEach((p, i) => {
    if ((p.nodePort ?? 0) !== 0) {
      const detail = "may not be used when `type` is 'ClusterIP'";
      issues.push({ field: `spec.ports[${i}].nodePort`, type: 'FieldValueForbidden', detail });
    }
  });
  if (issues.length > 0) throw serviceInvalid(svc, issues);
}

function allocClusterIPs(svc: KubeObject, spec: ServiceSpec, pools: AddressPools): void {
  if (isHeadless(spec)) return;
  const requested = spec.clusterIPs?.[0] ?? '';
  let ip: string;
  if (requested === '') {
    const next = pools.nextIp();
    if (next === undefined) throw rangeFull('serviceIP');
    ip = next;
  } else {
    const err = pools.reserveIp(requested);
    if (err !== undefined) {
      const detail = `failed to allocate IP ${requested}: ${err}`;
      throw serviceInvalid(svc, [goInvalid('spec.clusterIPs', goStringSlice(spec.clusterIPs), detail)]);
    }
    ip = requested;
  }
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
}

function portInvalid(svc: KubeObject, at: { index: number; port: number; err: string }): Error {
  const field = `spec.ports[${at.index}].nodePort`;
  return serviceInvalid(svc, [{ field, type: 'FieldValueInvalid', value: at.port, detail: at.err }]);
}

function nextNodePort(pools: AddressPools): number {
  const port = pools.nextPort();
  if (port === undefined) throw rangeFull('nodePort');
  return port;
}

/** Ports sharing a service port number share one node port (TCP and UDP 53), as in kube. */
function initNodePorts(svc: KubeObject, spec: ServiceSpec, pools: AddressPools): void {
  const ports = spec.ports ?? [];
  const byServicePort = new Map<number, number>();
  ports.forEach((p, i) => {
    const requested = p.nodePort ?? 0;
    if (requested === 0 && !shouldAllocateNodePorts(spec)) return;
    const servicePort = p.port ?? 0;
    const shared = byServicePort.get(servicePort);
    if (shared === undefined) {
      const wanted = ports.find((q) => q.port === servicePort && (q.nodePort ?? 0) !== 0)?.nodePort ?? 0;
      if (wanted !== 0) {
        const err = pools.reservePort(wanted);
        if (err !== undefined) throw portInvalid(svc, { index: i, port: wanted, err });
      }
      p.nodePort = wanted !== 0 ? wanted : nextNodePort(pools);
      byServicePort.set(servicePort, p.nodePort);
    } else if (requested === 0) {
      p.nodePort = shared;
    } else if (requested !== shared) {
      const err = pools.reservePort(requested);
      if (err !== undefined) throw portInvalid(svc, { index: i, port: requested, err });
    }
  });
}

function updateNodePorts(
  svc: KubeObject,
  specs: { spec: ServiceSpec; before: ServiceSpec },
  pools: AddressPools,
): void {
  const { spec, before } = specs;
  const held = new Set(nodePortsOf(before));
  const taken = new Set<number>();
  (spec.ports ?? []).forEach((p, i) => {
    const requested = p.nodePort ?? 0;
    if (requested === 0 && !shouldAllocateNodePorts(spec)) return;
    if (requested === 0) {
      p.nodePort = nextNodePort(pools);
    } else if (!held.has(requested) && !taken.has(requested)) {
      const err = pools.reservePort(requested);
      if (err !== undefined) throw portInvalid(svc, { index: i, port: requested, err });
      taken.add(requested);
    }
  });
}

function allocHealthCheckNodePort(spec: ServiceSpec, pools: AddressPools): void {
  const requested = spec.healthCheckNodePort ?? 0;
  if (requested === 0) {
    const port = pools.nextPort();
    if (port === undefined) throw internalError('failed to allocate a HealthCheck NodePort 0: range is full');
    spec.healthCheckNodePort = port;
    return;
  }
  const err = pools.reservePort(requested);
  if (err !== undefined)
    throw internalError(`failed to allocate requested HealthCheck NodePort ${requested}: ${err}`);
}
