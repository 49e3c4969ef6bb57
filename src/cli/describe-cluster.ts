/**
 * `flotilla describe cluster`: a member Cluster in kubectl-describe form — its spec (mode,
 * endpoint, topology, taints), conditions, nodes and resources as last probed, the APIs it
 * serves and recent events.
 */
import type { Cluster } from '../api/flotilla/cluster.js';
import { NONE, formatTaint, orNone } from './cells.js';
import type { Field } from './describe-format.js';
import { conditionTable, timeAndAge, fieldLines, mapLines, subTable } from './describe-format.js';
import type { CoreEvent } from './event-table.js';
import { eventSection } from './event-table.js';
import type { PrintContext } from './style.js';

const SUMMARY_COLUMNS = ['allocatable', 'allocated', 'allocating', 'available', 'continuous'] as const;

/** The describe text of `cluster`, with `events` (those whose involvedObject is the cluster). */
export function describeCluster(cluster: Cluster, events: readonly CoreEvent[], o: PrintContext): string {
  const { metadata: meta, spec = {}, status = {} } = cluster;
  const secret = spec.secretRef ? `${spec.secretRef.namespace}/${spec.secretRef.name}` : NONE;
  const apis = status.apiEnablements ?? [];
  const resources = apis.reduce((n, g) => n + (g.resources?.length ?? 0), 0);
  const nodes = status.nodeSummary;
  const fields: Field[] = [
    ['Name', meta.name ?? ''],
    ['Labels', mapLines(meta.labels)],
    ['Created', timeAndAge(meta.creationTimestamp, o.now)],
    ['Mode', orNone(spec.syncMode)],
    ['Endpoint', orNone(spec.apiEndpoint)],
    ['Cluster ID', orNone(spec.id)],
    ['Credentials', `Secret ${secret}`],
    ['Region', orNone(spec.region)],
    ['Zones', spec.zones?.length ? spec.zones.join(', ') : NONE],
    ['Provider', orNone(spec.provider)],
    ['Allowed Namespaces', spec.allowedNamespaces?.length ? spec.allowedNamespaces.join(', ') : '<all>'],
    ['Taints', (spec.taints ?? []).map(formatTaint)],
    ['Kubernetes Version', orNone(status.kubernetesVersion)],
    ['Last Heartbeat', timeAndAge(status.lastHeartbeatTime, o.now)],
    ['Nodes', nodes ? `${nodes.readyNum ?? 0} ready of ${nodes.totalNum ?? 0}` : NONE],
    ['API Enablements', apis.length > 0 ? `${apis.length} group version(s), ${resources} resource(s)` : NONE],
  ];
  return [
    fieldLines(fields),
    conditionTable(status.conditions, o),
    resourceTable(cluster),
    eventSection(events, o),
  ].join('');
}

/**
 * The `Resources:` sub-table: one row per resource the ready nodes allocate, with allocatable,
 * allocated (running pods' requests), allocating (pending pods'), available and the largest free
 * amount on one node.
 */
function resourceTable(cluster: Cluster): string {
  const summary = cluster.status?.resourceSummary ?? {};
  const names = Object.keys(summary.allocatable ?? {}).sort();
  return subTable('Resources', {
    header: ['Resource', 'Allocatable', 'Allocated', 'Allocating', 'Available', 'Largest Free'],
    rows: names.map((name) => [name, ...SUMMARY_COLUMNS.map((col) => String(summary[col]?.[name] ?? 0))]),
  });
}
