/**
 * A pod's QoS class (pkg/apis/core/helper/qos GetPodQOS): Guaranteed when every container limits
 * CPU and memory and requests what it limits, BestEffort when no container requests or limits
 * either, Burstable otherwise. A missing request counts as equal to its limit, as API defaulting
 * makes it.
 */
import { quantityOrUndefined } from './quantity.js';

/** The resource fields of a container spec. */
export interface ContainerResources {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** The pod spec fields QoS depends on. */
export interface QosPodSpec {
  containers?: ContainerResources[];
  initContainers?: ContainerResources[];
}

/** `status.qosClass`. */
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'] as const;

/** The QoS class of a pod with `spec`. */
export function qosClass(spec: QosPodSpec): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    let limited = 0;
    for (const r of QOS_RESOURCES) {
      const limit = positive(c.resources?.limits?.[r]);
      const request = positive(c.resources?.requests?.[r]) ?? limit;
      if (request !== undefined) requests.set(r, (requests.get(r) ?? 0) + request);
      if (limit !== undefined) {
        limits.set(r, (limits.get(r) ?? 0) + limit);
        limited++;
      }
      if (request !== undefined && limit !== undefined && request !== limit) guaranteed = false;
      if (request !== undefined && limit === undefined) guaranteed = false;
    }
    if (limited < QOS_RESOURCES.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function positive(text: string | undefined): number | undefined {
  const n = quantityOrUndefined(text);
  return n !== undefined && n > 0 ? n : undefined;
}
