/**
 * Which pods back which Services, shared by the EndpointSlice and Endpoints controllers (kube's
 * k8s.io/endpointslice/util): selector matching through informer indexes instead of scans,
 * pod readiness and IPs, named target ports, and the pod changes that can change endpoints.
 *
 * Cost: finding a Service's pods reads one index bucket (pods in its namespace carrying the
 * selector's first label); finding a pod's Services reads the Services of its namespace.
 */
import type { KubeObject } from '../../../api/meta.js';
import type { Informer } from '../../../client/informer.js';
import { objectKey } from '../../../client/informer.js';

/** Pod fields the endpoint controllers read. */
export interface PodObject extends KubeObject {
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    containers?: { ports?: { name?: string; containerPort?: number; protocol?: string }[] }[];
    initContainers?: {
      restartPolicy?: string;
      ports?: { name?: string; containerPort?: number; protocol?: string }[];
    }[];
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
}

/** A Service port as the endpoint controllers read it. */
export interface ServicePortObject {
  name?: string;
  protocol?: string;
  port?: number;
  targetPort?: number | string;
  appProtocol?: string;
}

/** Service fields the endpoint controllers read. */
export interface ServiceObject extends KubeObject {
  spec?: {
    type?: string;
    selector?: Record<string, string> | null;
    clusterIP?: string;
    ipFamilies?: string[];
    ports?: ServicePortObject[];
    publishNotReadyAddresses?: boolean;
  };
}

/** Index of pods by `namespace/label=value`, one value per label. */
export const POD_LABEL_INDEX = 'simulator.endpoints/pod-label';
/** Index of Services by namespace. */
export const SERVICE_NAMESPACE_INDEX = 'simulator.endpoints/service-namespace';

/** Adds the indexes the endpoint controllers read (same names and functions for both). */
export function addServicePodIndexes(pods: Informer<PodObject>, services: Informer<ServiceObject>): void {
  pods.addIndex(POD_LABEL_INDEX, (pod) => {
    const ns = pod.metadata.namespace ?? '';
    return Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => `${ns}/${k}=${v}`);
  });
  services.addIndex(SERVICE_NAMESPACE_INDEX, (svc) => [svc.metadata.namespace ?? '']);
}

/** The selector of a Service that selects pods; undefined for none (nil or empty) or ExternalName. */
export function podSelector(svc: ServiceObject): Record<string, string> | undefined {
  const spec = svc.spec;
  if (spec?.type === 'ExternalName') return undefined;
  const selector = spec?.selector;
  return selector && Object.keys(selector).length > 0 ? selector : undefined;
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const key in selector) if (labels?.[key] !== selector[key]) return false;
  return true;
}

/** The cached pods a Service selects (empty without a selector). */
export function podsOfService(pods: Informer<PodObject>, svc: ServiceObject): PodObject[] {
  const selector = podSelector(svc);
  if (!selector) return [];
  const [key, value] = Object.entries(selector)[0] ?? ['', ''];
  const bucket = pods.byIndex(POD_LABEL_INDEX, `${svc.metadata.namespace ?? ''}/${key}=${value}`);
  return bucket.filter((pod) => matches(selector, pod.metadata.labels));
}

/** Keys of the cached Services in `namespace` whose selector matches `labels`. */
export function servicesSelecting(
  services: Informer<ServiceObject>,
  namespace: string,
  labels: Record<string, string> | undefined,
): string[] {
  const keys: string[] = [];
  for (const svc of services.byIndex(SERVICE_NAMESPACE_INDEX, namespace)) {
    const selector = podSelector(svc);
    if (selector && matches(selector, labels)) keys.push(objectKey(svc));
  }
  return keys;
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: PodObject): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod last became ready or unready (its creation when it never reported). */
export function podTriggerTime(pod: PodObject): string | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.lastTransitionTime ?? pod.metadata.creationTimestamp;
}

/**
 * The endpoints' last-change trigger time: the latest of the Service's creation and its pods'
 * readiness changes (kube tracks the first unsynced change; this is stable and close enough).
 */
