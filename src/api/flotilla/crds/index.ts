/**
 * Flotilla's kinds as the hub serves them (../shared/spec/API.md): CustomResourceDefinition-shaped
 * definitions (names, scope, schema, status subresource, printer columns) and the cross-field
 * validation their schemas cannot express. The hub compiles them in; they cannot be deleted.
 */
import type { JsonObject, KubeObject } from '../../meta.js';
import type { FieldIssue } from '../../status.js';
import { validatePropagationSpec } from '../policy-validation.js';
import type { PropagationSpec } from '../policy.js';
import { bindingSchema, clusterSchema, priorityClassSchema, workSchema } from './other-schemas.js';
import { clusterTaintPolicySchema, overridePolicySchema, propagationPolicySchema } from './policy-schemas.js';
import { validateClusterTaintPolicy } from '../cluster-taint-policy.js';
import type { Schema } from './schema.js';

interface KindDefinition {
  group: string;
  /** Default v1alpha1. */
  version?: string;
  kind: string;
  plural: string;
  shortNames: string[];
  namespaced: boolean;
  schema: Schema;
  /** Default true. */
  statusSubresource?: boolean;
  columns?: { name: string; type: string; jsonPath: string; priority?: number; description?: string }[];
}

const AGE = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const POLICY_COLUMNS = [
  { name: 'Conflict-Resolution', type: 'string', jsonPath: '.spec.conflictResolution' },
  { name: 'Priority', type: 'integer', jsonPath: '.spec.priority' },
  AGE,
];

const KINDS: KindDefinition[] = [
  {
    group: 'cluster.flotilla.io',
    kind: 'Cluster',
    plural: 'clusters',
    shortNames: [],
    namespaced: false,
    schema: clusterSchema,
  },
  {
    group: 'policy.flotilla.io',
    kind: 'PropagationPolicy',
    plural: 'propagationpolicies',
    shortNames: ['pp'],
    namespaced: true,
    schema: propagationPolicySchema,
    columns: POLICY_COLUMNS,
  },
  {
    group: 'policy.flotilla.io',
    kind: 'ClusterPropagationPolicy',
    plural: 'clusterpropagationpolicies',
    shortNames: ['cpp'],
    namespaced: false,
    schema: propagationPolicySchema,
    columns: POLICY_COLUMNS,
  },
  {
    group: 'policy.flotilla.io',
    kind: 'OverridePolicy',
    plural: 'overridepolicies',
    shortNames: ['op'],
    namespaced: true,
    schema: overridePolicySchema,
    columns: [AGE],
  },
  {
    group: 'policy.flotilla.io',
    kind: 'ClusterOverridePolicy',
    plural: 'clusteroverridepolicies',
    shortNames: ['cop'],
    namespaced: false,
    schema: overridePolicySchema,
    columns: [AGE],
  },
  {
    group: 'policy.flotilla.io',
    kind: 'ClusterTaintPolicy',
    plural: 'clustertaintpolicies',
    shortNames: ['ctp'],
    namespaced: false,
    schema: clusterTaintPolicySchema,
    statusSubresource: false,
    columns: [{ name: 'Taints', type: 'string', jsonPath: '.spec.taints[*].key' }, AGE],
  },
  {
    group: 'work.flotilla.io',
    kind: 'ResourceBinding',
    plural: 'resourcebindings',
    shortNames: ['rb'],
    namespaced: true,
    schema: bindingSchema,
  },
  {
    group: 'work.flotilla.io',
    kind: 'ClusterResourceBinding',
    plural: 'clusterresourcebindings',
    shortNames: ['crb'],
    namespaced: false,
    schema: bindingSchema,
  },
  {
    group: 'work.flotilla.io',
    kind: 'Work',
    plural: 'works',
    shortNames: [],
    namespaced: true,
    schema: workSchema,
    columns: [
      { name: 'Workload-Kind', type: 'string', jsonPath: '.spec.workload.manifests[0].kind' },
      { name: 'Applied', type: 'string', jsonPath: '.status.conditions[?(@.type=="Applied")].status' },
      AGE,
    ],
  },
  {
    // Kubernetes' own kind, served so that policies can take bindings' priority from it.
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    shortNames: ['pc'],
    namespaced: false,
    schema: priorityClassSchema,
    statusSubresource: false,
    columns: [
      { name: 'Value', type: 'integer', jsonPath: '.value' },
      { name: 'Global-Default', type: 'boolean', jsonPath: '.globalDefault' },
      AGE,
      { name: 'PreemptionPolicy', type: 'string', jsonPath: '.preemptionPolicy', priority: 1 },
    ],
  },
];

/** The CustomResourceDefinition-shaped definitions of Flotilla's kinds (v1alpha1). */
export function flotillaCrds(): JsonObject[] {
  return KINDS.map((k) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${k.plural}.${k.group}` },
    spec: {
      group: k.group,
      scope: k.namespaced ? 'Namespaced' : 'Cluster',
      names: {
        plural: k.plural,
        singular: k.kind.toLowerCase(),
        kind: k.kind,
        listKind: `${k.kind}List`,
        shortNames: k.shortNames,
        ...(k.group.endsWith('.flotilla.io') ? { categories: ['flotilla'] } : {}),
      },
      versions: [
        {
          name: k.version ?? 'v1alpha1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: k.schema },
          ...(k.statusSubresource === false ? {} : { subresources: { status: {} } }),
          ...(k.columns ? { additionalPrinterColumns: k.columns } : {}),
        },
      ],
    },
  }));
}

const policy = (obj: KubeObject): FieldIssue[] =>
  validatePropagationSpec((obj['spec'] ?? {}) as PropagationSpec);

/** Cross-field validation by `<group>/<Kind>`. */
export const FLOTILLA_VALIDATORS: Readonly<
  Record<string, (obj: KubeObject, old: KubeObject | undefined) => FieldIssue[]>
> = {
  'policy.flotilla.io/PropagationPolicy': policy,
  'policy.flotilla.io/ClusterPropagationPolicy': policy,
  'policy.flotilla.io/ClusterTaintPolicy': validateClusterTaintPolicy,
};
