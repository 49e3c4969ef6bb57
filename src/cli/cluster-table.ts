/**
 * `flotilla get clusters`: one row per member cluster — NAME, READY, MODE, REGION, VERSION,
 * NODES (ready/total), CPU (available/allocatable, whole CPUs), AGE; wide adds ZONES, PROVIDER,
 * TAINTS.
 */
import type { Cluster } from '../api/flotilla/cluster.js';
import type { ResourceList } from '../api/pod-resources.js';
import { quantityOrUndefined } from '../api/quantity.js';
import { NONE, ageOf, conditionOf, formatTaints, orNone } from './cells.js';
import type { PrintContext } from './style.js';
import { statusText } from './style.js';
import { formatTable } from './table.js';

const HEADER = ['NAME', 'READY', 'MODE', 'REGION', 'VERSION', 'NODES', 'CPU', 'AGE'];
const WIDE_HEADER = ['ZONES', 'PROVIDER', 'TAINTS'];

/** The clusters table (header included); `wide` adds zones, provider and taints. */
export function clusterTable(clusters: readonly Cluster[], o: PrintContext & { wide: boolean }): string {
  const rows = clusters.map((c) => {
    const row = [
      c.metadata.name ?? '',
      statusText(conditionOf(c.status?.conditions, 'Ready')?.status, o.style),
      orNone(c.spec?.syncMode),
      orNone(c.spec?.region),
      orNone(c.status?.kubernetesVersion),
      nodes(c),
      cpu(c.status?.resourceSummary?.available, c.status?.resourceSummary?.allocatable),
      ageOf(c.metadata.creationTimestamp, o.now),
    ];
    if (o.wide)
      row.push(
        c.spec?.zones?.length ? c.spec.zones.join(',') : NONE,
        orNone(c.spec?.provider),
        formatTaints(c.spec?.taints),
      );
    return row;
  });
  return formatTable([o.wide ? [...HEADER, ...WIDE_HEADER] : HEADER, ...rows]);
}

/** `ready/total` nodes, `<none>` before the first probe. */
function nodes(c: Cluster): string {
  const summary = c.status?.nodeSummary;
  if (!summary) return NONE;
  return `${summary.readyNum ?? 0}/${summary.totalNum ?? 0}`;
}

/** Whole CPUs `available/allocatable` (rounded down), `<none>` when unknown. */
export function cpu(available: ResourceList | undefined, allocatable: ResourceList | undefined): string {
  const total = quantityOrUndefined(allocatable?.['cpu']);
  if (total === undefined) return NONE;
  const free = quantityOrUndefined(available?.['cpu']) ?? 0;
  return `${Math.floor(free + 1e-9)}/${Math.floor(total + 1e-9)}`;
}
