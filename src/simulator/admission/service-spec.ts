/**
 * The parts of a v1 Service spec that address allocation reads and writes, kube's predicates over
 * them (pkg/registry/core/service/storage), and the exact error texts the allocation path
 * reports. Admission runs before Go-side defaults, so an absent `type` means ClusterIP.
 */
import type { KubeObject } from '../../api/meta.js';
import { internalError, invalid } from '../../api/status.js';
import type { FieldIssue, StatusError } from '../../api/status.js';

/** One entry of `spec.ports`. */
export interface ServicePortSpec {
  name?: string;
  protocol?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

/** The allocation-related fields of `spec`. */
export interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  ports?: ServicePortSpec[];
  selector?: Record<string, string> | null;
  externalTrafficPolicy?: string;
  healthCheckNodePort?: number;
  allocateLoadBalancerNodePorts?: boolean;
  [field: string]: unknown;
}

export const CLUSTER_IP_NONE = 'None';

/** The Service's spec object, created when absent (admission may write to it). */
export function specOf(svc: KubeObject): ServiceSpec {
  const spec = svc['spec'];
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) return spec as ServiceSpec;
  const made: ServiceSpec = {};
  svc['spec'] = made;
  return made;
}

const EMPTY: ServiceSpec = Object.freeze({});

/** The Service's spec for reading (an empty frozen spec when absent); never mutate it. */
export function readSpec(svc: KubeObject): Readonly<ServiceSpec> {
  const spec = svc['spec'];
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? (spec as ServiceSpec) : EMPTY;
}

/** `spec.type`, ClusterIP when unset. */
export function serviceType(spec: ServiceSpec): string {
  return spec.type ?? 'ClusterIP';
}

/** Every type but ExternalName gets cluster IPs (or is headless). */
export function needsClusterIP(spec: ServiceSpec): boolean {
  return serviceType(spec) !== 'ExternalName';
}

/** NodePort and LoadBalancer Services may hold node ports. */
export function needsNodePorts(spec: ServiceSpec): boolean {
  const t = serviceType(spec);
  return t === 'NodePort' || t === 'LoadBalancer';
}

/** NodePort always; LoadBalancer unless `allocateLoadBalancerNodePorts: false`. */
export function shouldAllocateNodePorts(spec: ServiceSpec): boolean {
  const t = serviceType(spec);
  if (t === 'NodePort') return true;
  return t === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false;
}

/** A LoadBalancer with `externalTrafficPolicy: Local` gets a health-check node port. */
export function needsHealthCheckNodePort(spec: ServiceSpec): boolean {
  return serviceType(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

/** True for `clusterIPs: ["None"]` (or `clusterIP: None` before normalization). */
export function isHeadless(spec: ServiceSpec): boolean {
  return (spec.clusterIPs?.[0] ?? spec.clusterIP) === CLUSTER_IP_NONE;
}

/** True when the Service selects pods (a nil or empty selector selects none). */
export function hasSelector(spec: ServiceSpec): boolean {
  return spec.selector !== undefined && spec.selector !== null && Object.keys(spec.selector).length > 0;
}

/** The cluster IPs a Service holds (not `None`). */
export function heldClusterIPs(spec: ServiceSpec): string[] {
  if (!needsClusterIP(spec)) return [];
  const ips = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  return ips.filter((ip) => ip !== '' && ip !== CLUSTER_IP_NONE);
}

/** The node ports a Service holds, health-check port included, deduplicated. */
export function heldNodePorts(spec: ServiceSpec): number[] {
  const ports = new Set<number>();
  for (const p of spec.ports ?? [])
    if (typeof p.nodePort === 'number' && p.nodePort > 0) ports.add(p.nodePort);
  if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0)
    ports.add(spec.healthCheckNodePort);
  return [...ports];
}

/** Go's `%#v` of a []string, as kube prints `Invalid value: []string{"10.96.0.5"}`. */
export function goStringSlice(values: readonly string[] | undefined): string {
  if (values === undefined) return '[]string(nil)';
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/**
 * A FieldValueInvalid issue whose value is preformatted Go text: `invalid()` would JSON-encode
 * it, while kube prints Go values (`[]string{...}`), so the value goes in front of the detail.
 */
export function goInvalid(field: string, goValue: string, detail: string): FieldIssue {
  return { field, type: 'FieldValueInvalid', detail: `${goValue}: ${detail}` };
}

/** 422 for a Service, e.g. `Service "web" is invalid: spec.clusterIPs: Invalid value: ...`. */
export function serviceInvalid(svc: KubeObject, issues: readonly FieldIssue[]): StatusError {
  return invalid('', 'Service', svc.metadata.name ?? svc.metadata.generateName ?? '', issues);
}

/** 500 when a range has nothing left, with kube's wording. */
export function rangeFull(what: 'serviceIP' | 'nodePort'): StatusError {
  return internalError(`failed to allocate a ${what}: range is full`);
}

/** 500 while the allocator has not yet learned the existing Services. */
export function allocatorNotReady(): StatusError {
  return internalError('failed to allocate a serviceIP: allocator not ready');
}
