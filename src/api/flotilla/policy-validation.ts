/**
 * Semantic validation of a PropagationSpec beyond its OpenAPI schema (Karmada's webhook rules
 * plus Flotilla's): field paths as kube-apiserver reports them. Used by the hub on writes and by
 * `flotilla explain` on its input files.
 */
import { validateLabelSelectorObject } from '../labels/selector-object.js';
import { isQualifiedName } from '../validation/names.js';
import type { FieldIssue } from '../status.js';
import type {
  ClusterAffinity,
  Placement,
  PropagationSpec,
  SchedulePriority,
  SpreadConstraint,
} from './policy.js';

const SPREAD_FIELDS = ['cluster', 'region', 'zone', 'provider'];
const FIELD_SELECTOR_KEYS = ['provider', 'region', 'zone'];

const notSupported = (field: string, value: unknown, supported: string[]): FieldIssue => ({
  field,
  type: 'FieldValueNotSupported',
  detail: '',
  value,
  supported,
});
const invalidValue = (field: string, value: unknown, detail: string): FieldIssue => ({
  field,
  type: 'FieldValueInvalid',
  value,
  detail,
});

/** Issues of `spec` (a PropagationPolicy's or ClusterPropagationPolicy's), at `path`. */
export function validatePropagationSpec(spec: PropagationSpec, path = 'spec'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const selectors = spec.resourceSelectors ?? [];
  if (selectors.length === 0)
    issues.push({
      field: `${path}.resourceSelectors`,
      type: 'FieldValueRequired',
      detail: 'at least one selector is required',
    });
  selectors.forEach((s, i) => {
    const at = `${path}.resourceSelectors[${i}]`;
    if (!s.apiVersion) issues.push({ field: `${at}.apiVersion`, type: 'FieldValueRequired', detail: '' });
    if (!s.kind) issues.push({ field: `${at}.kind`, type: 'FieldValueRequired', detail: '' });
    if (s.labelSelector) issues.push(...validateLabelSelectorObject(s.labelSelector, `${at}.labelSelector`));
  });
  if (spec.preemption !== undefined && !['Always', 'Never'].includes(spec.preemption))
    issues.push(notSupported(`${path}.preemption`, spec.preemption, ['Always', 'Never']));
  if (spec.conflictResolution !== undefined && !['Abort', 'Overwrite'].includes(spec.conflictResolution))
    issues.push(notSupported(`${path}.conflictResolution`, spec.conflictResolution, ['Abort', 'Overwrite']));
  if (spec.schedulePriority)
    issues.push(...validateSchedulePriority(spec.schedulePriority, `${path}.schedulePriority`));
  if (spec.placement) issues.push(...validatePlacement(spec.placement, `${path}.placement`));
  return issues;
}

function validateSchedulePriority(p: SchedulePriority, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (p.priorityClassSource !== undefined && p.priorityClassSource !== 'KubePriorityClass')
    issues.push(notSupported(`${path}.priorityClassSource`, p.priorityClassSource, ['KubePriorityClass']));
  if (p.priorityClassSource !== undefined && !p.priorityClassName)
    issues.push({ field: `${path}.priorityClassName`, type: 'FieldValueRequired', detail: '' });
  if (p.priorityClassName && p.priority !== undefined)
    issues.push({
      field: `${path}.priority`,
      type: 'FieldValueForbidden',
      detail: 'priority and priorityClassName cannot be set together',
    });
  const policies = ['PreemptLowerPriority', 'Never'];
  if (p.preemptionPolicy !== undefined && !policies.includes(p.preemptionPolicy))
    issues.push(notSupported(`${path}.preemptionPolicy`, p.preemptionPolicy, policies));
  return issues;
}

