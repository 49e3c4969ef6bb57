import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import type { NodeStatus } from './filters.js';
import { fitErrorMessage } from './fit-error.js';
import { schedulingPod } from './pod-info.js';
import { schedulePod } from './schedule-pod.js';
import { SchedulerCache } from './scheduler-cache.js';

const status = (code: NodeStatus['code'], ...reasons: string[]): NodeStatus => ({
  code,
  reasons,
  plugin: 'X',
});

/** Schedules `pod` once against `nodes` (with `running` pods bound) and answers the message. */
function messageFor(pod: KubeObject, nodes: KubeObject[], running: KubeObject[] = []): string {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const p of running) cache.setAssignedPod(p);
  const outcome = schedulePod(schedulingPod(pod), cache, {
    random: () => 0,
    percentageOfNodesToScore: 0,
    cursor: { next: 0 },
  });
  assert.equal(outcome.kind, 'unfit');
  return outcome.kind === 'unfit' ? outcome.message : '';
}

const on = (node: string, name: string, spec: { cpu: string; priority?: number }): KubeObject =>
  makePod(name)
    .requests({ cpu: spec.cpu })
    .spec({ nodeName: node, priority: spec.priority ?? 0 })
    .obj();

describe('fitErrorMessage', () => {
  it('counts reasons over nodes and sorts them as Go strings', () => {
    const statuses = new Map<string, NodeStatus>();
    for (let i = 0; i < 10; i++) statuses.set(`a${i}`, status('Unschedulable', 'Insufficient cpu'));
    statuses.set('b1', status('Unschedulable', 'Insufficient cpu', 'Insufficient memory'));
    statuses.set('b2', status('Unschedulable', 'Insufficient memory'));
    statuses.set('c', status('UnschedulableAndUnresolvable', 'node(s) were unschedulable'));
    assert.equal(
      fitErrorMessage({ numAllNodes: 13, statuses }),
      '0/13 nodes are available: 1 node(s) were unschedulable, 11 Insufficient cpu, 2 Insufficient memory.',
    );
  });

  it('counts nodes without an explicit status with the absent status', () => {
    const statuses = new Map([['n1', status('Unschedulable', 'Insufficient cpu')]]);
    const absent = status('UnschedulableAndUnresolvable', "node(s) didn't satisfy plugin(s) [NodeAffinity]");
    assert.equal(
      fitErrorMessage({ numAllNodes: 3, statuses, absent }, 'preemption: x'),
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: x",
    );
  });

  it('shows a PreFilter message instead of per-node reasons', () => {
    assert.equal(
      fitErrorMessage({ numAllNodes: 2, statuses: new Map(), preFilterMsg: 'pod affinity terms conflict' }),
      '0/2 nodes are available: pod affinity terms conflict.',
    );
  });
});

describe('unschedulable messages with the preemption verdict', () => {
  it('reads like kube for taints and a full cluster', () => {
    const nodes = [
      makeNode('n1').cpu('1').taint({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }).obj(),
      makeNode('n2').cpu('1').obj(),
      makeNode('n3').cpu('1').obj(),
    ];
    const running = [on('n2', 'a', { cpu: '800m' }), on('n3', 'b', { cpu: '800m' })];
    assert.equal(
      messageFor(makePod('web').requests({ cpu: '500m' }).obj(), nodes, running),
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, ' +
        '2 No preemption victims found for incoming pod.',
    );
  });

  it('says preemption is not helpful when the pod exceeds every node', () => {
    const nodes = [makeNode('n1').cpu('1').obj()];
    assert.equal(
      messageFor(makePod('big').requests({ cpu: '2' }).obj(), nodes),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
  });

  it('keeps the filter reason when evicting lower-priority pods would not be enough', () => {
    const nodes = [makeNode('n1').cpu('1').obj()];
    const running = [
      on('n1', 'high', { cpu: '600m', priority: 100 }),
      on('n1', 'low', { cpu: '200m', priority: 0 }),
    ];
    assert.equal(
      messageFor(makePod('p').requests({ cpu: '500m' }).spec({ priority: 10 }).obj(), nodes, running),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.',
    );
  });

  it('drops the preemption part when kube would preempt', () => {
    const nodes = [makeNode('n1').cpu('1').obj()];
    const running = [on('n1', 'low', { cpu: '800m', priority: 0 })];
    assert.equal(
      messageFor(makePod('p').requests({ cpu: '500m' }).spec({ priority: 10 }).obj(), nodes, running),
      '0/1 nodes are available: 1 Insufficient cpu.',
    );
  });

  it('says so when the pod may not preempt', () => {
    const nodes = [makeNode('n1').cpu('1').obj()];
    assert.equal(
      messageFor(makePod('p').requests({ cpu: '2' }).spec({ preemptionPolicy: 'Never' }).obj(), nodes),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  it('reports nodes a DaemonSet-style pod is not pinned to', () => {
    const nodes = [makeNode('n1').cpu('1').obj(), makeNode('n2').obj(), makeNode('n3').obj()];
    const pinned = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }],
          },
        },
      },
    };
    assert.equal(
      messageFor(makePod('ds').requests({ cpu: '2' }).spec(pinned).obj(), nodes),
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  it('says when there are no nodes at all', () => {
    assert.equal(messageFor(makePod('p').obj(), []), 'no nodes available to schedule pods');
  });
});
