/**
 * Resource interpretation for status (Karmada's interpreter, built-in kinds): whether a member's
 * copy of an object is healthy, and the template's status aggregated from every member's.
 * - health: Deployment/ReplicaSet/StatefulSet when the controller observed the latest generation
 *   and all replicas are updated and available (ready for StatefulSets); DaemonSet when every
 *   scheduled pod is updated and available; Job when Complete (Unhealthy when Failed); Pod when
 *   Ready (Unhealthy when Failed); Service of type LoadBalancer when it has an ingress; anything
 *   else when it exists;
 * - aggregation: replica counts summed (Deployment, StatefulSet, ReplicaSet, DaemonSet numbers),
 *   Job counts summed with Complete when every member completed, Service load-balancer ingresses
 *   merged; `observedGeneration` is the template's generation once every member observed its own.
 * Pure.
 */
import type { KubeObject } from '../meta.js';

export type Health = 'Healthy' | 'Unhealthy' | 'Unknown';

type Status = Record<string, unknown>;
/** An object as interpretation reads it. */
export type InterpretedObject = KubeObject & { spec?: Record<string, unknown>; status?: Status };
type Obj = InterpretedObject;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const conditionTrue = (status: Status | undefined, type: string): boolean =>
  Array.isArray(status?.['conditions']) &&
  (status['conditions'] as { type?: string; status?: string }[]).some(
    (c) => c.type === type && c.status === 'True',
  );

/** How the member's copy `obj` is doing (undefined object: Unknown). */
export function interpretHealth(obj: Obj | undefined): Health {
  if (!obj) return 'Unknown';
  const s = obj.status ?? {};
  const observed = num(s['observedGeneration']) >= num(obj.metadata.generation);
  const desired = typeof obj.spec?.['replicas'] === 'number' ? obj.spec['replicas'] : 1;
  switch (obj.kind) {
    case 'Deployment':
    case 'ReplicaSet':
      return observed &&
        num(s['availableReplicas']) >= desired &&
        (obj.kind === 'ReplicaSet' || num(s['updatedReplicas']) >= desired)
        ? 'Healthy'
        : 'Unhealthy';
    case 'StatefulSet':
      return observed && num(s['readyReplicas']) >= desired && num(s['updatedReplicas']) >= desired
        ? 'Healthy'
        : 'Unhealthy';
    case 'DaemonSet': {
      const scheduled = num(s['desiredNumberScheduled']);
      return observed &&
        num(s['numberAvailable']) >= scheduled &&
        num(s['updatedNumberScheduled']) >= scheduled
        ? 'Healthy'
        : 'Unhealthy';
    }
    case 'Job':
      if (conditionTrue(s, 'Failed')) return 'Unhealthy';
      return conditionTrue(s, 'Complete') ? 'Healthy' : 'Unknown';
    case 'Pod':
      if (s['phase'] === 'Failed') return 'Unhealthy';
      return conditionTrue(s, 'Ready') || s['phase'] === 'Succeeded' ? 'Healthy' : 'Unhealthy';
    case 'Service': {
      if (obj.spec?.['type'] !== 'LoadBalancer') return 'Healthy';
      const ingress = (s['loadBalancer'] as { ingress?: unknown[] } | undefined)?.ingress;
      return ingress?.length ? 'Healthy' : 'Unhealthy';
    }
    default:
      return 'Healthy';
  }
}

const SUMMED: Record<string, readonly string[]> = {
  Deployment: ['replicas', 'readyReplicas', 'availableReplicas', 'updatedReplicas', 'unavailableReplicas'],
  StatefulSet: ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'],
  ReplicaSet: ['replicas', 'readyReplicas', 'availableReplicas', 'fullyLabeledReplicas'],
  DaemonSet: [
    'currentNumberScheduled',
    'desiredNumberScheduled',
    'numberAvailable',
    'numberMisscheduled',
    'numberReady',
    'updatedNumberScheduled',
    'numberUnavailable',
  ],
  Job: ['active', 'succeeded', 'failed', 'ready'],
};

/**
 * What of a member's status the hub keeps (Karmada's ReflectStatus): for the workload kinds, the
 * counts it aggregates, `observedGeneration` and each condition's type, status and reason —
 * without the timestamps and messages that change on every member update, so the Work and the
 * binding are written only when something that matters changed. Other kinds keep their status.
 */
export function reflectStatus(kind: string, status: Status | undefined): Status | undefined {
  const fields = SUMMED[kind];
  if (!status || !fields) return status;
  const kept: Status = {};
  for (const f of [...fields, 'observedGeneration']) if (status[f] !== undefined) kept[f] = status[f];
  if (Array.isArray(status['conditions']))
    kept['conditions'] = (status['conditions'] as Record<string, unknown>[]).map((c) => ({
      type: c['type'],
      status: c['status'],
      ...(c['reason'] !== undefined ? { reason: c['reason'] } : {}),
    }));
  return kept;
}

/** Kinds whose template status Flotilla aggregates. */
export function aggregatesStatus(kind: string): boolean {
  return kind in SUMMED || kind === 'Service';
}

/**
 * The template's status from the members' copies (`members` holds one entry per target cluster;
 * undefined where the member has no copy yet). Undefined for kinds not aggregated.
 */
export function aggregateStatus(template: Obj, members: readonly (Obj | undefined)[]): Status | undefined {
  const kind = template.kind;
  if (kind === 'Service') {
    const ingress = members.flatMap(
      (m) => (m?.status?.['loadBalancer'] as { ingress?: unknown[] } | undefined)?.ingress ?? [],
    );
    return { ...(template.status ?? {}), loadBalancer: ingress.length ? { ingress } : {} };
  }
  const fields = SUMMED[kind];
  if (!fields) return undefined;
  const status: Status = {};
  for (const f of fields) {
    const total = members.reduce((sum, m) => sum + num(m?.status?.[f]), 0);
    if (total > 0 || f === 'replicas') status[f] = total;
  }
  const allObserved = members.every(
    (m) => m !== undefined && num(m.status?.['observedGeneration']) >= num(m.metadata.generation),
  );
  if (allObserved && members.length > 0) status['observedGeneration'] = template.metadata.generation ?? 0;
  else if (template.status?.['observedGeneration'] !== undefined)
    status['observedGeneration'] = template.status['observedGeneration'];
  if (kind === 'Job' && members.length > 0 && members.every((m) => conditionTrue(m?.status, 'Complete')))
    status['conditions'] = [{ type: 'Complete', status: 'True' }];
  return status;
}
