/**
 * Printers for autoscaling, policy, coordination and RBAC kinds: horizontalpodautoscalers,
 * poddisruptionbudgets, leases, rolebindings and clusterrolebindings. (Roles and clusterroles have
 * no printer in kube and use the default Name / Created At table.)
 */
import type { KubeObject } from '../../api/meta.js';
import { get, int, intOrString, list, quantity, str } from './fields.js';
import { age } from '../../api/human-duration.js';
import { ageColumn, column, nameColumn, wide, printer } from './printer.js';
import type { Printer } from './printer.js';

const UNKNOWN = '<unknown>';
const q = (v: unknown): string => quantity(v) ?? UNKNOWN;
const pct = (v: unknown): string | undefined => (typeof v === 'number' ? `${Math.trunc(v)}%` : undefined);

/** One `spec.metrics[i]` against `status.currentMetrics[i]`, as kube's `formatHPAMetrics` does. */
function formatMetric(spec: unknown, current: unknown): string {
  switch (str(get(spec, 'type'))) {
    case 'External':
    case 'Object': {
      const src = str(get(spec, 'type')) === 'External' ? 'external' : 'object';
      const target = get(spec, src, 'target');
      const cur = get(current, src, 'current');
      if (get(target, 'averageValue') !== undefined) {
        const now = get(cur, 'averageValue') !== undefined ? q(get(cur, 'averageValue')) : UNKNOWN;
        return `${now}/${q(get(target, 'averageValue'))} (avg)`;
      }
      return `${cur !== undefined ? q(get(cur, 'value')) : UNKNOWN}/${q(get(target, 'value'))}`;
    }
    case 'Pods': {
      const cur = get(current, 'pods', 'current');
      return `${cur !== undefined ? q(get(cur, 'averageValue')) : UNKNOWN}/${q(get(spec, 'pods', 'target', 'averageValue'))}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const src = str(get(spec, 'type')) === 'Resource' ? 'resource' : 'containerResource';
      const name = str(get(spec, src, 'name'));
      const target = get(spec, src, 'target');
      const cur = get(current, src, 'current');
      if (get(target, 'averageValue') !== undefined) {
        const now = cur !== undefined ? q(get(cur, 'averageValue')) : UNKNOWN;
        return `${name}: ${now}/${q(get(target, 'averageValue'))}`;
      }
      const now = pct(get(cur, 'averageUtilization')) ?? UNKNOWN;
      return `${name}: ${now}/${pct(get(target, 'averageUtilization')) ?? '<auto>'}`;
    }
    default:
      return '<unknown type>';
  }
}

function formatMetrics(o: KubeObject): string {
  const specs = list(get(o, 'spec', 'metrics'));
  if (specs.length === 0) return '<none>';
  const statuses = list(get(o, 'status', 'currentMetrics'));
  const all = specs.map((s, i) => formatMetric(s, statuses[i]));
  return all.length > 2 ? `${all.slice(0, 2).join(', ')} + ${all.length - 2} more...` : all.join(', ');
}

/** `horizontalpodautoscalers.autoscaling`: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE. */
export const horizontalPodAutoscalerPrinter: Printer = printer(
  [
    nameColumn(),
    column('Reference', 'string', 'The scaled target, as kind/name.'),
    column('Targets', 'string', 'Current and target values of each metric.'),
    column('MinPods', 'string', 'Lower limit for the number of replicas.'),
    column('MaxPods', 'string', 'Upper limit for the number of replicas.'),
    column('Replicas', 'string', 'Current number of replicas.'),
    ageColumn(),
  ],
  (o, now) => {
    const min = get(o, 'spec', 'minReplicas');
    return [
      o.metadata.name ?? '',
      `${str(get(o, 'spec', 'scaleTargetRef', 'kind'))}/${str(get(o, 'spec', 'scaleTargetRef', 'name'))}`,
      formatMetrics(o),
      typeof min === 'number' ? String(Math.trunc(min)) : '<unset>',
      int(get(o, 'spec', 'maxReplicas')),
      int(get(o, 'status', 'currentReplicas')),
      age(o.metadata.creationTimestamp, now),
    ];
  },
);

/** `poddisruptionbudgets.policy`: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE. */
export const podDisruptionBudgetPrinter: Printer = printer(
  [
    nameColumn(),
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn(),
  ],
  (o, now) => [
    o.metadata.name ?? '',
    intOrString(get(o, 'spec', 'minAvailable')) ?? 'N/A',
    intOrString(get(o, 'spec', 'maxUnavailable')) ?? 'N/A',
    int(get(o, 'status', 'disruptionsAllowed')),
    age(o.metadata.creationTimestamp, now),
  ],
);

/** `leases.coordination.k8s.io`: NAME HOLDER AGE. */
export const leasePrinter: Printer = printer(
  [nameColumn(), column('Holder', 'string', 'The identity of the current holder of the lease.'), ageColumn()],
  (o, now) => [
    o.metadata.name ?? '',
    str(get(o, 'spec', 'holderIdentity')),
    age(o.metadata.creationTimestamp, now),
  ],
);

/** `rbac.SubjectsStrings`: users, groups and `namespace/name` service accounts, each joined by `, `. */
function subjects(o: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of list(o['subjects'])) {
    const name = str(get(s, 'name'));
    switch (str(get(s, 'kind'))) {
      case 'User':
        users.push(name);
        break;
      case 'Group':
        groups.push(name);
        break;
      case 'ServiceAccount':
        sas.push(`${str(get(s, 'namespace'))}/${name}`);
        break;
      default:
        break;
    }
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: string): Printer {
  return printer(
    [
      nameColumn(),
      column('Role', 'string', 'The role this binding grants, as kind/name.'),
      ageColumn(),
      wide(column('Users', 'string', `Users in the ${what}`)),
      wide(column('Groups', 'string', `Groups in the ${what}`)),
      wide(column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`)),
    ],
    (o, now) => [
      o.metadata.name ?? '',
      `${str(get(o, 'roleRef', 'kind'))}/${str(get(o, 'roleRef', 'name'))}`,
      age(o.metadata.creationTimestamp, now),
      ...subjects(o),
    ],
  );
}

/** `rolebindings.rbac.authorization.k8s.io`: NAME ROLE AGE [USERS GROUPS SERVICEACCOUNTS]. */
export const roleBindingPrinter: Printer = bindingPrinter('roleBinding');
/** `clusterrolebindings.rbac.authorization.k8s.io`: NAME ROLE AGE [USERS GROUPS SERVICEACCOUNTS]. */
export const clusterRoleBindingPrinter: Printer = bindingPrinter('clusterRoleBinding');
