/**
 * `flotilla describe binding`: a ResourceBinding or ClusterResourceBinding in kubectl-describe
 * form — the template, the claiming policy and its placement, the decision, each member's copy
 * (applied, health, its status fields), the copies kept while the workload moves (eviction tasks,
 * a rebalance in progress) and the failed clusters it will return to, conditions, the scheduling
 * history and recent events.
 */
import type { AggregatedStatusItem, ResourceBinding } from '../api/flotilla/binding.js';
import { awaitingRecovery } from '../api/flotilla/rebalance.js';
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
    ...(spec.failover?.rebalanceOnRecovery
      ? [['Awaiting Recovery', orNone(awaitingRecovery(binding).join(', ') || undefined)] as const]
      : []),
  ];
  const moving = keptCopies(binding, o);
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
    ...(moving.length > 0
      ? [subTable('Copies Kept', { header: ['Cluster', 'Replicas', 'Since', 'Why'], rows: moving })]
      : []),
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

/** The copies kept while the workload moves: eviction tasks, and the old decision of a rebalance. */
function keptCopies(binding: ResourceBinding, o: PrintContext): string[][] {
  const { spec } = binding;
  const rows = (spec.gracefulEvictionTasks ?? []).map((t) => [
    t.fromCluster,
    orNone(t.replicas),
    ageOf(t.creationTimestamp, o.now),
    `evicted (${t.reason}, ${t.purgeMode ?? 'Gracefully'})${t.suppressDeletion ? ': kept until the task is cleared' : ''}`,
  ]);
  const now = new Map((spec.clusters ?? []).map((t) => [t.name, t.replicas ?? 0]));
  for (const t of spec.rebalance?.previousClusters ?? [])
    if (!now.has(t.name) || (t.replicas ?? 0) > (now.get(t.name) ?? 0))
      rows.push([
        t.name,
        orNone(t.replicas),
        ageOf(spec.rebalance?.startedAt, o.now),
        'rebalancing: until the new placement is ready',
      ]);
  return rows;
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
