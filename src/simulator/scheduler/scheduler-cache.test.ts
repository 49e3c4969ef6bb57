import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { schedulingPod } from './pod-info.js';
import { SchedulerCache } from './scheduler-cache.js';
import { cloneJson } from '../../base/json-clone.js';

const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', uid: 'rs-uid' } };

function totals(cache: SchedulerCache, node: string): Record<string, unknown> {
  const state = cache.node(node);
  assert.ok(state);
  return {
    cpu: state.requested['cpu'] ?? 0,
    pods: state.podCount,
    nonZeroCpu: state.nonZeroCpu,
    group: state.groups.get('rs-uid') ?? 0,
  };
}

describe('SchedulerCache', () => {
  it('tells real node changes from heartbeats', () => {
    const cache = new SchedulerCache();
    const node = makeNode('n1').obj();
    assert.equal(cache.setNode(node), 'added');
    const beat: KubeObject = cloneJson(node);
    beat.metadata.annotations = { 'node.alpha.kubernetes.io/ttl': '0' };
    (beat['status'] as { conditions: { lastHeartbeatTime?: string }[] }).conditions[0]!.lastHeartbeatTime =
      'later';
    assert.equal(cache.setNode(beat), 'unchanged');
    assert.equal(cache.setNode(makeNode('n1').taint({ key: 'k', effect: 'NoSchedule' }).obj()), 'updated');
    assert.equal(cache.setNode(makeNode('n1').cpu('8').obj()), 'updated');
    assert.equal(cache.node('n1')?.allocatable['cpu'], 8000);
  });

  it('accounts assumed pods at once and confirms them in place', () => {
    const cache = new SchedulerCache();
    cache.setNode(makeNode('n1').obj());
    const pod = makePod('p').ownedBy(RS).requests({ cpu: '250m' }).obj();
    pod.metadata.uid = 'p-uid';
    cache.assume(schedulingPod(pod), 'n1');
    assert.ok(cache.isAssumed('default/p'));
    assert.deepEqual(totals(cache, 'n1'), { cpu: 250, pods: 1, nonZeroCpu: 250, group: 1 });
    cache.setAssignedPod({ ...pod, spec: { ...(pod['spec'] as object), nodeName: 'n1' } });
    assert.ok(!cache.isAssumed('default/p'));
    assert.deepEqual(totals(cache, 'n1'), { cpu: 250, pods: 1, nonZeroCpu: 250, group: 1 });
    cache.forget('default/p'); // confirmed: nothing to undo
    assert.deepEqual(totals(cache, 'n1'), { cpu: 250, pods: 1, nonZeroCpu: 250, group: 1 });
  });

  it('undoes a failed binding', () => {
    const cache = new SchedulerCache();
    cache.setNode(makeNode('n1').obj());
    cache.assume(schedulingPod(makePod('p').requests({ cpu: '1' }).obj()), 'n1');
    cache.forget('default/p');
    assert.deepEqual(totals(cache, 'n1'), { cpu: 0, pods: 0, nonZeroCpu: 0, group: 0 });
  });

  it('stops counting terminating pods for spreading, and removed pods for everything', () => {
    const cache = new SchedulerCache();
    cache.setNode(makeNode('n1').obj());
    const pod = makePod('p').ownedBy(RS).requests({ cpu: '100m' }).spec({ nodeName: 'n1' }).obj();
    cache.setAssignedPod(pod);
    assert.deepEqual(totals(cache, 'n1'), { cpu: 100, pods: 1, nonZeroCpu: 100, group: 1 });
    cache.setAssignedPod({
      ...pod,
      metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
    });
    assert.deepEqual(totals(cache, 'n1'), { cpu: 100, pods: 1, nonZeroCpu: 100, group: 0 });
    assert.equal(cache.removePod('default/p'), true);
    assert.equal(cache.removePod('default/p'), false);
    assert.deepEqual(totals(cache, 'n1'), { cpu: 0, pods: 0, nonZeroCpu: 0, group: 0 });
  });

  it('keeps the pods of a deleted node until they go', () => {
    const cache = new SchedulerCache();
    cache.setNode(makeNode('n1').obj());
    cache.setAssignedPod(makePod('p').requests({ cpu: '1' }).spec({ nodeName: 'n1' }).obj());
    cache.removeNode('n1');
    assert.equal(cache.nodes().length, 0);
    cache.setNode(makeNode('n1').obj());
    assert.deepEqual(totals(cache, 'n1'), { cpu: 1000, pods: 1, nonZeroCpu: 1000, group: 0 });
  });
});
