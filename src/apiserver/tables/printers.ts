/**
 * Chooses the printer for a resource: kube's per-kind printer for built-in kinds (and Flotilla's
 * for its compiled-in kinds that have one), the CRD's printer columns when it has them (or Name +
 * Age for a custom resource without any), and the default
 * Name + Created At convertor for everything else. Custom-column printers are memoized per
 * column array, so a `ResourceInfo` built once per CRD version parses its JSONPaths once.
 */
import type { PrinterColumn, ResourceInfo } from '../../api/resource-info.js';
import {
  configMapPrinter,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './core-printers.js';
import { customColumnsPrinter, DEFAULT_CRD_COLUMNS, defaultPrinter } from './custom-columns.js';
import { eventPrinter } from './event-printer.js';
import { bindingPrinter, clusterPrinter } from './flotilla-printers.js';
import {
  endpointSlicePrinter,
  endpointsPrinter,
  ingressPrinter,
  servicePrinter,
} from './network-printers.js';
import { podPrinter } from './pod-printer.js';
import {
  clusterRoleBindingPrinter,
  horizontalPodAutoscalerPrinter,
  leasePrinter,
  podDisruptionBudgetPrinter,
  roleBindingPrinter,
} from './policy-printers.js';
import type { Printer } from './printer.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './workload-printers.js';

/** Built-in printers keyed by `<group>/<Kind>` (core group: `/Kind`); versions share a printer. */
const builtin: ReadonlyMap<string, Printer> = new Map([
  ['/Pod', podPrinter],
  ['/Node', nodePrinter],
  ['/Namespace', namespacePrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/Event', eventPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/Secret', secretPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['/PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['apps/StatefulSet', statefulSetPrinter],
  ['apps/DaemonSet', daemonSetPrinter],
  ['apps/ControllerRevision', controllerRevisionPrinter],
  ['batch/Job', jobPrinter],
  ['batch/CronJob', cronJobPrinter],
  ['networking.k8s.io/Ingress', ingressPrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  ['events.k8s.io/Event', eventPrinter],
  ['autoscaling/HorizontalPodAutoscaler', horizontalPodAutoscalerPrinter],
  ['policy/PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingPrinter],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', clusterRoleBindingPrinter],
  ['cluster.flotilla.io/Cluster', clusterPrinter],
  ['work.flotilla.io/ResourceBinding', bindingPrinter],
  ['work.flotilla.io/ClusterResourceBinding', bindingPrinter],
]);

const customPrinters = new WeakMap<readonly PrinterColumn[], Printer>();
const crdDefault = customColumnsPrinter(DEFAULT_CRD_COLUMNS);

/**
 * The printer for `info`. Throws when `info.printerColumns` holds a JSONPath that does not parse
 * (CRD validation is expected to have rejected it).
 */
export function printerFor(
  info: Pick<ResourceInfo, 'group' | 'kind' | 'builtin' | 'printerColumns' | 'compiledIn'>,
): Printer {
  const known = builtin.get(`${info.group}/${info.kind}`);
  if (known && (info.builtin || info.compiledIn === true)) return known;
  if (info.printerColumns !== undefined && info.printerColumns.length > 0) {
    let p = customPrinters.get(info.printerColumns);
    if (!p) {
      p = customColumnsPrinter(info.printerColumns);
      customPrinters.set(info.printerColumns, p);
    }
    return p;
  }
  if (!info.builtin) return crdDefault;
  return defaultPrinter;
}