/** Issues of a placement at `path`. */
export function validatePlacement(placement: Placement, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (placement.clusterAffinity && placement.clusterAffinities)
    issues.push({
      field: `${path}.clusterAffinities`,
      type: 'FieldValueForbidden',
      detail: 'clusterAffinity and clusterAffinities cannot be set together',
    });
  if (placement.clusterAffinity)
    issues.push(...validateAffinity(placement.clusterAffinity, `${path}.clusterAffinity`));
  const names = new Set<string>();
  (placement.clusterAffinities ?? []).forEach((term, i) => {
    const at = `${path}.clusterAffinities[${i}]`;
    const name = term.affinityName ?? '';
    if (name === '') issues.push({ field: `${at}.affinityName`, type: 'FieldValueRequired', detail: '' });
    else if (name.length > 32)
      issues.push(invalidValue(`${at}.affinityName`, name, 'must be no more than 32 characters'));
    else if (names.has(name))
      issues.push({ field: `${at}.affinityName`, type: 'FieldValueDuplicate', detail: '', value: name });
    names.add(name);
    issues.push(...validateAffinity(term, at));
  });
  (placement.spreadConstraints ?? []).forEach((c, i) =>
    issues.push(...validateSpread(c, `${path}.spreadConstraints[${i}]`)),
  );
  for (const kind of ['affinity', 'antiAffinity'] as const) {
    const term = placement.workloadAffinity?.[kind];
    if (!term) continue;
    const at = `${path}.workloadAffinity.${kind}.groupByLabelKey`;
    const key = term.groupByLabelKey ?? '';
    if (!key) issues.push({ field: at, type: 'FieldValueRequired', detail: '' });
    else for (const detail of isQualifiedName(key)) issues.push(invalidValue(at, key, detail));
  }
  const rs = placement.replicaScheduling;
  if (rs) {
    const at = `${path}.replicaScheduling`;
    if (
      rs.replicaSchedulingType !== undefined &&
      !['Duplicated', 'Divided'].includes(rs.replicaSchedulingType)
    )
      issues.push(
        notSupported(`${at}.replicaSchedulingType`, rs.replicaSchedulingType, ['Duplicated', 'Divided']),
      );
    if (
      rs.replicaDivisionPreference !== undefined &&
      !['Aggregated', 'Weighted'].includes(rs.replicaDivisionPreference)
    )
      issues.push(
        notSupported(`${at}.replicaDivisionPreference`, rs.replicaDivisionPreference, [
          'Aggregated',
          'Weighted',
        ]),
      );
    const wp = rs.weightPreference;
    if (wp?.dynamicWeight !== undefined && wp.dynamicWeight !== 'AvailableReplicas')
      issues.push(
        notSupported(`${at}.weightPreference.dynamicWeight`, wp.dynamicWeight, ['AvailableReplicas']),
      );
    if (wp?.dynamicWeight !== undefined && (wp.staticWeightList ?? []).length > 0)
      issues.push({
        field: `${at}.weightPreference`,
        type: 'FieldValueForbidden',
        detail: 'staticWeightList and dynamicWeight are mutually exclusive',
      });
    (wp?.staticWeightList ?? []).forEach((w, i) => {
      const wat = `${at}.weightPreference.staticWeightList[${i}]`;
      if (typeof w.weight !== 'number' || !Number.isInteger(w.weight) || w.weight < 1)
        issues.push(invalidValue(`${wat}.weight`, w.weight, 'must be greater than or equal to 1'));
      issues.push(...validateAffinity(w.targetCluster ?? {}, `${wat}.targetCluster`));
    });
  }
  return issues;
}

function validateAffinity(affinity: ClusterAffinity, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (affinity.labelSelector)
    issues.push(...validateLabelSelectorObject(affinity.labelSelector, `${path}.labelSelector`));
  (affinity.fieldSelector?.matchExpressions ?? []).forEach((req, i) => {
    const at = `${path}.fieldSelector.matchExpressions[${i}]`;
    if (!FIELD_SELECTOR_KEYS.includes(req.key))
      issues.push(notSupported(`${at}.key`, req.key, FIELD_SELECTOR_KEYS));
    if (req.operator !== 'In' && req.operator !== 'NotIn')
      issues.push(notSupported(`${at}.operator`, req.operator, ['In', 'NotIn']));
    else if ((req.values ?? []).length === 0)
      issues.push({
        field: `${at}.values`,
        type: 'FieldValueRequired',
        detail: "must be specified when `operator` is 'In' or 'NotIn'",
      });
  });
  return issues;
}

function validateSpread(c: SpreadConstraint, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (c.spreadByField !== undefined && c.spreadByLabel !== undefined)
    issues.push({
      field: `${path}.spreadByLabel`,
      type: 'FieldValueForbidden',
      detail: 'spreadByLabel should not co-exist with spreadByField',
    });
  if (c.spreadByField !== undefined && !SPREAD_FIELDS.includes(c.spreadByField))
    issues.push(notSupported(`${path}.spreadByField`, c.spreadByField, SPREAD_FIELDS));
  for (const key of ['minGroups', 'maxGroups'] as const) {
    const v = c[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
      issues.push(invalidValue(`${path}.${key}`, v, 'must be greater than or equal to 0'));
  }
  if (
    typeof c.minGroups === 'number' &&
    typeof c.maxGroups === 'number' &&
    c.maxGroups > 0 &&
    c.minGroups > c.maxGroups
  )
    issues.push(
      invalidValue(`${path}.maxGroups`, c.maxGroups, 'maxGroups lower than minGroups is not allowed'),
    );
  return issues;
}
