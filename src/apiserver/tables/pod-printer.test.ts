import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { podPrinter } from './pod-printer.js';
import { ago, makePod, NOW, row, runningStatus } from './testing/fixtures.js';
import type { KubeObject } from '../../api/meta.js';

const readyConditions = [
  { type: 'Initialized', status: 'True' },
  { type: 'Ready', status: 'True' },
  { type: 'PodScheduled', status: 'True' },
];

describe('podPrinter', () => {
  it('has kubectl columns with the wide ones at priority 1', () => {
    assert.deepEqual(
      podPrinter.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Status', 0],
        ['Restarts', 0],
        ['Age', 0],
        ['IP', 1],
        ['Node', 1],
        ['Nominated Node', 1],
        ['Readiness Gates', 1],
      ],
    );
    assert.equal(podPrinter.columns[0]?.format, 'name');
  });

  const cases: { name: string; pod: KubeObject; want: Record<string, string> }[] = [
    {
      name: 'running, 1/1 ready, 2 restarts',
      pod: makePod('web-1', {
        conditions: readyConditions,
        containerStatuses: [runningStatus('app', 2, ago('5m'))],
      }),
      want: {
        Ready: '1/1',
        Status: 'Running',
        Restarts: '2 (5m ago)',
        Age: '10m',
        IP: '10.244.1.7',
        Node: 'node-1',
      },
    },
    {
      name: 'crash looping',
      pod: makePod('crash', {
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago('1m30s') } },
          },
        ],
      }),
      want: { Ready: '0/1', Status: 'CrashLoopBackOff', Restarts: '5 (90s ago)' },
    },
    {
      name: 'pending, unscheduled',
      pod: makePod(
        'pending',
        { phase: 'Pending', podIP: undefined, podIPs: undefined },
        { nodeName: undefined },
      ),
      want: { Ready: '0/1', Status: 'Pending', Restarts: '0', IP: '<none>', Node: '<none>' },
    },
    {
      name: 'container creating',
      pod: makePod('creating', {
        phase: 'Pending',
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
      }),
      want: { Status: 'ContainerCreating', Restarts: '0' },
    },
    {
      name: 'completed',
      pod: makePod('job-x', {
        phase: 'Succeeded',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
          },
        ],
      }),
      want: { Ready: '0/1', Status: 'Completed' },
    },
    {
      name: 'terminated without reason shows the exit code',
      pod: makePod('oops', {
        phase: 'Failed',
        containerStatuses: [
          { name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 137 } } },
        ],
      }),
      want: { Status: 'ExitCode:137' },
    },
    {
      name: 'terminating',
      pod: {
        ...makePod('going', { conditions: readyConditions, containerStatuses: [runningStatus('app')] }),
        metadata: { name: 'going', creationTimestamp: ago('1h'), deletionTimestamp: ago('5s') },
      },
      want: { Status: 'Terminating', Age: '60m' },
    },
    {
      name: 'waiting on an init container',
      pod: makePod(
        'init',
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'migrate', ready: false, restartCount: 0, state: { running: { startedAt: ago('3s') } } },
          ],
          containerStatuses: [
            { name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
          ],
        },
        { initContainers: [{ name: 'migrate', image: 'tool' }] },
      ),
      want: { Ready: '0/1', Status: 'Init:0/1' },
    },
    {
      name: 'init container crash looping',
      pod: makePod(
        'init-crash',
        {
          phase: 'Pending',
          initContainerStatuses: [
            {
              name: 'migrate',
              ready: false,
              restartCount: 3,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
            },
          ],
        },
        { initContainers: [{ name: 'migrate', image: 'tool' }] },
      ),
      want: { Status: 'Init:CrashLoopBackOff', Restarts: '3' },
    },
    {
      name: 'running sidecar counts toward ready and total',
      pod: makePod(
        'sidecar',
        {
          conditions: readyConditions,
          initContainerStatuses: [{ ...runningStatus('proxy', 1, ago('20m')), started: true }],
          containerStatuses: [runningStatus('app')],
        },
        { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
      ),
      want: { Ready: '2/2', Status: 'Running', Restarts: '1 (20m ago)' },
    },
    {
      name: 'scheduling gated',
      pod: makePod(
        'gated',
        {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
        },
        { nodeName: undefined, schedulingGates: [{ name: 'wait' }] },
      ),
      want: { Status: 'SchedulingGated' },
    },
    {
      name: 'evicted (status.reason wins over phase)',
      pod: makePod('evicted', { phase: 'Failed', reason: 'Evicted' }),
      want: { Status: 'Evicted' },
    },
    {
      name: 'completed container with another still running and pod ready',
      pod: makePod(
        'mixed',
        {
          conditions: readyConditions,
          containerStatuses: [
            runningStatus('app'),
            {
              name: 'once',
              ready: false,
              restartCount: 0,
              state: { terminated: { exitCode: 0, reason: 'Completed' } },
            },
          ],
        },
        { containers: [{ name: 'app' }, { name: 'once' }] },
      ),
      want: { Ready: '1/2', Status: 'Running' },
    },
    {
      name: 'readiness gates and nominated node',
      pod: makePod(
        'gates',
        {
          nominatedNodeName: 'node-9',
          conditions: [...readyConditions, { type: 'example.com/lb', status: 'True' }],
          containerStatuses: [runningStatus('app')],
        },
        { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
      ),
      want: { 'Nominated Node': 'node-9', 'Readiness Gates': '1/2' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = row(podPrinter, c.pod);
      for (const [col, want] of Object.entries(c.want)) assert.equal(got[col], want, col);
    });
  }

  it('marks succeeded and failed pods with a Completed row condition', () => {
    const ok = podPrinter.print(makePod('a', { phase: 'Succeeded' }), NOW);
    const bad = podPrinter.print(makePod('b', { phase: 'Failed' }), NOW);
    const running = podPrinter.print(makePod('c', {}), NOW);
    assert.equal(ok.conditions?.[0]?.reason, 'Succeeded');
    assert.equal(bad.conditions?.[0]?.reason, 'Failed');
    assert.equal(running.conditions, undefined);
  });
});
