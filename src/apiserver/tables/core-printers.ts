/**
 * Printers for core/v1 kinds other than pods, services, endpoints and events: nodes, namespaces,
 * configmaps, secrets, serviceaccounts and persistentvolumeclaims.
 */
import type { KubeObject } from '../../api/meta.js';
import { get, list, quantity, record, str } from './fields.js';
import { age } from '../../api/human-duration.js';
import { ageColumn, column, nameColumn, wide, printer } from './printer.js';
import type { Printer } from './printer.js';

function nodeStatus(node: KubeObject): string {
  const ready = list(get(node, 'status', 'conditions')).find((c) => str(get(c, 'type')) === 'Ready');
  const status = [
    ready === undefined ? 'Unknown' : str(get(ready, 'status')) === 'True' ? 'Ready' : 'NotReady',
  ];
  if (get(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value, sorted. */
function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort().join(',') || '<none>';
}

function nodeAddress(node: KubeObject, type: string): string {
  const a = list(get(node, 'status', 'addresses')).find((a) => str(get(a, 'type')) === type);
  return a === undefined ? '<none>' : str(get(a, 'address'));
}

const nodeInfo = (node: KubeObject, field: string): string => str(get(node, 'status', 'nodeInfo', field));

/** `nodes`: NAME STATUS ROLES AGE VERSION [INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME]. */
export const nodePrinter: Printer = printer(
  [
    nameColumn(),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    column('Version', 'string', 'Kubelet version reported by the node.'),
    wide(column('Internal-IP', 'string', 'The first InternalIP address of the node.')),
    wide(column('External-IP', 'string', 'The first ExternalIP address of the node.')),
    wide(column('OS-Image', 'string', 'OS image reported by the node.')),
    wide(column('Kernel-Version', 'string', 'Kernel version reported by the node.')),
    wide(column('Container-Runtime', 'string', 'Container runtime version reported by the node.')),
  ],
  (o, now) => [
    o.metadata.name ?? '',
    nodeStatus(o),
    nodeRoles(o),
    age(o.metadata.creationTimestamp, now),
    nodeInfo(o, 'kubeletVersion'),
    nodeAddress(o, 'InternalIP'),
    nodeAddress(o, 'ExternalIP'),
    nodeInfo(o, 'osImage') || '<unknown>',
    nodeInfo(o, 'kernelVersion') || '<unknown>',
    nodeInfo(o, 'containerRuntimeVersion') || '<unknown>',
  ],
);

/** `namespaces`: NAME STATUS AGE. */
export const namespacePrinter: Printer = printer(
  [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  (o, now) => [o.metadata.name ?? '', str(get(o, 'status', 'phase')), age(o.metadata.creationTimestamp, now)],
);

const count = (v: unknown): number => Object.keys(record(v)).length;

/** `configmaps`: NAME DATA AGE (DATA counts `data` plus `binaryData` keys). */
export const configMapPrinter: Printer = printer(
  [nameColumn(), column('Data', 'string', 'Number of data and binaryData keys.'), ageColumn()],
  (o, now) => [
    o.metadata.name ?? '',
    count(o['data']) + count(o['binaryData']),
    age(o.metadata.creationTimestamp, now),
  ],
);

/** `secrets`: NAME TYPE DATA AGE. */
export const secretPrinter: Printer = printer(
  [
    nameColumn(),
    column('Type', 'string', 'The type of the secret.'),
    column('Data', 'string', 'Number of data keys.'),
    ageColumn(),
  ],
  (o, now) => [
    o.metadata.name ?? '',
    str(o['type']),
    count(o['data']),
    age(o.metadata.creationTimestamp, now),
  ],
);

/** `serviceaccounts`: NAME SECRETS AGE. */
export const serviceAccountPrinter: Printer = printer(
  [
    nameColumn(),
    column('Secrets', 'string', 'Number of secrets listed on the service account.'),
    ageColumn(),
  ],
  (o, now) => [o.metadata.name ?? '', list(o['secrets']).length, age(o.metadata.creationTimestamp, now)],
);

/** `GetAccessModesAsString`: abbreviations in a fixed order, de-duplicated. */
function accessModes(v: unknown): string {
  const modes = new Set(list(v).map(str));
  const abbrev: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return abbrev
    .filter(([m]) => modes.has(m))
    .map(([, a]) => a)
    .join(',');
}

function pvcCells(o: KubeObject, now: number): (string | number)[] {
  const volumeName = str(get(o, 'spec', 'volumeName'));
  const bound = volumeName !== '';
  const beta = o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
  const vac = get(o, 'spec', 'volumeAttributesClassName');
  const mode = get(o, 'spec', 'volumeMode');
  return [
    o.metadata.name ?? '',
    o.metadata.deletionTimestamp !== undefined ? 'Terminating' : str(get(o, 'status', 'phase')),
    volumeName,
    bound ? (quantity(get(o, 'status', 'capacity', 'storage')) ?? '0') : '',
    bound ? accessModes(get(o, 'status', 'accessModes')) : '',
    beta ?? str(get(o, 'spec', 'storageClassName')),
    typeof vac === 'string' ? vac : '<unset>',
    age(o.metadata.creationTimestamp, now),
    typeof mode === 'string' ? mode : '<unset>',
  ];
}

/** `persistentvolumeclaims`: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE [VOLUMEMODE]. */
export const persistentVolumeClaimPrinter: Printer = printer(
  [
    nameColumn(),
    column('Status', 'string', 'The phase of the claim.'),
    column('Volume', 'string', 'The bound persistent volume.'),
    column('Capacity', 'string', 'Actual storage capacity of the bound volume.'),
    column('Access Modes', 'string', 'Access modes of the bound volume.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    wide(column('VolumeMode', 'string', 'Whether the volume is a filesystem or a raw block device.')),
  ],
  pvcCells,
);
