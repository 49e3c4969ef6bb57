/**
 * Printers for Flotilla's own kinds whose useful columns JSONPath cannot express: a Cluster's
 * Ready condition, and a binding's decision as one `member1:6,member2:4` cell.
 */
import type { KubeObject } from '../../api/meta.js';
import { get, list, str } from './fields.js';
import { age } from '../../api/human-duration.js';
import { ageColumn, column, nameColumn, printer, wide } from './printer.js';
import type { Printer } from './printer.js';

function conditionStatus(o: KubeObject, type: string): string {
  const found = list(get(o, 'status', 'conditions')).find((c) => str(get(c, 'type')) === type);
  return found === undefined ? 'Unknown' : str(get(found, 'status'));
}

/** `clusters.cluster.flotilla.io`: NAME VERSION MODE READY REGION AGE [PROVIDER ZONES]. */
export const clusterPrinter: Printer = printer(
  [
    nameColumn(),
    column('Version', 'string', 'Kubernetes version of the member cluster.'),
    column('Mode', 'string', 'Push: the hub applies Works; Pull: an agent in the member pulls them.'),
    column('Ready', 'string', 'Status of the Ready condition.'),
    column('Region', 'string', 'Region the cluster runs in.'),
    ageColumn(),
    wide(column('Provider', 'string', 'Cloud provider of the cluster.')),
    wide(column('Zones', 'string', 'Zones the cluster spans.')),
  ],
  (o, now) => [
    o.metadata.name ?? '',
    str(get(o, 'status', 'kubernetesVersion')),
    str(get(o, 'spec', 'syncMode')),
    conditionStatus(o, 'Ready'),
    str(get(o, 'spec', 'region')),
    age(o.metadata.creationTimestamp, now),
    str(get(o, 'spec', 'provider')),
    list(get(o, 'spec', 'zones'))
      .map(str)
      .join(','),
  ],
);

/** The decision as `member1:6,member2:4` (names only for non-workloads), `<none>` when empty. */
function decision(o: KubeObject): string {
  const clusters = list(get(o, 'spec', 'clusters'));
  if (clusters.length === 0) return '<none>';
  return clusters
    .map((c) => {
      const replicas = get(c, 'replicas');
      return typeof replicas === 'number' ? `${str(get(c, 'name'))}:${replicas}` : str(get(c, 'name'));
    })
    .join(',');
}

/** `resourcebindings` / `clusterresourcebindings`: NAME SCHEDULED CLUSTERS FULLYAPPLIED AGE [REASON]. */
export const bindingPrinter: Printer = printer(
  [
    nameColumn(),
    column('Scheduled', 'string', 'Status of the Scheduled condition.'),
    column('Clusters', 'string', 'The scheduling decision: clusters and their replicas.'),
    column('FullyApplied', 'string', 'Status of the FullyApplied condition.'),
    ageColumn(),
    wide(column('Reason', 'string', 'Reason of the Scheduled condition.')),
  ],
  (o, now) => {
    const scheduled = list(get(o, 'status', 'conditions')).find((c) => str(get(c, 'type')) === 'Scheduled');
    return [
      o.metadata.name ?? '',
      conditionStatus(o, 'Scheduled'),
      decision(o),
      conditionStatus(o, 'FullyApplied'),
      age(o.metadata.creationTimestamp, now),
      scheduled === undefined ? '' : str(get(scheduled, 'reason')),
    ];
  },
);
