import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventPrinter } from './event-printer.js';
import {
  clusterRoleBindingPrinter,
  horizontalPodAutoscalerPrinter,
  leasePrinter,
  podDisruptionBudgetPrinter,
  roleBindingPrinter,
} from './policy-printers.js';
import type { Printer } from './printer.js';
import { ago, makeObject, row } from './testing/fixtures.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';

const cases: { name: string; printer: Printer; obj: KubeObject; want: Record<string, JsonValue> }[] = [
  {
    name: 'hpa with resource metrics',
    printer: horizontalPodAutoscalerPrinter,
    obj: makeObject(
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      { name: 'web' },
      {
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 2,
          maxReplicas: 10,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
            },
            {
              type: 'Resource',
              resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } },
            },
            {
              type: 'Pods',
              pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
            },
          ],
        },
        status: {
          currentReplicas: 3,
          currentMetrics: [
            { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45 } } },
          ],
        },
      },
    ),
    want: {
      Reference: 'Deployment/web',
      Targets: 'cpu: 45%/80%, memory: <unknown>/512Mi + 1 more...',
      MinPods: '2',
      MaxPods: 10,
      Replicas: 3,
    },
  },
  {
    name: 'hpa without metrics',
    printer: horizontalPodAutoscalerPrinter,
    obj: makeObject(
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      { name: 'bare' },
      { spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'db' }, maxReplicas: 3 } },
    ),
    want: { Targets: '<none>', MinPods: '<unset>', Replicas: 0 },
  },
  {
    name: 'pdb with minAvailable percentage',
    printer: podDisruptionBudgetPrinter,
    obj: makeObject(
      ['policy/v1', 'PodDisruptionBudget'],
      { name: 'web' },
      { spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } },
    ),
    want: { 'Min Available': '50%', 'Max Unavailable': 'N/A', 'Allowed Disruptions': 1 },
  },
  {
    name: 'pdb with maxUnavailable integer',
    printer: podDisruptionBudgetPrinter,
    obj: makeObject(['policy/v1', 'PodDisruptionBudget'], { name: 'db' }, { spec: { maxUnavailable: 1 } }),
    want: { 'Min Available': 'N/A', 'Max Unavailable': '1', 'Allowed Disruptions': 0 },
  },
  {
    name: 'lease',
    printer: leasePrinter,
    obj: makeObject(
      ['coordination.k8s.io/v1', 'Lease'],
      { name: 'flotilla-scheduler' },
      { spec: { holderIdentity: 'hub-0_8f2c', leaseDurationSeconds: 15 } },
    ),
    want: { Holder: 'hub-0_8f2c' },
  },
  {
    name: 'rolebinding subjects by kind',
    printer: roleBindingPrinter,
    obj: makeObject(
      ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
      { name: 'edit' },
      {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [
          { kind: 'User', name: 'alice' },
          { kind: 'User', name: 'bob' },
          { kind: 'Group', name: 'devs' },
          { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
        ],
      },
    ),
    want: { Role: 'ClusterRole/edit', Users: 'alice, bob', Groups: 'devs', ServiceAccounts: 'tools/ci' },
  },
  {
    name: 'clusterrolebinding without subjects',
    printer: clusterRoleBindingPrinter,
    obj: makeObject(
      ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
      { name: 'x' },
      { roleRef: { kind: 'ClusterRole', name: 'view' } },
    ),
    want: { Role: 'ClusterRole/view', Users: '', Groups: '', ServiceAccounts: '' },
  },
  {
    name: 'core/v1 event',
    printer: eventPrinter,
    obj: makeObject(
      ['v1', 'Event'],
      { name: 'web-1.17c' },
      {
        involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{app}' },
        reason: 'BackOff',
        type: 'Warning',
        message: 'Back-off restarting failed container\n',
        firstTimestamp: ago('30m'),
        lastTimestamp: ago('2m'),
        count: 7,
        source: { component: 'kubelet', host: 'node-1' },
      },
    ),
    want: {
      'Last Seen': '2m',
      Type: 'Warning',
      Reason: 'BackOff',
      Object: 'pod/web-1',
      Subobject: 'spec.containers{app}',
      Source: 'kubelet, node-1',
      Message: 'Back-off restarting failed container',
      'First Seen': '30m',
      Count: 7,
      Name: 'web-1.17c',
    },
  },
  {
    name: 'events.k8s.io/v1 event with a series',
    printer: eventPrinter,
    obj: makeObject(
      ['events.k8s.io/v1', 'Event'],
      { name: 'sched.1' },
      {
        regarding: { kind: 'Pod', name: 'web-2' },
        reason: 'FailedScheduling',
        type: 'Warning',
        note: '0/3 nodes are available',
        eventTime: '2024-05-01T11:00:00.000000Z',
        reportingController: 'default-scheduler',
        reportingInstance: 'default-scheduler-hub-0',
        series: { count: 4, lastObservedTime: ago('1m') },
      },
    ),
    want: {
      'Last Seen': '60s',
      Object: 'pod/web-2',
      Source: 'default-scheduler, default-scheduler-hub-0',
      Message: '0/3 nodes are available',
      'First Seen': '60m',
      Count: 4,
    },
  },
  {
    name: 'singleton event without count or kind name',
    printer: eventPrinter,
    obj: makeObject(
      ['v1', 'Event'],
      { name: 'n.1' },
      { involvedObject: { kind: 'Node' }, lastTimestamp: ago('5s') },
    ),
    want: { 'Last Seen': '5s', Object: 'node', Count: 1, 'First Seen': '<unknown>' },
  },
];

describe('policy, rbac, lease and event printers', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = row(c.printer, c.obj);
      for (const [col, want] of Object.entries(c.want)) assert.deepEqual(got[col], want, col);
    });
  }

  it('event Name column is a wide name column at the end', () => {
    const last = eventPrinter.columns.at(-1);
    assert.deepEqual([last?.name, last?.format, last?.priority], ['Name', 'name', 1]);
    assert.deepEqual(
      eventPrinter.columns.filter((c) => c.priority === 0).map((c) => c.name),
      ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    );
  });
});
