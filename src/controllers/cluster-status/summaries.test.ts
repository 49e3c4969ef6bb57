import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from './summaries.js';
import type { NodeLike, PodLike } from './summaries.js';

const node = (
  name: string,
  o: { ready?: boolean; cpu?: string; unschedulable?: boolean } = {},
): NodeLike => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: { unschedulable: o.unschedulable ?? false },
  status: {
    allocatable: { cpu: o.cpu ?? '4', memory: '16Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
  },
});
const pod = (name: string, o: { node?: string; cpu?: string; phase?: string } = {}): PodLike => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: {
    ...(o.node ? { nodeName: o.node } : {}),
    containers: [{ name: 'c', resources: { requests: { cpu: o.cpu ?? '500m', memory: '1Gi' } } }],
  } as NonNullable<PodLike['spec']>,
  status: { phase: o.phase ?? (o.node ? 'Running' : 'Pending') },
});

describe('summarize', () => {
  it('sums ready nodes, bound and pending pods, and finds the largest free room on one node', () => {
    const s = summarize(
      [
        node('n1'),
        node('n2', { cpu: '8' }),
        node('down', { ready: false }),
        node('cordoned', { unschedulable: true }),
      ],
      [
        pod('a', { node: 'n1', cpu: '1' }),
        pod('b', { node: 'n2', cpu: '1500m' }),
        pod('done', { node: 'n2', phase: 'Succeeded' }),
        pod('lost', { node: 'down' }),
        pod('pending', { cpu: '250m' }),
      ],
    );
    assert.deepEqual(s.nodeSummary, { totalNum: 4, readyNum: 3 });
    assert.deepEqual(s.resourceSummary, {
      allocatable: { cpu: '16', memory: '48Gi', pods: '330' },
      allocated: { cpu: '2500m', memory: '2Gi', pods: '2' },
      allocating: { cpu: '250m', memory: '1Gi', pods: '1' },
      available: { cpu: '13250m', memory: '45Gi', pods: '327' },
      continuous: { cpu: '6500m', memory: '15Gi', pods: '109' },
    });
  });

  it('summarises the same pods again alike, and a replaced pod by its new requests', () => {
    const nodes = [node('n1')];
    const kept = pod('a', { node: 'n1', cpu: '1' });
    const first = summarize(nodes, [kept, pod('b', { node: 'n1', cpu: '1' })]);
    assert.deepEqual(summarize(nodes, [kept, pod('b', { node: 'n1', cpu: '1' })]), first);
    const resized = summarize(nodes, [kept, pod('b', { node: 'n1', cpu: '2' })]);
    assert.equal(resized.resourceSummary.allocated?.['cpu'], '3');
    assert.equal(first.resourceSummary.allocated?.['cpu'], '2');
  });

  it('reports nothing for a cluster without nodes', () => {
    assert.deepEqual(summarize([], []), {
      nodeSummary: { totalNum: 0, readyNum: 0 },
      resourceSummary: { allocatable: {}, allocated: {}, allocating: {}, available: {}, continuous: {} },
    });
  });
});
