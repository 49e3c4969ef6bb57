/**
 * What kube-apiserver's DaemonSet strategy does for `spec.templateGeneration`, which apps/v1
 * carries as the `deprecated.daemonset.template.generation` annotation: 1 on create, +1 on every
 * update that changes `spec.template`. The DaemonSet controller labels pods with it
 * (`pod-template-generation`). A member cluster's API server runs this as mutating admission.
 */
import { jsonEqual } from '../../../api/json-equal.js';
import type { JsonValue } from '../../../api/meta.js';
import type { AdmissionPlugin } from '../../../apiserver/admission.js';
import { TEMPLATE_GENERATION_ANNOTATION } from './daemon-pods.js';

function templateOf(obj: { [k: string]: unknown }): JsonValue {
  const spec = obj['spec'] as { template?: JsonValue } | undefined;
  return spec?.template ?? null;
}

/** Maintains the template-generation annotation of apps/v1 DaemonSets. */
export const daemonSetTemplateGeneration: AdmissionPlugin = {
  name: 'DaemonSetTemplateGeneration',
  handles: (info) => info.group === 'apps' && info.kind === 'DaemonSet',
  admit({ operation, object, old }) {
    let generation = 1;
    if (operation === 'UPDATE' && old) {
      const previous = Number(old.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '1');
      const base = Number.isSafeInteger(previous) && previous > 0 ? previous : 1;
      generation = jsonEqual(templateOf(old), templateOf(object)) ? base : base + 1;
    }
    object.metadata.annotations = {
      ...(object.metadata.annotations ?? {}),
      [TEMPLATE_GENERATION_ANNOTATION]: String(generation),
    };
  },
};
