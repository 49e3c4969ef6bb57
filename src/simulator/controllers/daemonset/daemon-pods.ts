/**
 * DaemonSet pods (kube `pkg/controller/daemon/util`): the template with the automatic
 * tolerations every daemon pod gets, pinned to one node through required node affinity
 * `matchFields metadata.name In [<node>]` (the default scheduler then binds it), labelled with
 * the revision hash and the template generation.
 */
import type { JsonObject, KubeObject } from '../../../api/meta.js';
import type { LabelSelectorObject } from '../../../api/labels/selector-object.js';
import { controllerRefTo, podFromTemplate } from '../revisions/workload-pods.js';
import type { Pod, PodTemplate } from '../revisions/workload-pods.js';
import type { Toleration } from './node-fit.js';
import { cloneJson } from '../../../base/json-clone.js';

/** apps/v1 DaemonSet as the controller reads it. */
export interface DaemonSet extends KubeObject {
  spec: {
    selector?: LabelSelectorObject;
    template: PodTemplate;
    updateStrategy?: {
      type?: string;
      rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string };
    };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: DaemonSetStatus;
}

/** apps/v1 DaemonSetStatus. */
export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: JsonObject[];
}

export const DAEMONSET_KIND = { apiVersion: 'apps/v1', kind: 'DaemonSet' } as const;
/** Label (on pods and revisions) naming the revision hash. */
export const REVISION_LABEL = 'controller-revision-hash';
/** Label on pods naming the template generation they were made from. */
export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** Annotation on the DaemonSet holding its template generation (apps/v1 conversion of templateGeneration). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The tolerations every DaemonSet pod gets (AddOrUpdateDaemonPodTolerations), in kube's order. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const list: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork)
    list.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return list;
}

/**
 * A copy of the pod spec with the daemon tolerations added; a toleration with the same key,
 * operator, value and effect is replaced (AddOrUpdateTolerationInPodSpec), so a daemon pod
 * tolerates an unreachable node forever whatever `tolerationSeconds` the template said.
 */
export function withDaemonTolerations(spec: JsonObject): JsonObject {
  const out = cloneJson(spec);
  const tolerations = [...((out['tolerations'] ?? []) as Toleration[])];
  for (const t of daemonTolerations(out['hostNetwork'] === true)) {
    const i = tolerations.findIndex(
      (x) =>
        x.key === t.key &&
        (x.operator ?? 'Equal') === t.operator &&
        (x.value ?? '') === '' &&
        x.effect === t.effect,
    );
    if (i >= 0) tolerations[i] = t;
    else tolerations.push(t);
  }
  out['tolerations'] = tolerations as unknown as JsonObject[];
  return out;
}

/** The template generation of `ds`: its annotation, else its metadata.generation. */
export function templateGeneration(ds: DaemonSet): string | undefined {
  const annotated = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (annotated !== undefined && /^\d+$/.test(annotated)) return annotated;
  return ds.metadata.generation === undefined ? undefined : String(ds.metadata.generation);
}

/** A new daemon pod for `nodeName` at revision `hash` (syncNodes). */
export function newDaemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const pod = podFromTemplate(ds.spec.template, controllerRefTo(ds, DAEMONSET_KIND));
  pod.metadata.namespace = ds.metadata.namespace ?? 'default';
  const generation = templateGeneration(ds);
  pod.metadata.labels = {
    ...(pod.metadata.labels ?? {}),
    ...(generation !== undefined ? { [TEMPLATE_GENERATION_LABEL]: generation } : {}),
    [REVISION_LABEL]: hash,
  };
  const spec = withDaemonTolerations(pod.spec ?? {});
  const affinity = (spec['affinity'] ?? {}) as JsonObject;
  const nodeAffinity = (affinity['nodeAffinity'] ?? {}) as JsonObject;
  // ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become exactly this node.
  nodeAffinity['requiredDuringSchedulingIgnoredDuringExecution'] = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  affinity['nodeAffinity'] = nodeAffinity;
  spec['affinity'] = affinity;
  pod.spec = spec;
  return pod;
}

/** The node a daemon pod is for: its nodeName, else its `metadata.name In [x]` affinity (GetTargetNodeName). */
export function targetNodeOf(pod: Pod): string | undefined {
  const spec = pod.spec ?? {};
  if ((spec.nodeName ?? '') !== '') return spec.nodeName;
  const affinity = spec['affinity'] as
    | {
        nodeAffinity?: {
          requiredDuringSchedulingIgnoredDuringExecution?: {
            nodeSelectorTerms?: { matchFields?: { key: string; operator: string; values?: string[] }[] }[];
          };
        };
      }
    | undefined;
  for (const term of affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? [])
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** The pod runs the DaemonSet's current template (util.IsPodUpdated: hash or generation matches). */
export function isPodUpdated(pod: Pod, at: { hash: string; generation: string | undefined }): boolean {
  const labels = pod.metadata.labels ?? {};
  const byGeneration = at.generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === at.generation;
  return (at.hash !== '' && labels[REVISION_LABEL] === at.hash) || byGeneration;
}