export function lastChangeTriggerTime(svc: ServiceObject, pods: readonly PodObject[]): string | undefined {
  let latest = svc.metadata.creationTimestamp;
  for (const pod of pods) {
    const t = podTriggerTime(pod);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest;
}

/** The pod's IPs of one family (`IPv4` or `IPv6`). */
export function podAddresses(pod: PodObject, family: 'IPv4' | 'IPv6'): string[] {
  const ips = pod.status?.podIPs?.map((p) => p.ip) ?? (pod.status?.podIP ? [pod.status.podIP] : []);
  return ips.filter((ip) => ip.includes(':') === (family === 'IPv6'));
}

/** kube's ShouldPodBeInEndpoints: not Succeeded/Failed, has an IP, not terminating unless included. */
export function shouldPodBeInEndpoints(pod: PodObject, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && (pod.status?.podIPs ?? []).length === 0) return false;
  return includeTerminating || pod.metadata.deletionTimestamp === undefined;
}

/** A StatefulSet-style pod (`hostname` + `subdomain` = the Service's name) publishes its hostname. */
export function shouldSetHostname(pod: PodObject, svc: ServiceObject): boolean {
  const hostname = pod.spec?.hostname ?? '';
  return (
    hostname !== '' &&
    pod.spec?.subdomain === svc.metadata.name &&
    pod.metadata.namespace === svc.metadata.namespace
  );
}

/**
 * The container port a Service port targets on `pod` (kube's FindPort): a number as is; a name
 * looked up among the containers' (and sidecars') named ports of the same protocol.
 */
export function findPort(pod: PodObject, port: ServicePortObject): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (target === undefined) return undefined;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars])
    for (const p of c.ports ?? [])
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

/**
 * Keys of the Services to resync when `pod` appears or disappears: none while it has no IP,
 * since such a pod is in no endpoints (this halves the syncs of a burst of new pods).
 */
export function servicesOfPod(services: Informer<ServiceObject>, pod: PodObject): string[] {
  if (!pod.status?.podIP && (pod.status?.podIPs ?? []).length === 0) return [];
  return servicesSelecting(services, pod.metadata.namespace ?? '', pod.metadata.labels);
}

/**
 * Whether a pod update can change endpoints: [pod changed (IPs, readiness, deletion), labels or
 * hostname/subdomain changed] (kube's podEndpointsChanged). Status-only noise answers [false, false].
 */
export function podEndpointsChanged(before: PodObject, after: PodObject): [boolean, boolean] {
  const labelsChanged =
    JSON.stringify(before.metadata.labels ?? {}) !== JSON.stringify(after.metadata.labels ?? {}) ||
    before.spec?.hostname !== after.spec?.hostname ||
    before.spec?.subdomain !== after.spec?.subdomain;
  const podChanged =
    before.metadata.deletionTimestamp !== after.metadata.deletionTimestamp ||
    isPodReady(before) !== isPodReady(after) ||
    before.status?.phase !== after.status?.phase ||
    before.spec?.nodeName !== after.spec?.nodeName ||
    JSON.stringify(podAddresses(before, 'IPv4')) !== JSON.stringify(podAddresses(after, 'IPv4')) ||
    JSON.stringify(podAddresses(before, 'IPv6')) !== JSON.stringify(podAddresses(after, 'IPv6'));
  return [podChanged, labelsChanged];
}

/**
 * Keys of the Services to resync after a pod event (kube's GetServicesToUpdate): those selecting
 * it now, plus those that selected it before a label change.
 */
export function servicesToUpdate(
  services: Informer<ServiceObject>,
  before: PodObject | undefined,
  after: PodObject,
): string[] {
  const ns = after.metadata.namespace ?? '';
  if (!before) return servicesOfPod(services, after);
  const [podChanged, labelsChanged] = podEndpointsChanged(before, after);
  if (!podChanged && !labelsChanged) return [];
  const now = servicesSelecting(services, ns, after.metadata.labels);
  if (!labelsChanged) return now;
  const was = servicesSelecting(services, ns, before.metadata.labels);
  if (podChanged) return [...new Set([...now, ...was])];
  const nowSet = new Set(now);
  const wasSet = new Set(was);
  return [...now.filter((k) => !wasSet.has(k)), ...was.filter((k) => !nowSet.has(k))];
}
