/**
 * `flotilla get works`: one row per Work — CLUSTER (from its namespace `flotilla-es-<cluster>`),
 * NAME, RESOURCES (Kind/name of its manifests), APPLIED (the Applied condition), HEALTH (the
 * worst of its manifests' reported health), AGE.
 */
import type { Work } from '../api/flotilla/work.js';
import { workCluster } from '../api/flotilla/work.js';
import { NONE, ageOf, conditionOf, kindName } from './cells.js';
import type { PrintContext } from './style.js';
import { healthText, statusText } from './style.js';
import { formatTable } from './table.js';

const HEADER = ['CLUSTER', 'NAME', 'RESOURCES', 'APPLIED', 'HEALTH', 'AGE'];

/** The works table (header included). */
export function workTable(works: readonly Work[], o: PrintContext): string {
  const rows = works.map((w) => {
    const health = workHealth(w);
    return [
      workCluster(w.metadata.namespace) || (w.metadata.namespace ?? NONE),
      w.metadata.name ?? '',
      w.spec.workload.manifests.length > 0
        ? w.spec.workload.manifests.map((m) => kindName({ kind: m.kind, name: m.metadata.name })).join(',')
        : NONE,
      statusText(conditionOf(w.status?.conditions, 'Applied')?.status, o.style),
      health === NONE ? NONE : healthText(health, o.style),
      ageOf(w.metadata.creationTimestamp, o.now),
    ];
  });
  return formatTable([HEADER, ...rows]);
}

/**
 * The Work's health: `Unhealthy` if any manifest is, else `Unknown` if any is unknown or not yet
 * reported, else `Healthy`; `<none>` before the member reported anything.
 */
export function workHealth(work: Work): string {
  const statuses = work.status?.manifestStatuses ?? [];
  if (statuses.length === 0) return NONE;
  const healths = statuses.map((s) => s.health ?? 'Unknown');
  if (healths.includes('Unhealthy')) return 'Unhealthy';
  if (healths.includes('Unknown') || statuses.length < work.spec.workload.manifests.length) return 'Unknown';
  return 'Healthy';
}
