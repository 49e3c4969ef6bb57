/**
 * discovery.k8s.io/v1 EndpointSlices as kube's EndpointSlice controller writes them
 * (k8s.io/endpointslice utils.go): endpoints built from pods, ports resolved per pod, the
 * labels copied from the Service, and the identity and equality rules the reconciler uses to
 * keep endpoints where they are.
 */
import type { KubeObject } from '../../../api/meta.js';
import { findPort, isPodReady, podAddresses, shouldSetHostname } from './service-pods.js';
import type { PodObject, ServiceObject } from './service-pods.js';

/** The controller's name in `endpointslice.kubernetes.io/managed-by`. */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

/** One port of a slice. */
export interface EndpointPort {
  name: string;
  protocol: string;
  port: number;
  appProtocol?: string;
}

/** One endpoint of a slice. */
export interface Endpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
  nodeName?: string;
  zone?: string;
}

/** An EndpointSlice. Empty `endpoints`/`ports` are left out, as kube's storage round trip does. */
export interface EndpointSliceObject extends KubeObject {
  addressType: string;
  endpoints?: Endpoint[];
  ports?: EndpointPort[];
}

/** The slice ports for `pod`: the Service's ports whose target the pod has (kube's getEndpointPorts). */
export function endpointPorts(svc: ServiceObject, pod: PodObject): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port };
    if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
    ports.push(ep);
  }
  return ports;
}

/** One key per distinct set of ports (order-free), grouping endpoints into slices. */
export function portMapKey(ports: readonly EndpointPort[] | undefined): string {
  return (ports ?? [])
    .map((p) => `${p.name}\u0000${p.protocol}\u0000${p.port}\u0000${p.appProtocol ?? ''}`)
    .sort()
    .join('\u0001');
}

/** The endpoint for `pod` (kube's podToEndpoint); `zone` from its node's topology label. */
export function podToEndpoint(
  pod: PodObject,
  svc: ServiceObject,
  at: { family: 'IPv4' | 'IPv6'; zone: string | undefined },
): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = (svc.spec?.publishNotReadyAddresses ?? false) || (serving && !terminating);
  const ep: Endpoint = {
    addresses: podAddresses(pod, at.family),
    conditions: { ready, serving, terminating },
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      uid: pod.metadata.uid ?? '',
    },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec?.hostname ?? '';
  const nodeName = pod.spec?.nodeName ?? '';
  if (nodeName !== '') ep.nodeName = nodeName;
  if (at.zone !== undefined && at.zone !== '') ep.zone = at.zone;
  return ep;
}

/** What identifies an endpoint across syncs: its addresses, hostname and pod (kube's hashEndpoint). */
export function endpointKey(ep: Endpoint): string {
  const ref = ep.targetRef as Endpoint['targetRef'] | undefined;
  const addresses = ep.addresses.length === 1 ? (ep.addresses[0] ?? '') : [...ep.addresses].sort().join(',');
  return `${addresses}|${ep.hostname ?? ''}|${ref?.namespace ?? ''}|${ref?.name ?? ''}`;
}

/**
 * Whether two endpoints differ in nothing a slice shows. Field by field rather than a generic
 * deep comparison: it runs for every endpoint of a Service on each of its syncs.
 */
export function endpointsEqual(a: Endpoint, b: Endpoint): boolean {
  const x = a.conditions as Endpoint['conditions'] | undefined;
  const y = b.conditions as Endpoint['conditions'] | undefined;
  const r = a.targetRef as Endpoint['targetRef'] | undefined;
  const t = b.targetRef as Endpoint['targetRef'] | undefined;
  return (
    x?.ready === y?.ready &&
    x?.serving === y?.serving &&
    x?.terminating === y?.terminating &&
    a.nodeName === b.nodeName &&
    a.zone === b.zone &&
    a.hostname === b.hostname &&
    r?.uid === t?.uid &&
    r?.name === t?.name &&
    r?.namespace === t?.namespace &&
    a.addresses.length === b.addresses.length &&
    a.addresses.every((ip, i) => ip === b.addresses[i]) &&
    Object.keys(a).length === Object.keys(b).length
  );
}

/** True for a Service with a cluster IP (not headless, not ExternalName). */
export function isServiceIpSet(svc: ServiceObject): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** The labels a slice of `svc` carries: the Service's (minus reserved ones) plus the reserved ones. */
export function sliceLabels(svc: ServiceObject): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {}))
    if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY && k !== LABEL_HEADLESS) labels[k] = v;
  if (!isServiceIpSet(svc)) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name ?? '';
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return labels;
}

/** A new, unnamed slice of `svc` (the server completes `generateName`). */
export function newSlice(
  svc: ServiceObject,
  meta: { addressType: string; ports: EndpointPort[] },
): EndpointSliceObject {
  const name = svc.metadata.name ?? '';
  // The dash makes names prettier unless it would push the prefix past the name length limit.
  const generateName = name.length + 1 <= 253 - 5 ? `${name}-` : name;
  const slice: EndpointSliceObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName,
      namespace: svc.metadata.namespace ?? '',
      labels: sliceLabels(svc),
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name,
          uid: svc.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: meta.addressType,
    endpoints: [],
  };
  if (meta.ports.length > 0) slice.ports = meta.ports;
  return slice;
}

/** True when `slice` is owned by `svc` (by uid, as kube's ownedBy). */
export function ownedBy(slice: KubeObject, svc: ServiceObject): boolean {
  return (slice.metadata.ownerReferences ?? []).some(
    (o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1',
  );
}
