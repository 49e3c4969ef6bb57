import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { filterNode } from './filters.js';
import { schedulingPod } from './pod-info.js';
import { SchedulerCache } from './scheduler-cache.js';
import type { NodeState } from './scheduler-cache.js';

/** A cache holding `node` and `running` pods bound to it; answers the node's state. */
function nodeWith(node: KubeObject, running: KubeObject[] = []): NodeState {
  const cache = new SchedulerCache();
  cache.setNode(node);
  for (const p of running) cache.setAssignedPod(p);
  const state = cache.node(node.metadata.name ?? '');
  assert.ok(state);
  return state;
}

function verdict(pod: KubeObject, node: NodeState): string {
  const status = filterNode(schedulingPod(pod), node);
  return status ? `${status.code}: ${status.reasons.join(' | ')}` : 'fits';
}

const running = (name: string, requests: Record<string, string>): KubeObject =>
  makePod(name).requests(requests).spec({ nodeName: 'n1' }).obj();

describe('NodeResourcesFit', () => {
  const node = nodeWith(makeNode('n1').cpu('2').memory('4Gi').pods(3).obj(), [
    running('a', { cpu: '1', memory: '1Gi' }),
    running('b', { cpu: '500m' }),
  ]);
  const cases: [string, Record<string, string>, string][] = [
    ['fits what is left', { cpu: '500m', memory: '3Gi' }, 'fits'],
    ['no requests always fit the resources', {}, 'fits'],
    ['short of cpu', { cpu: '600m' }, 'Unschedulable: Insufficient cpu'],
    ['short of memory', { memory: '3100Mi' }, 'Unschedulable: Insufficient memory'],
    [
      'short of both',
      { cpu: '1', memory: '3100Mi' },
      'Unschedulable: Insufficient cpu | Insufficient memory',
    ],
    [
      'more than the whole node is unresolvable',
      { cpu: '3' },
      'UnschedulableAndUnresolvable: Insufficient cpu',
    ],
    [
      'extended resources the node lacks',
      { 'nvidia.com/gpu': '1' },
      'UnschedulableAndUnresolvable: Insufficient nvidia.com/gpu',
    ],
    [
      'ephemeral storage',
      { 'ephemeral-storage': '200Gi' },
      'UnschedulableAndUnresolvable: Insufficient ephemeral-storage',
    ],
  ];
  for (const [name, requests, want] of cases) {
    it(name, () => assert.equal(verdict(makePod('p').requests(requests).obj(), node), want));
  }

  it('counts pods against allocatable pods', () => {
    const full = nodeWith(makeNode('n1').pods(2).obj(), [running('a', {}), running('b', {})]);
    assert.equal(verdict(makePod('p').obj(), full), 'Unschedulable: Too many pods');
    assert.equal(
      verdict(makePod('p').requests({ cpu: '5' }).obj(), full),
      'UnschedulableAndUnresolvable: Too many pods | Insufficient cpu',
    );
  });

  it('uses extended resources the node advertises', () => {
    const gpuNode = makeNode('n1').obj();
    (gpuNode['status'] as { allocatable: Record<string, string> }).allocatable['nvidia.com/gpu'] = '2';
    const node2 = nodeWith(gpuNode, [running('a', { 'nvidia.com/gpu': '1' })]);
    assert.equal(verdict(makePod('p').requests({ 'nvidia.com/gpu': '1' }).obj(), node2), 'fits');
    assert.equal(
      verdict(makePod('p').requests({ 'nvidia.com/gpu': '2' }).obj(), node2),
      'Unschedulable: Insufficient nvidia.com/gpu',
    );
  });
});

