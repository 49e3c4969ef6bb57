import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './workload-printers.js';
import type { Printer } from './printer.js';
import { ago, makeObject, row } from './testing/fixtures.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';

const template = {
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.27' },
      { name: 'proxy', image: 'envoy:1.30' },
    ],
  },
};
const selector = {
  matchLabels: { app: 'web' },
  matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
};

const cases: { name: string; printer: Printer; obj: KubeObject; want: Record<string, JsonValue> }[] = [
  {
    name: 'deployment 2/3',
    printer: deploymentPrinter,
    obj: makeObject(
      ['apps/v1', 'Deployment'],
      { name: 'web' },
      {
        spec: { replicas: 3, selector, template },
        status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
      },
    ),
    want: {
      Name: 'web',
      Ready: '2/3',
      'Up-to-date': 3,
      Available: 2,
      Age: '10m',
      Containers: 'web,proxy',
      Images: 'nginx:1.27,envoy:1.30',
      Selector: 'app=web,tier in (a,b)',
    },
  },
  {
    name: 'deployment without status or replicas reads as 0/1',
    printer: deploymentPrinter,
    obj: makeObject(['apps/v1', 'Deployment'], { name: 'fresh' }, { spec: { template } }),
    want: { Ready: '0/1', 'Up-to-date': 0, Available: 0, Selector: '' },
  },
  {
    name: 'replicaset',
    printer: replicaSetPrinter,
    obj: makeObject(
      ['apps/v1', 'ReplicaSet'],
      { name: 'web-5d9c' },
      {
        spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
        status: { replicas: 3, readyReplicas: 1 },
      },
    ),
    want: { Desired: 3, Current: 3, Ready: 1, Selector: 'app=web' },
  },
  {
    name: 'controller revision names its controller as kind.group/name',
    printer: controllerRevisionPrinter,
    obj: makeObject(
      ['apps/v1', 'ControllerRevision'],
      {
        name: 'db-7f8d',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true },
        ],
      },
      { revision: 2, data: {} },
    ),
    want: { Name: 'db-7f8d', Controller: 'statefulset.apps/db', Revision: 2, Age: '10m' },
  },
  {
    name: 'statefulset',
    printer: statefulSetPrinter,
    obj: makeObject(
      ['apps/v1', 'StatefulSet'],
      { name: 'db' },
      { spec: { replicas: 2, template }, status: { readyReplicas: 2 } },
    ),
    want: { Ready: '2/2', Age: '10m', Containers: 'web,proxy' },
  },
  {
    name: 'daemonset',
    printer: daemonSetPrinter,
    obj: makeObject(
      ['apps/v1', 'DaemonSet'],
      { name: 'agent' },
      {
        spec: {
          selector: {},
          template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } },
        },
        status: {
          desiredNumberScheduled: 3,
          currentNumberScheduled: 3,
          numberReady: 2,
          updatedNumberScheduled: 3,
          numberAvailable: 2,
        },
      },
    ),
    want: {
      Desired: 3,
      Current: 3,
      Ready: 2,
      'Up-to-date': 3,
      Available: 2,
      'Node Selector': 'kubernetes.io/os=linux',
      Selector: '<none>',
    },
  },
  {
    name: 'running job',
    printer: jobPrinter,
    obj: makeObject(
      ['batch/v1', 'Job'],
      { name: 'pi' },
      {
        spec: { completions: 3, parallelism: 1, template },
        status: { succeeded: 1, active: 1, startTime: ago('3m') },
      },
    ),
    want: { Status: 'Running', Completions: '1/3', Duration: '3m', Age: '10m' },
  },
  {
    name: 'complete job',
    printer: jobPrinter,
    obj: makeObject(
      ['batch/v1', 'Job'],
      { name: 'done' },
      {
        spec: { completions: 1, template },
        status: {
          succeeded: 1,
          startTime: ago('10m'),
          completionTime: ago('9m50s'),
          conditions: [
            { type: 'SuccessCriteriaMet', status: 'True' },
            { type: 'Complete', status: 'True' },
          ],
        },
      },
    ),
    want: { Status: 'Complete', Completions: '1/1', Duration: '10s' },
  },
  {
    name: 'failed job, work queue with parallelism',
    printer: jobPrinter,
    obj: makeObject(
      ['batch/v1', 'Job'],
      { name: 'queue' },
      { spec: { parallelism: 4, template }, status: { conditions: [{ type: 'Failed', status: 'True' }] } },
    ),
    want: { Status: 'Failed', Completions: '0/1 of 4', Duration: '' },
  },
  {
    name: 'suspended job',
    printer: jobPrinter,
    obj: makeObject(
      ['batch/v1', 'Job'],
      { name: 'later' },
      { spec: { template }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } },
    ),
    want: { Status: 'Suspended', Completions: '0/1' },
  },
  {
    name: 'cronjob',
    printer: cronJobPrinter,
    obj: makeObject(
      ['batch/v1', 'CronJob'],
      { name: 'nightly' },
      {
        spec: { schedule: '0 3 * * *', suspend: false, jobTemplate: { spec: { template } } },
        status: { active: [{ name: 'nightly-1' }], lastScheduleTime: ago('2h') },
      },
    ),
    want: { Schedule: '0 3 * * *', Timezone: '<none>', Suspend: 'False', Active: 1, 'Last Schedule': '120m' },
  },
  {
    name: 'cronjob never scheduled, with a time zone',
    printer: cronJobPrinter,
    obj: makeObject(
      ['batch/v1', 'CronJob'],
      { name: 'tz' },
      { spec: { schedule: '@hourly', timeZone: 'Europe/Paris', jobTemplate: { spec: { template } } } },
    ),
    want: { Timezone: 'Europe/Paris', Suspend: '<unset>', Active: 0, 'Last Schedule': '<none>' },
  },
];

describe('workload printers', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = row(c.printer, c.obj);
      for (const [col, want] of Object.entries(c.want)) assert.deepEqual(got[col], want, col);
    });
  }

  it('mark containers, images and selectors as wide', () => {
    for (const p of [deploymentPrinter, replicaSetPrinter, daemonSetPrinter, jobPrinter, cronJobPrinter]) {
      assert.deepEqual(
        p.columns.filter((c) => c.priority === 1).map((c) => c.name),
        ['Containers', 'Images', 'Selector'],
      );
    }
    assert.deepEqual(
      deploymentPrinter.columns.filter((c) => c.priority === 0).map((c) => c.name),
      ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
    );
  });
});
