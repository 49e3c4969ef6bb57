import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  configMapPrinter,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './core-printers.js';
import type { Printer } from './printer.js';
import { makeObject, row } from './testing/fixtures.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';

const nodeInfo = {
  kubeletVersion: 'v1.33.1',
  osImage: 'Ubuntu 24.04 LTS',
  kernelVersion: '6.8.0-31-generic',
  containerRuntimeVersion: 'containerd://1.7.15',
};

const cases: { name: string; printer: Printer; obj: KubeObject; want: Record<string, JsonValue> }[] = [
  {
    name: 'ready control-plane node',
    printer: nodePrinter,
    obj: makeObject(
      ['v1', 'Node'],
      { name: 'cp-1', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/os': 'linux' } },
      {
        status: {
          conditions: [
            { type: 'MemoryPressure', status: 'False' },
            { type: 'Ready', status: 'True' },
          ],
          addresses: [
            { type: 'Hostname', address: 'cp-1' },
            { type: 'InternalIP', address: '172.18.0.2' },
          ],
          nodeInfo,
        },
      },
    ),
    want: {
      Name: 'cp-1',
      Status: 'Ready',
      Roles: 'control-plane',
      Age: '10m',
      Version: 'v1.33.1',
      'Internal-IP': '172.18.0.2',
      'External-IP': '<none>',
      'OS-Image': 'Ubuntu 24.04 LTS',
      'Kernel-Version': '6.8.0-31-generic',
      'Container-Runtime': 'containerd://1.7.15',
    },
  },
  {
    name: 'cordoned worker with several roles',
    printer: nodePrinter,
    obj: makeObject(
      ['v1', 'Node'],
      {
        name: 'w-1',
        labels: {
          'node-role.kubernetes.io/worker': '',
          'node-role.kubernetes.io/gpu': 'x',
          'kubernetes.io/role': 'edge',
        },
      },
      { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    ),
    want: {
      Status: 'Ready,SchedulingDisabled',
      Roles: 'edge,gpu,worker',
      Version: '',
      'OS-Image': '<unknown>',
    },
  },
  {
    name: 'node without conditions or roles',
    printer: nodePrinter,
    obj: makeObject(
      ['v1', 'Node'],
      { name: 'new' },
      { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } },
    ),
    want: { Status: 'NotReady', Roles: '<none>', 'Internal-IP': '<none>' },
  },
  {
    name: 'node that never reported',
    printer: nodePrinter,
    obj: makeObject(['v1', 'Node'], { name: 'ghost' }),
    want: { Status: 'Unknown' },
  },
  {
    name: 'namespace',
    printer: namespacePrinter,
    obj: makeObject(['v1', 'Namespace'], { name: 'team-a' }, { status: { phase: 'Active' } }),
    want: { Name: 'team-a', Status: 'Active', Age: '10m' },
  },
  {
    name: 'configmap counts data and binaryData',
    printer: configMapPrinter,
    obj: makeObject(
      ['v1', 'ConfigMap'],
      { name: 'cfg' },
      { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } },
    ),
    want: { Data: 3 },
  },
  {
    name: 'secret',
    printer: secretPrinter,
    obj: makeObject(
      ['v1', 'Secret'],
      { name: 'tls' },
      { type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } },
    ),
    want: { Type: 'kubernetes.io/tls', Data: 2 },
  },
  {
    name: 'serviceaccount',
    printer: serviceAccountPrinter,
    obj: makeObject(['v1', 'ServiceAccount'], { name: 'default' }),
    want: { Secrets: 0, Age: '10m' },
  },
  {
    name: 'bound pvc',
    printer: persistentVolumeClaimPrinter,
    obj: makeObject(
      ['v1', 'PersistentVolumeClaim'],
      { name: 'data' },
      {
        spec: {
          volumeName: 'pv-1',
          storageClassName: 'standard',
          volumeMode: 'Filesystem',
          resources: { requests: { storage: '1Gi' } },
        },
        status: {
          phase: 'Bound',
          capacity: { storage: '10Gi' },
          accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        },
      },
    ),
    want: {
      Status: 'Bound',
      Volume: 'pv-1',
      Capacity: '10Gi',
      'Access Modes': 'RWO,RWX',
      StorageClass: 'standard',
      VolumeAttributesClass: '<unset>',
      VolumeMode: 'Filesystem',
    },
  },
  {
    name: 'pending pvc',
    printer: persistentVolumeClaimPrinter,
    obj: makeObject(
      ['v1', 'PersistentVolumeClaim'],
      { name: 'wait' },
      { spec: {}, status: { phase: 'Pending' } },
    ),
    want: {
      Status: 'Pending',
      Volume: '',
      Capacity: '',
      'Access Modes': '',
      StorageClass: '',
      VolumeMode: '<unset>',
    },
  },
];

describe('core printers', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = row(c.printer, c.obj);
      for (const [col, want] of Object.entries(c.want)) assert.deepEqual(got[col], want, col);
    });
  }

  it('node wide columns are priority 1', () => {
    assert.deepEqual(
      nodePrinter.columns.filter((c) => c.priority === 1).map((c) => c.name),
      ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    );
  });
});
