/**
 * The PersistentVolumeClaims of a StatefulSet pod (kube `stateful_pod_control.go`): one per
 * `volumeClaimTemplates` entry, named `<claim>-<set>-<ordinal>`, labelled with the template's
 * labels plus the set's `matchLabels`, created before the pod and never deleted by this
 * controller. `persistentVolumeClaimRetentionPolicy` is expressed through ownerReferences the
 * garbage collector acts on: `whenDeleted: Delete` makes the set own the claims of in-range
 * pods, `whenScaled: Delete` makes a scaled-down pod own its claims.
 */
import type { KubeObject, OwnerReference } from '../../../api/meta.js';
import type { ResourceRef } from '../../../client/resource-path.js';
import { controllerRefTo } from '../revisions/workload-pods.js';
import type { Pod } from '../revisions/workload-pods.js';
import { STATEFULSET_KIND, claimName, desiredReplicas, startOrdinal } from './stateful-pods.js';
import type { ClaimTemplate, StatefulSet } from './stateful-pods.js';
import { cloneJson } from '../../../base/json-clone.js';

/** v1 PersistentVolumeClaims of every namespace. */
export const CLAIMS: ResourceRef = { apiVersion: 'v1', plural: 'persistentvolumeclaims' };

const POD_KIND = { apiVersion: 'v1', kind: 'Pod' } as const;

/** The claim `template` asks for at `ordinal` (getPersistentVolumeClaims). */
export function newClaim(set: StatefulSet, template: ClaimTemplate, ordinal: number): KubeObject {
  const meta = template.metadata ?? {};
  const labels = { ...(meta.labels ?? {}), ...(set.spec.selector?.matchLabels ?? {}) };
  const claim: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claimName(template, set, ordinal), namespace: set.metadata.namespace ?? 'default' },
    spec: cloneJson(template.spec ?? {}),
  };
  if (Object.keys(labels).length > 0) claim.metadata.labels = labels;
  if (meta.annotations) claim.metadata.annotations = { ...meta.annotations };
  const refs = retentionRefs(set, undefined, ordinal);
  if (refs.length > 0) claim.metadata.ownerReferences = refs;
  return claim;
}

/** True unless both retention policies are Retain (then claim owners are never touched). */
export function managesClaimOwners(set: StatefulSet): boolean {
  const p = set.spec.persistentVolumeClaimRetentionPolicy;
  return (p?.whenDeleted ?? 'Retain') === 'Delete' || (p?.whenScaled ?? 'Retain') === 'Delete';
}

/**
 * The ownerReferences to the set and the pod a claim of `ordinal` should carry under the
 * retention policy (updateClaimOwnerRefForSetAndPod); `pod` is undefined before it exists.
 */
export function retentionRefs(set: StatefulSet, pod: Pod | undefined, ordinal: number): OwnerReference[] {
  const p = set.spec.persistentVolumeClaimRetentionPolicy;
  const start = startOrdinal(set);
  const scaledDown = ordinal < start || ordinal >= start + desiredReplicas(set);
  const refs: OwnerReference[] = [];
  if ((p?.whenDeleted ?? 'Retain') === 'Delete' && !scaledDown)
    refs.push(controllerRefTo(set, STATEFULSET_KIND));
  if ((p?.whenScaled ?? 'Retain') === 'Delete' && scaledDown && pod?.metadata.uid !== undefined)
    refs.push(controllerRefTo(pod, POD_KIND));
  return refs;
}

/**
 * `claim` with its references to the set and pod replaced by the policy's (others kept), or
 * undefined when they already agree (isClaimOwnerUpToDate).
 */
export function claimWithRetention(
  claim: KubeObject,
  set: StatefulSet,
  at: { pod: Pod; ordinal: number },
): KubeObject | undefined {
  const ours = (r: OwnerReference): boolean =>
    (r.kind === STATEFULSET_KIND.kind && r.name === set.metadata.name) ||
    (r.kind === POD_KIND.kind && r.name === at.pod.metadata.name);
  const current = claim.metadata.ownerReferences ?? [];
  const wanted = retentionRefs(set, at.pod, at.ordinal);
  const have = current.filter(ours).map((r) => r.uid);
  if (have.length === wanted.length && wanted.every((r) => have.includes(r.uid))) return undefined;
  const next = cloneJson(claim);
  const refs = [...current.filter((r) => !ours(r)), ...wanted];
  if (refs.length > 0) next.metadata.ownerReferences = refs;
  else delete next.metadata.ownerReferences;
  return next;
}
