/**
 * `flotilla describe binding`: a ResourceBinding or ClusterResourceBinding in kubectl-describe
 * form — the template, the claiming policy and its placement, the decision, each member's copy
 * (applied, health, its status fields), conditions, the scheduling history and recent events.
 */
import type { AggregatedStatusItem, ResourceBinding } from '../api/flotilla/binding.js';
import { claimOf } from '../api/flotilla/claim-labels.js';
import { NONE, ageOf, formatTargets, orNone } from './cells.js';
import type { Field } from './describe-format.js';
import { conditionTable, timeAndAge, fieldLines, heading, mapLines, subTable } from './describe-format.js';
import type { CoreEvent } from './event-table.js';
import { eventSection } from './event-table.js';
import { placementFields } from './placement-text.js';
import type { PrintContext } from './style.js';
import { healthText, statusText } from './style.js';

/** The describe text of `binding`, with `events` (those whose involvedObject is the binding). */
export function describeBinding(
  binding: ResourceBinding,
  events: readonly CoreEvent[],
  o: PrintContext,
): string {
  const { metadata: meta, spec, status } = binding;
  const r = spec.resource;
  const claim = claimOf(binding);
  const requests = Object.entries(spec.replicaRequirements?.resourceRequest ?? {});
  const priority = spec.schedulePriority;
  const fields: Field[] = [
    ['Name', meta.name ?? ''],
    ...(meta.namespace ? [['Namespace', meta.namespace] as const] : []),
    ['Kind', binding.kind],
    ['Labels', mapLines(meta.labels)],
    ['Created', timeAndAge(meta.creationTimestamp, o.now)],
    ['Resource', `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} (${r.apiVersion})`],
    ['Policy', claim ? `${claim.kind} ${claim.namespace ? `${claim.namespace}/` : ''}${claim.name}` : NONE],
    ['Replicas', orNone(spec.replicas)],
    ['Per Replica', requests.length > 0 ? requests.map(([k, v]) => `${k}=${v}`).join(', ') : NONE],
    ['Priority', `${priority?.priority ?? 0} (${priority?.preemptionPolicy ?? 'PreemptLowerPriority'})`],
    ...(spec.requiredBy?.length
      ? [
          [
            'Required By',
            spec.requiredBy.map(
              (q) => `${q.namespace ? `${q.namespace}/` : ''}${q.name} on ${formatTargets(q.clusters)}`,
            ),
          ] as const,
        ]
      : []),
    ['Last Scheduled', timeAndAge(status?.lastScheduledTime, o.now)],
  ];
  const divided = (spec.clusters ?? []).some((c) => c.replicas !== undefined);
  const history = status?.schedulingHistory ?? [];
  return [
    fieldLines(fields),
    heading('Placement'),
    fieldLines(placementFields(spec.placement), 2),
    subTable('Decision', {
      header: divided ? ['Cluster', 'Replicas'] : ['Cluster'],
      rows: (spec.clusters ?? []).map((c) => (divided ? [c.name, String(c.replicas ?? 0)] : [c.name])),
    }),
    subTable('Cluster Status', {
      header: ['Cluster', 'Applied', 'Health', 'Status'],
      rows: (status?.aggregatedStatus ?? []).map((item) => memberRow(item, o)),
    }),
    conditionTable(status?.conditions, o),
    subTable('Scheduling History', {
      header: ['Age', 'Trigger', 'Reason', 'Clusters', 'Message'],
      rows: history.map((h) => [
        ageOf(h.time, o.now),
        h.trigger,
        h.reason,
        formatTargets(h.clusters),
        h.message ?? '',
      ]),
    }),
    eventSection(events, o),
  ].join('');
}

function memberRow(item: AggregatedStatusItem, o: PrintContext): string[] {
  const applied = item.applied === undefined ? 'Unknown' : item.applied ? 'True' : 'False';
  const detail = item.applied === false ? (item.appliedMessage ?? '') : statusSummary(item.status);
  return [
    item.clusterName,
    statusText(applied, o.style),
    healthText(item.health ?? 'Unknown', o.style),
    detail,
  ];
}

/**
 * A member's status object in one line: its scalar fields as `key=value`, then its conditions as
 * `Type=Status` (`<none>` when it reported nothing).
 */
export function statusSummary(status: unknown): string {
  if (typeof status !== 'object' || status === null || Array.isArray(status)) return NONE;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(status as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      parts.push(`${key}=${String(value)}`);
  }
  const conditions = (status as { conditions?: unknown }).conditions;
  if (Array.isArray(conditions))
    for (const c of conditions as { type?: unknown; status?: unknown }[])
      if (typeof c.type === 'string')
        parts.push(`${c.type}=${typeof c.status === 'string' ? c.status : 'Unknown'}`);
  return parts.length > 0 ? parts.join(' ') : NONE;
}
