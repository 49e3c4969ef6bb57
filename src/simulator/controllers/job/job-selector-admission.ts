/**
 * What kube-apiserver's Job strategy does on create unless `spec.manualSelector` is true
 * (`generateSelector`): label the pod template with `batch.kubernetes.io/controller-uid`,
 * `batch.kubernetes.io/job-name`, `controller-uid` and `job-name` (labels the user set are
 * kept), and select on `batch.kubernetes.io/controller-uid: <uid>`. A member cluster's API
 * server runs this as mutating admission (the uid is known by then).
 */
import type { AdmissionPlugin } from '../../../apiserver/admission.js';
import {
  CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  LEGACY_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
} from './job-pods.js';

interface JobShape {
  manualSelector?: boolean;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: { metadata?: { labels?: Record<string, string> } };
}

/** Generates the selector and template labels of new batch/v1 Jobs. */
export const jobSelectorGeneration: AdmissionPlugin = {
  name: 'JobSelectorGeneration',
  handles: (info) => info.group === 'batch' && info.kind === 'Job',
  admit({ operation, object }) {
    if (operation !== 'CREATE') return;
    const spec = (object['spec'] ?? {}) as JobShape;
    if (spec.manualSelector === true) return;
    const name = object.metadata.name ?? '';
    const uid = object.metadata.uid ?? '';
    const template = (spec.template ??= {});
    const meta = (template.metadata ??= {});
    const labels = { ...(meta.labels ?? {}) };
    for (const [key, value] of [
      [CONTROLLER_UID_LABEL, uid],
      [JOB_NAME_LABEL, name],
      [LEGACY_CONTROLLER_UID_LABEL, uid],
      [LEGACY_JOB_NAME_LABEL, name],
    ] as const)
      if (!Object.hasOwn(labels, key)) labels[key] = value;
    meta.labels = labels;
    const selector = (spec.selector ??= {});
    const matchLabels = (selector.matchLabels ??= {});
    if (!Object.hasOwn(matchLabels, CONTROLLER_UID_LABEL)) matchLabels[CONTROLLER_UID_LABEL] = uid;
    object['spec'] = spec;
  },
};
