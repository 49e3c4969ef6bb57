/**
 * Jobs and their pods (kube `pkg/controller/job`, `pkg/apis/batch`): the wire shapes, the
 * completion index of Indexed jobs, the pods the controller creates (tracking finalizer, index
 * annotation, label, env var and hostname), and the facts the sync reads off pods.
 */
import type { JsonObject, KubeObject } from '../../../api/meta.js';
import type { LabelSelectorObject } from '../../../api/labels/selector-object.js';
import { controllerRefTo, isPodReady, podFromTemplate, timeOf } from '../revisions/workload-pods.js';
import type { Pod, PodTemplate } from '../revisions/workload-pods.js';

/** batch/v1 Job as the controller reads it. */
export interface Job extends KubeObject {
  spec: {
    parallelism?: number;
    completions?: number;
    completionMode?: string;
    backoffLimit?: number;
    activeDeadlineSeconds?: number;
    suspend?: boolean;
    ttlSecondsAfterFinished?: number;
    selector?: LabelSelectorObject;
    template: PodTemplate;
  };
  status?: JobStatus;
}

/** batch/v1 JobCondition. */
export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** batch/v1 JobStatus. */
export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  ready?: number;
}

export const JOB_KIND = { apiVersion: 'batch/v1', kind: 'Job' } as const;
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
const MAX_GENERATED_NAME = 58;

/** True for `completionMode: Indexed`. */
export function isIndexed(job: Job): boolean {
  return job.spec.completionMode === 'Indexed';
}

/** The completion index of a pod (annotation), or -1 when absent or invalid. */
export function completionIndexOf(pod: KubeObject): number {
  const text = pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (text === undefined || !/^\d+$/.test(text)) return -1;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : -1;
}

/** The job's condition of `type`, if any. */
export function conditionOf(job: Job, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

/** Complete or Failed is True (IsJobFinished). */
export function isFinished(job: Job): boolean {
  return (job.status?.conditions ?? []).some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

/** The time the job finished (its Complete/Failed condition's transition), in ms. */
export function finishedAt(job: Job): number {
  const c = (job.status?.conditions ?? []).find(
    (x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True',
  );
  return timeOf(c?.lastTransitionTime);
}

/** `<job>-<index>-`, shortened to fit a generated name (podGenerateNameWithIndex). */
export function indexedGenerateName(jobName: string, index: number): string {
  const appendix = `-${index}-`;
  const prefix = `${jobName}${appendix}`;
  return prefix.length > MAX_GENERATED_NAME
    ? `${jobName.slice(0, MAX_GENERATED_NAME - appendix.length)}${appendix}`
    : prefix;
}

/**
 * A pod for `job` (manageJob): the template with the tracking finalizer, the job's selector
 * labels (when the API server did not put them in the template), and for an Indexed job the
 * completion index as annotation, label, `JOB_COMPLETION_INDEX` env var and hostname
 * `<job>-<index>`, generateName `<job>-<index>-`.
 */
export function newJobPod(job: Job, index: number | undefined): Pod {
  const pod = podFromTemplate(job.spec.template, controllerRefTo(job, JOB_KIND));
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  pod.metadata.namespace = job.metadata.namespace ?? 'default';
  pod.metadata.labels = {
    [CONTROLLER_UID_LABEL]: uid,
    [JOB_NAME_LABEL]: name,
    [LEGACY_CONTROLLER_UID_LABEL]: uid,
    [LEGACY_JOB_NAME_LABEL]: name,
    ...(pod.metadata.labels ?? {}),
  };
  const finalizers = pod.metadata.finalizers ?? [];
  if (!finalizers.includes(TRACKING_FINALIZER)) pod.metadata.finalizers = [...finalizers, TRACKING_FINALIZER];
  if (index === undefined) return pod;
  const spec = pod.spec ?? {};
  for (const list of ['initContainers', 'containers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (const c of containers as JsonObject[]) {
      const env = (Array.isArray(c['env']) ? c['env'] : []) as JsonObject[];
      if (env.some((e) => e['name'] === COMPLETION_INDEX_ENV)) continue;
      c['env'] = [
        ...env,
        {
          name: COMPLETION_INDEX_ENV,
          valueFrom: {
            fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']` },
          },
        },
      ];
    }
  }
  pod.metadata.annotations = {
    ...(pod.metadata.annotations ?? {}),
    [COMPLETION_INDEX_ANNOTATION]: String(index),
  };
  pod.metadata.labels[COMPLETION_INDEX_ANNOTATION] = String(index);
  pod.metadata.generateName = indexedGenerateName(name, index);
  spec.hostname = `${name}-${index}`;
  pod.spec = spec;
  return pod;
}

/** The pod still carries the job-tracking finalizer (it is not counted yet). */
export function hasTrackingFinalizer(pod: KubeObject): boolean {
  return (pod.metadata.finalizers ?? []).includes(TRACKING_FINALIZER);
}

/** Failed, or deleted before it succeeded (isPodFailed without a pod replacement policy of Failed). */
export function isPodFailed(pod: Pod): boolean {
  if (pod.status?.phase === 'Failed') return true;
  return pod.metadata.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded';
}

/** When a finished pod finished (getFinishedTime): containers, else Ready=False, else deletion, else creation. */
export function podFinishedAt(pod: Pod): number {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest = Number.NaN;
  for (const s of statuses) {
    const t = timeOf(s.state?.terminated?.finishedAt);
    if (Number.isNaN(t)) {
      latest = Number.NaN;
      break;
    }
    latest = Number.isNaN(latest) ? t : Math.max(latest, t);
  }
  if (statuses.length > 0 && !Number.isNaN(latest)) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && !Number.isNaN(timeOf(ready.lastTransitionTime)))
    return timeOf(ready.lastTransitionTime);
  if (pod.metadata.deletionTimestamp !== undefined)
    return timeOf(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return timeOf(pod.metadata.creationTimestamp);
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Active pods in the order they should go when there are too many (controller.ActivePods):
 * unscheduled before scheduled, pending before running, not ready before ready, newer first.
 */
export function byRemovalPreference(a: Pod, b: Pod): number {
  const scheduled = (p: Pod): number => ((p.spec?.nodeName ?? '') === '' ? 0 : 1);
  const phase = (p: Pod): number => PHASE_RANK[p.status?.phase ?? 'Pending'] ?? 0;
  const ready = (p: Pod): number => (isPodReady(p) ? 1 : 0);
  return (
    scheduled(a) - scheduled(b) ||
    phase(a) - phase(b) ||
    ready(a) - ready(b) ||
    timeOf(b.metadata.creationTimestamp) - timeOf(a.metadata.creationTimestamp) ||
    0
  );
}
