/**
 * Pod facts and builders the StatefulSet, DaemonSet and Job controllers share, after kube's
 * `pkg/api/v1/pod` (IsPodReady, IsPodAvailable) and `pkg/controller` (GetPodFromTemplate,
 * NewControllerRef). Pure functions over wire JSON; nothing here mutates its inputs.
 */
import type { JsonObject, KubeObject, OwnerReference } from '../../../api/meta.js';
import type { IndexFunc } from '../../../client/informer.js';
import type { ResourceRef } from '../../../client/resource-path.js';
import { cloneJson } from '../../../base/json-clone.js';

/** The pod collection of every namespace (the shared informer all controllers of a cluster use). */
export const PODS: ResourceRef = { apiVersion: 'v1', plural: 'pods' };

/** One entry of `status.conditions` of a pod. */
export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The parts of a pod the controllers read. */
export interface Pod extends KubeObject {
  spec?: JsonObject & { nodeName?: string; hostname?: string; subdomain?: string };
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: { restartCount?: number; state?: { terminated?: { finishedAt?: string } } }[];
  };
}

/** A pod template (`spec.template` of a workload). */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  spec?: JsonObject;
}

/** True when the pod's Ready condition is True (podutil.IsPodReady). */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** The pod's Ready condition, if any. */
export function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/**
 * Milliseconds until a Ready pod has been Ready for `minReadySeconds` (0 = available now);
 * undefined when the pod is not Ready (podutil.IsPodAvailable).
 */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, nowMs: number): number | undefined {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return undefined;
  if (minReadySeconds <= 0) return 0;
  const since = ready.lastTransitionTime === undefined ? Number.NaN : Date.parse(ready.lastTransitionTime);
  if (Number.isNaN(since)) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - nowMs);
}

/** True when the pod has been Ready for at least `minReadySeconds`. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  return msUntilAvailable(pod, minReadySeconds, nowMs) === 0;
}

/** True for pods whose phase is Succeeded or Failed. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The controller ownerReference of `obj`, if any (metav1.GetControllerOf). */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** A controller ownerReference to `owner` (metav1.NewControllerRef). */
export function controllerRefTo(
  owner: KubeObject,
  kind: { apiVersion: string; kind: string },
): OwnerReference {
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * An informer index of objects by the uid of their controller, only for controllers of `kind`
 * (so each controller indexes just its own pods).
 */
export function controllerUidIndex(kind: string): IndexFunc<KubeObject> {
  return (obj) => {
    const ref = controllerRefOf(obj);
    return ref?.kind === kind ? [ref.uid] : [];
  };
}

/**
 * The informer key (`namespace/name`) of the controller of `kind` that owns `obj`, if any: how an
 * event on a pod becomes work for its owner.
 */
export function ownerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerRefOf(obj);
  if (ref?.kind !== kind) return undefined;
  return `${obj.metadata.namespace ?? ''}/${ref.name}`;
}

/**
 * A pod from `template` owned by `ownerRef` (controller.GetPodFromTemplate): the template's
 * labels, annotations, finalizers and spec, `generateName` `<owner>-`.
 */
export function podFromTemplate(template: PodTemplate, ownerRef: OwnerReference): Pod {
  const meta = template.metadata ?? {};
  const metadata: KubeObject['metadata'] = { generateName: `${ownerRef.name}-` };
  if (meta.labels) metadata.labels = { ...meta.labels };
  if (meta.annotations) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) metadata.finalizers = [...meta.finalizers];
  metadata.ownerReferences = [{ ...ownerRef }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: cloneJson(template.spec ?? {}),
  };
}

/** Milliseconds since the epoch of an RFC 3339 timestamp (NaN when absent or invalid). */
export function timeOf(text: string | undefined): number {
  return text === undefined ? Number.NaN : Date.parse(text);
}
