/**
 * StatefulSet pod identity (kube `stateful_set_utils.go`): stable names `<set>-<ordinal>`, the
 * identity labels, hostname and subdomain, one PersistentVolumeClaim per claim template and
 * ordinal, and the health predicates the ordered policies wait on. Pure functions.
 */
import type { JsonObject, KubeObject } from '../../../api/meta.js';
import type { LabelSelectorObject } from '../../../api/labels/selector-object.js';
import { controllerRefTo, isPodAvailable, isPodReady, podFromTemplate } from '../revisions/workload-pods.js';
import type { Pod, PodTemplate } from '../revisions/workload-pods.js';

/** apps/v1 StatefulSet as the controller reads it. */
export interface StatefulSet extends KubeObject {
  spec: {
    replicas?: number;
    selector?: LabelSelectorObject;
    template: PodTemplate;
    serviceName?: string;
    podManagementPolicy?: string;
    updateStrategy?: {
      type?: string;
      rollingUpdate?: { partition?: number; maxUnavailable?: number | string };
    };
    revisionHistoryLimit?: number;
    volumeClaimTemplates?: ClaimTemplate[];
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
    ordinals?: { start?: number };
    minReadySeconds?: number;
  };
  status?: StatefulSetStatus;
}

/** One `spec.volumeClaimTemplates` entry. */
export interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: JsonObject;
}

/** apps/v1 StatefulSetStatus. */
export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  availableReplicas: number;
  conditions?: JsonObject[];
}

export const STATEFULSET_KIND = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const;
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

const ORDINAL = /^(.*)-([0-9]+)$/;

/** The ordinal of `pod` in the set named `setName`, or -1 when the name does not fit. */
export function ordinalOf(pod: KubeObject, setName: string): number {
  const m = ORDINAL.exec(pod.metadata.name ?? '');
  if (!m || m[1] !== setName) return -1;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) && n <= 2 ** 31 - 1 ? n : -1;
}

/** `spec.ordinals.start` (0 when unset). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

/** `spec.replicas` (1 when unset, the API default). */
export function desiredReplicas(set: StatefulSet): number {
  return set.spec.replicas ?? 1;
}

/** `<set>-<ordinal>`. */
export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name ?? ''}-${ordinal}`;
}

/** `<claim>-<set>-<ordinal>`, the PVC of one claim template for one ordinal. */
export function claimName(claim: ClaimTemplate, set: StatefulSet, ordinal: number): string {
  return `${claim.metadata?.name ?? ''}-${set.metadata.name ?? ''}-${ordinal}`;
}

/** The revision a pod was created from (its `controller-revision-hash` label). */
export function podRevision(pod: KubeObject): string {
  return pod.metadata.labels?.[REVISION_LABEL] ?? '';
}

/**
 * A new pod for `ordinal` from `template` at revision `revisionName` (newStatefulSetPod):
 * template labels plus the identity and revision labels, hostname = pod name, subdomain = the
 * governing service, and one volume per claim template bound to that ordinal's PVC.
 */
export function newStatefulPod(
  set: StatefulSet,
  ordinal: number,
  at: { template: PodTemplate; revisionName: string },
): Pod {
  const pod = podFromTemplate(at.template, controllerRefTo(set, STATEFULSET_KIND));
  const name = podName(set, ordinal);
  pod.metadata.name = name;
  pod.metadata.namespace = set.metadata.namespace ?? 'default';
  pod.metadata.labels = {
    ...(pod.metadata.labels ?? {}),
    [POD_NAME_LABEL]: name,
    [POD_INDEX_LABEL]: String(ordinal),
    [REVISION_LABEL]: at.revisionName,
  };
  const spec = pod.spec ?? {};
  spec.hostname = name;
  if ((set.spec.serviceName ?? '') !== '') spec['subdomain'] = set.spec.serviceName ?? '';
  const templates = set.spec.volumeClaimTemplates ?? [];
  if (templates.length > 0) {
    const claimed = new Set(templates.map((c) => c.metadata?.name ?? ''));
    const own = (Array.isArray(spec['volumes']) ? spec['volumes'] : []) as JsonObject[];
    spec['volumes'] = [
      ...templates.map((c) => ({
        name: c.metadata?.name ?? '',
        persistentVolumeClaim: { claimName: claimName(c, set, ordinal) },
      })),
      ...own.filter((v) => typeof v['name'] !== 'string' || !claimed.has(v['name'])),
    ];
  }
  pod.spec = spec;
  return pod;
}

/** True when the pod's identity labels match its ordinal (identityMatches). */
export function identityMatches(set: StatefulSet, pod: Pod, ordinal: number): boolean {
  const labels = pod.metadata.labels ?? {};
  return labels[POD_NAME_LABEL] === podName(set, ordinal) && labels[POD_INDEX_LABEL] === String(ordinal);
}

/** Phase Running and Ready (isRunningAndReady). */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** Running and Ready for `minReadySeconds` (isRunningAndAvailable). */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  return pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, nowMs);
}

/** Has a deletionTimestamp. */
export function isTerminating(pod: KubeObject): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** Running, Ready and not terminating (isHealthy). */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}
