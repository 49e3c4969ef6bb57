/**
 * ClusterTaintPolicy (`policy.flotilla.io/v1alpha1`, cluster-scoped): taints clusters on any
 * condition of their status, as Karmada's does. `addOnConditions` (all must hold) adds the
 * policy's taints to each target cluster; `removeOnConditions` (all must hold) removes them; a
 * taint both would add and remove is removed. Changing or deleting a policy leaves the taints it
 * already added. NoExecute taints evict like the hub's own health taints (tolerations apply).
 * Evaluation and validation, pure.
 */
import type { FieldIssue } from '../status.js';
import type { KubeObject } from '../meta.js';
import type { Taint } from '../taints.js';
import { sameTaint } from '../taints.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import type { Cluster } from './cluster.js';
import { clusterMatchesAffinity } from './cluster-affinity.js';
import type { ClusterAffinity } from './policy.js';
import {
  TAINT_CLUSTER_NOT_READY,
  TAINT_CLUSTER_UNREACHABLE,
  TAINT_CLUSTER_UNSCHEDULABLE,
} from './cluster.js';

/** One condition a cluster's status must meet. */
export interface MatchCondition {
  conditionType: string;
  operator: 'In' | 'NotIn';
  statusValues: string[];
}

export interface ClusterTaintPolicySpec {
  /** Clusters the policy applies to (absent: all). */
  targetClusters?: ClusterAffinity;
  addOnConditions?: MatchCondition[];
  removeOnConditions?: MatchCondition[];
  taints: Taint[];
}

export interface ClusterTaintPolicy extends KubeObject {
  spec: ClusterTaintPolicySpec;
}

export const OPERATORS = ['In', 'NotIn'];
export const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
/** Keys the hub manages itself; a policy may not claim them. */
const RESERVED_KEYS = [TAINT_CLUSTER_NOT_READY, TAINT_CLUSTER_UNREACHABLE, TAINT_CLUSTER_UNSCHEDULABLE];

/**
 * True when every condition holds on `cluster` (an empty list never holds). A condition the
 * cluster does not report has no status: `In` fails and `NotIn` holds.
 */
export function conditionsHold(cluster: Cluster, conditions: readonly MatchCondition[] | undefined): boolean {
  if (!conditions || conditions.length === 0) return false;
  return conditions.every((m) => {
    const status = cluster.status?.conditions?.find((c) => c.type === m.conditionType)?.status;
    const listed = status !== undefined && m.statusValues.includes(status);
    return m.operator === 'In' ? listed : !listed;
  });
}

/**
 * `cluster`'s taints once `policies` are applied at `now` (RFC 3339, the `timeAdded` of new
 * taints). Taints already there (same key and effect) keep their value and time.
 */
export function taintsUnderPolicies(
  cluster: Cluster,
  policies: readonly ClusterTaintPolicy[],
  now: string,
): Taint[] {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const p of [...policies].sort((a, b) =>
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  )) {
    if (p.metadata.deletionTimestamp) continue;
    if (p.spec.targetClusters && !clusterMatchesAffinity(cluster, p.spec.targetClusters)) continue;
    if (conditionsHold(cluster, p.spec.removeOnConditions)) remove.push(...p.spec.taints);
    else if (conditionsHold(cluster, p.spec.addOnConditions)) add.push(...p.spec.taints);
  }
  let taints = (cluster.spec?.taints ?? []).filter((t) => !remove.some((r) => sameTaint(r, t)));
  for (const t of add)
    if (!taints.some((x) => sameTaint(x, t)) && !remove.some((r) => sameTaint(r, t)))
      taints = [
        ...taints,
        { key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect, timeAdded: now },
      ];
  return taints;
}

/** Issues of a ClusterTaintPolicy beyond its schema, with kube-apiserver's field paths. */
export function validateClusterTaintPolicy(obj: KubeObject): FieldIssue[] {
  const spec = (obj['spec'] ?? {}) as Partial<ClusterTaintPolicySpec>;
  const issues: FieldIssue[] = [];
  if (!spec.addOnConditions?.length && !spec.removeOnConditions?.length)
    issues.push({
      field: 'spec.addOnConditions',
      type: 'FieldValueRequired',
      detail: 'addOnConditions or removeOnConditions must have at least one condition',
    });
  for (const list of ['addOnConditions', 'removeOnConditions'] as const)
    (spec[list] ?? []).forEach((m, i) => {
      const at = `spec.${list}[${i}]`;
      if (!m.conditionType)
        issues.push({ field: `${at}.conditionType`, type: 'FieldValueRequired', detail: '' });
      if (!OPERATORS.includes(m.operator))
        issues.push({
          field: `${at}.operator`,
          type: 'FieldValueNotSupported',
          detail: '',
          value: m.operator,
          supported: OPERATORS,
        });
      if (!m.statusValues?.length)
        issues.push({
          field: `${at}.statusValues`,
          type: 'FieldValueRequired',
          detail: 'at least one status value',
        });
    });
  const taints = spec.taints ?? [];
  if (taints.length === 0)
    issues.push({ field: 'spec.taints', type: 'FieldValueRequired', detail: 'at least one taint' });
  taints.forEach((t, i) => {
    const at = `spec.taints[${i}]`;
    const keyErrors = isQualifiedName(t.key ?? '');
    if (keyErrors.length > 0)
      issues.push({
        field: `${at}.key`,
        type: 'FieldValueInvalid',
        value: t.key,
        detail: keyErrors.join('; '),
      });
    else if (RESERVED_KEYS.includes(t.key))
      issues.push({
        field: `${at}.key`,
        type: 'FieldValueInvalid',
        value: t.key,
        detail: 'is managed by the hub',
      });
    if (t.value) {
      const valueErrors = isValidLabelValue(t.value);
      if (valueErrors.length > 0)
        issues.push({
          field: `${at}.value`,
          type: 'FieldValueInvalid',
          value: t.value,
          detail: valueErrors.join('; '),
        });
    }
    if (!EFFECTS.includes(t.effect))
      issues.push({
        field: `${at}.effect`,
        type: 'FieldValueNotSupported',
        detail: '',
        value: t.effect,
        supported: EFFECTS,
      });
    if (taints.slice(0, i).some((x) => x.key === t.key && x.effect === t.effect))
      issues.push({ field: at, type: 'FieldValueDuplicate', detail: '', value: `${t.key}:${t.effect}` });
  });
  return issues;
}