describe('TaintToleration and NodeUnschedulable', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const };
  const dedicated = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  const soft = { key: 'soft', effect: 'PreferNoSchedule' as const };
  const cases: [string, KubeObject, Record<string, unknown>[] | undefined, string][] = [
    [
      'untolerated NoExecute',
      makeNode('n1').taint(unreachable).obj(),
      undefined,
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {node.kubernetes.io/unreachable: }',
    ],
    [
      'untolerated NoSchedule with a value',
      makeNode('n1').taint(dedicated).obj(),
      [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }],
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}',
    ],
    [
      'tolerated by Equal',
      makeNode('n1').taint(dedicated).obj(),
      [{ key: 'dedicated', value: 'gpu' }],
      'fits',
    ],
    [
      'tolerated by Exists',
      makeNode('n1').taint(dedicated).obj(),
      [{ key: 'dedicated', operator: 'Exists' }],
      'fits',
    ],
    [
      'tolerated by an empty-key Exists',
      makeNode('n1').taint(unreachable).obj(),
      [{ operator: 'Exists' }],
      'fits',
    ],
    [
      'a toleration for another effect does not help',
      makeNode('n1').taint(dedicated).obj(),
      [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }],
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}',
    ],
    ['PreferNoSchedule never filters', makeNode('n1').taint(soft).obj(), undefined, 'fits'],
    [
      'the first untolerated taint is reported',
      makeNode('n1').taint(soft).taint(dedicated).taint(unreachable).obj(),
      [{ key: 'dedicated', operator: 'Exists' }],
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {node.kubernetes.io/unreachable: }',
    ],
    [
      'cordoned',
      makeNode('n1').unschedulable().obj(),
      undefined,
      'UnschedulableAndUnresolvable: node(s) were unschedulable',
    ],
    [
      'cordoned but tolerated',
      makeNode('n1').unschedulable().obj(),
      [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      'fits',
    ],
  ];
  for (const [name, node, tolerations, want] of cases) {
    it(name, () => {
      const pod = makePod('p')
        .spec(tolerations ? { tolerations } : {})
        .obj();
      assert.equal(verdict(pod, nodeWith(node)), want);
    });
  }
});

describe('NodeAffinity', () => {
  const node = nodeWith(makeNode('n1').labels({ disk: 'ssd', zone: 'a', cores: '8' }).obj());
  const term = (...matchExpressions: { key: string; operator: string; values?: string[] }[]): unknown => ({
    matchExpressions,
  });
  const required = (...nodeSelectorTerms: unknown[]): Record<string, unknown> => ({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } },
  });
  const miss = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";
  const cases: [string, Record<string, unknown>, string][] = [
    ['nodeSelector matches', { nodeSelector: { disk: 'ssd' } }, 'fits'],
    ['nodeSelector misses', { nodeSelector: { disk: 'hdd' } }, miss],
    ['In', required(term({ key: 'zone', operator: 'In', values: ['a', 'b'] })), 'fits'],
    ['NotIn', required(term({ key: 'zone', operator: 'NotIn', values: ['a'] })), miss],
    ['NotIn on a missing label', required(term({ key: 'gpu', operator: 'NotIn', values: ['x'] })), 'fits'],
    ['Exists', required(term({ key: 'disk', operator: 'Exists' })), 'fits'],
    ['DoesNotExist', required(term({ key: 'disk', operator: 'DoesNotExist' })), miss],
    ['Gt', required(term({ key: 'cores', operator: 'Gt', values: ['4'] })), 'fits'],
    ['Lt', required(term({ key: 'cores', operator: 'Lt', values: ['4'] })), miss],
    ['Gt on a non-number', required(term({ key: 'disk', operator: 'Gt', values: ['4'] })), miss],
    [
      'expressions of a term are ANDed',
      required(term({ key: 'disk', operator: 'Exists' }, { key: 'zone', operator: 'In', values: ['b'] })),
      miss,
    ],
    [
      'terms are ORed',
      required(
        term({ key: 'zone', operator: 'In', values: ['b'] }),
        term({ key: 'disk', operator: 'Exists' }),
      ),
      'fits',
    ],
    ['an empty term matches nothing', required({}), miss],
    ['an invalid expression matches nothing', required(term({ key: 'disk', operator: 'In' })), miss],
    [
      'nodeSelector and affinity must both hold',
      { nodeSelector: { disk: 'hdd' }, ...required(term({ key: 'disk', operator: 'Exists' })) },
      miss,
    ],
    [
      'matchFields on the name',
      required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }),
      'fits',
    ],
    [
      'matchFields on another name',
      required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }),
      miss,
    ],
    [
      'matchFields NotIn',
      required({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }),
      miss,
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => assert.equal(verdict(makePod('p').spec(spec).obj(), node), want));
  }

  it('pins the nodes named by matchFields In for the PreFilter', () => {
    const pod = schedulingPod(
      makePod('p')
        .spec(
          required(
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }] },
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n3'] }] },
          ),
        )
        .obj(),
    );
    assert.deepEqual([...(pod.selection.nodeNames ?? [])], ['n1', 'n2', 'n3']);
    const unpinned = schedulingPod(
      makePod('p')
        .spec(required(term({ key: 'disk', operator: 'Exists' })))
        .obj(),
    );
    assert.equal(unpinned.selection.nodeNames, undefined);
  });
});
