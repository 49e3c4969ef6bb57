/**
 * A placement (policy.flotilla.io) in words for `flotilla describe binding`: which clusters it
 * allows, the taints it tolerates, how it spreads and how it divides replicas. Each function
 * answers `Field`s for describe-format.ts.
 */
import type {
  ClusterAffinity,
  FieldSelectorRequirement,
  Placement,
  ReplicaSchedulingStrategy,
  SpreadConstraint,
} from '../api/flotilla/policy.js';
import { formatLabelSelector } from '../api/labels/selector.js';
import { labelSelectorFromObject } from '../api/labels/selector-object.js';
import type { Toleration } from '../api/taints.js';
import type { Field } from './describe-format.js';

/** The placement's fields: cluster affinity (or affinities), tolerations, spread, replica scheduling. */
export function placementFields(placement: Placement | undefined): Field[] {
  const p = placement ?? {};
  const affinity: Field = p.clusterAffinities?.length
    ? ['Cluster Affinities', p.clusterAffinities.map((t) => `${t.affinityName}: ${affinityText(t)}`)]
    : ['Cluster Affinity', affinityText(p.clusterAffinity)];
  return [
    affinity,
    ['Tolerations', (p.clusterTolerations ?? []).map(tolerationText)],
    ['Spread', (p.spreadConstraints ?? []).map(spreadText)],
    ['Replica Scheduling', replicaSchedulingText(p.replicaScheduling)],
  ];
}

/** Which clusters `affinity` selects, e.g. `region in (us-east); not us-east-2`; `any cluster` when unset. */
export function affinityText(affinity: ClusterAffinity | undefined): string {
  if (!affinity) return 'any cluster';
  const parts: string[] = [];
  if (affinity.clusterNames?.length) parts.push(`clusters ${affinity.clusterNames.join(',')}`);
  if (affinity.exclude?.length) parts.push(`not ${affinity.exclude.join(',')}`);
  if (affinity.labelSelector) parts.push(`labels ${labelSelectorText(affinity.labelSelector)}`);
  for (const r of affinity.fieldSelector?.matchExpressions ?? []) parts.push(requirementText(r));
  return parts.length > 0 ? parts.join('; ') : 'any cluster';
}

function labelSelectorText(selector: NonNullable<ClusterAffinity['labelSelector']>): string {
  try {
    return formatLabelSelector(labelSelectorFromObject(selector)) || '(everything)';
  } catch {
    return JSON.stringify(selector); // an invalid selector is shown as it is
  }
}

function requirementText(r: FieldSelectorRequirement): string {
  return `${r.key} ${r.operator.toLowerCase()} (${(r.values ?? []).join(',')})`;
}

/** `key=value:Effect`, `key:Effect op=Exists`, `<all>` for an empty key; `for Ns` when bounded. */
export function tolerationText(t: Toleration): string {
  const exists = t.operator === 'Exists';
  const value = !exists && t.value ? `=${t.value}` : '';
  const effect = t.effect ? `:${t.effect}` : '';
  const op = exists ? ' op=Exists' : '';
  const seconds = t.tolerationSeconds === undefined ? '' : ` for ${t.tolerationSeconds}s`;
  return `${t.key || '<all>'}${value}${effect}${op}${seconds}`;
}

function spreadText(s: SpreadConstraint): string {
  const by = s.spreadByLabel ? `label ${s.spreadByLabel}` : (s.spreadByField ?? 'cluster');
  const bounds = [
    ...(s.minGroups !== undefined ? [`min ${s.minGroups}`] : []),
    ...(s.maxGroups !== undefined ? [`max ${s.maxGroups}`] : []),
  ];
  return `by ${by}${bounds.length > 0 ? ` (${bounds.join(', ')} groups)` : ''}`;
}

/**
 * How replicas are divided: `Duplicated` (also when unset), `Divided, Aggregated`, `Divided,
 * Weighted by available replicas`, `Divided, Weighted: region in (us-east)=2, …` or `Divided,
 * Weighted equally`.
 */
export function replicaSchedulingText(s: ReplicaSchedulingStrategy | undefined): string {
  if (s?.replicaSchedulingType !== 'Divided') return 'Duplicated';
  if (s.replicaDivisionPreference === 'Aggregated') return 'Divided, Aggregated';
  if (s.weightPreference?.dynamicWeight === 'AvailableReplicas')
    return 'Divided, Weighted by available replicas';
  const weights = s.weightPreference?.staticWeightList ?? [];
  if (weights.length === 0) return 'Divided, Weighted equally';
  return `Divided, Weighted: ${weights.map((w) => `${affinityText(w.targetCluster)}=${w.weight}`).join(', ')}`;
}
