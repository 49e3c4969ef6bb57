/**
 * `flotilla get bindings`: one row per ResourceBinding or ClusterResourceBinding — [NAMESPACE],
 * NAME, SCHEDULED, CLUSTERS (`a:4,b:2`, names only for non-workloads), FULLYAPPLIED, AGE; wide
 * adds RESOURCE (Kind/name), POLICY (the claiming policy, from the binding's claim labels) and
 * PRIORITY.
 */
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { claimOf } from '../api/flotilla/claim-labels.js';
import { NONE, ageOf, conditionOf, formatTargets, kindName } from './cells.js';
import type { PrintContext } from './style.js';
import { statusText } from './style.js';
import { formatTable } from './table.js';

/** How to lay the bindings table out. */
export interface BindingTableOptions extends PrintContext {
  wide: boolean;
  /** Add a NAMESPACE column (`<none>` for ClusterResourceBindings). */
  namespaces: boolean;
}

const HEADER = ['NAME', 'SCHEDULED', 'CLUSTERS', 'FULLYAPPLIED', 'AGE'];
const WIDE_HEADER = ['RESOURCE', 'POLICY', 'PRIORITY'];

/** The bindings table (header included). */
export function bindingTable(bindings: readonly ResourceBinding[], o: BindingTableOptions): string {
  const rows = bindings.map((b) => {
    const conditions = b.status?.conditions;
    const row = [
      b.metadata.name ?? '',
      statusText(conditionOf(conditions, 'Scheduled')?.status, o.style),
      formatTargets(b.spec.clusters),
      statusText(conditionOf(conditions, 'FullyApplied')?.status, o.style),
      ageOf(b.metadata.creationTimestamp, o.now),
    ];
    if (o.namespaces) row.unshift(b.metadata.namespace ?? NONE);
    if (o.wide)
      row.push(kindName(b.spec.resource), policyOf(b), String(b.spec.schedulePriority?.priority ?? 0));
    return row;
  });
  const header = [...(o.namespaces ? ['NAMESPACE'] : []), ...HEADER, ...(o.wide ? WIDE_HEADER : [])];
  return formatTable([header, ...rows]);
}

/**
 * The policy that claimed `binding`'s template as `Kind/name` (a PropagationPolicy lives in the
 * template's namespace), `<none>` when its labels name none.
 */
export function policyOf(binding: ResourceBinding): string {
  const claim = claimOf(binding);
  return claim ? `${claim.kind}/${claim.name}` : NONE;
}
