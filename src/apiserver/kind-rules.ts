/**
 * Per-kind validation and defaulting that schemas cannot express (kube's pkg/apis/<group>/validation
 * and per-kind PrepareForCreate), for the built-in kinds whose rules clients notice.
 */
import type { KubeObject } from '../api/meta.js';
import type { FieldIssue } from '../api/status.js';
import { validateCustomResourceDefinition } from '../api/schema/crd-validation.js';
import { crdDefaults } from '../api/schema/crd-defaults.js';
import type { JsonObject } from '../api/meta.js';

type Validator = (obj: KubeObject, old: KubeObject | undefined) => FieldIssue[];

function spec(obj: KubeObject): Record<string, unknown> {
  const s = obj['spec'];
  return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : {};
}

function nonNegative(path: string, value: unknown): FieldIssue[] {
  if (typeof value === 'number' && value < 0) {
    return [{ field: path, type: 'FieldValueInvalid', value, detail: 'must be greater than or equal to 0' }];
  }
  return [];
}

function selectorMatchesTemplate(obj: KubeObject): FieldIssue[] {
  const s = spec(obj);
  const selector = s['selector'] as { matchLabels?: Record<string, string> } | undefined;
  if (selector === undefined || selector === null) {
    return [{ field: 'spec.selector', type: 'FieldValueRequired', detail: '' }];
  }
  const template = s['template'] as { metadata?: { labels?: Record<string, string> } } | undefined;
  const labels = template?.metadata?.labels ?? {};
  const matchLabels = selector.matchLabels ?? {};
  const mismatch = Object.entries(matchLabels).some(([k, v]) => labels[k] !== v);
  if (mismatch) {
    return [
      {
        field: 'spec.template.metadata.labels',
        type: 'FieldValueInvalid',
        value: labels,
        detail: '`selector` does not match template `labels`',
      },
    ];
  }
  return [];
}

const replicated: Validator = (obj) => [
  ...nonNegative('spec.replicas', spec(obj)['replicas']),
  ...selectorMatchesTemplate(obj),
];

/** Extra validators keyed by `<group>/<Kind>`. */
export const kindValidators: Readonly<Record<string, Validator>> = {
  'apps/Deployment': replicated,
  'apps/ReplicaSet': replicated,
  'apps/StatefulSet': replicated,
  'apps/DaemonSet': (obj) => selectorMatchesTemplate(obj),
  'apiextensions.k8s.io/CustomResourceDefinition': (obj, old) =>
    validateCustomResourceDefinition(obj as unknown as JsonObject, old as unknown as JsonObject | undefined),
};

/** Defaults applied on create, keyed by `<group>/<Kind>`. */
export const createDefaults: Readonly<Record<string, (obj: KubeObject) => void>> = {
  'apiextensions.k8s.io/CustomResourceDefinition': (obj) => {
    crdDefaults(obj as unknown as JsonObject);
    const finalizers = obj.metadata.finalizers ?? [];
    if (!finalizers.includes('customresourcecleanup.apiextensions.k8s.io')) {
      obj.metadata.finalizers = [...finalizers, 'customresourcecleanup.apiextensions.k8s.io'];
    }
  },
  '/Namespace': (obj) => {
    obj['spec'] = { finalizers: ['kubernetes'] };
    obj['status'] = { phase: 'Active' };
  },
};

/**
 * Kind-specific holds on deletion beyond metadata.finalizers: a Namespace stays until its
 * `spec.finalizers` are emptied through `/finalize` (by the namespace controller).
 */
export const deletionHolds: Readonly<Record<string, (obj: KubeObject) => boolean>> = {
  '/Namespace': (obj) =>
    ((obj['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0,
};
