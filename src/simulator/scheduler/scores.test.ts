import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { schedulingPod } from './pod-info.js';
import { SchedulerCache } from './scheduler-cache.js';
import { selectNode } from './scores.js';

const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d9', uid: 'rs-uid' } };

function cacheOf(nodes: KubeObject[], running: KubeObject[] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const p of running) cache.setAssignedPod(p);
  return cache;
}

function pick(pod: KubeObject, cache: SchedulerCache, random: () => number = () => 0.99): string {
  const all = cache.nodes();
  return selectNode(schedulingPod(pod), all, { allNodes: all, random }).name;
}

describe('scoring', () => {
  it('prefers the least allocated node', () => {
    const cache = cacheOf(
      [makeNode('busy').obj(), makeNode('idle').obj()],
      [makePod('x').requests({ cpu: '2', memory: '4Gi' }).spec({ nodeName: 'busy' }).obj()],
    );
    assert.equal(pick(makePod('p').requests({ cpu: '100m' }).obj(), cache), 'idle');
  });

  it('counts unset requests as 100m / 200Mi, so empty pods spread too', () => {
    const crowd = Array.from({ length: 20 }, (_, i) => makePod(`x${i}`).spec({ nodeName: 'busy' }).obj());
    const cache = cacheOf([makeNode('busy').cpu('2').obj(), makeNode('idle').cpu('2').obj()], crowd);
    assert.equal(pick(makePod('p').obj(), cache), 'idle');
  });

  it('avoids PreferNoSchedule taints the pod does not tolerate', () => {
    const cache = cacheOf([
      makeNode('a').taint({ key: 'soft', effect: 'PreferNoSchedule' }).obj(),
      makeNode('b').obj(),
    ]);
    assert.equal(
      pick(makePod('p').obj(), cache, () => 0),
      'b',
    );
    const tolerant = makePod('p')
      .spec({ tolerations: [{ key: 'soft', operator: 'Exists', effect: 'PreferNoSchedule' }] })
      .obj();
    // Tolerated: both score the same and the tie-break decides.
    assert.equal(
      pick(tolerant, cache, () => 0),
      'b',
    );
    assert.equal(
      pick(tolerant, cache, () => 0.99),
      'a',
    );
  });

  it('follows preferred node affinity', () => {
    const cache = cacheOf([makeNode('a').obj(), makeNode('b').labels({ disk: 'ssd' }).obj()]);
    const pod = makePod('p')
      .spec({
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 50,
                preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] },
              },
            ],
          },
        },
      })
      .obj();
    assert.equal(
      pick(pod, cache, () => 0),
      'b',
    );
  });

  it('spreads the pods of one ReplicaSet over nodes, counting what each node already has', () => {
    const mine = (name: string, node: string): KubeObject =>
      makePod(name).ownedBy(RS).spec({ nodeName: node }).obj();
    const cache = cacheOf(
      [makeNode('a').obj(), makeNode('b').obj(), makeNode('c').obj()],
      [mine('w1', 'a'), mine('w2', 'b')],
    );
    assert.equal(
      pick(makePod('w3').ownedBy(RS).obj(), cache, () => 0),
      'c',
    );
    // Pods of other owners do not count against a node.
    const other = { ...RS, metadata: { name: 'other', uid: 'other-uid' } };
    const theirs = (name: string): KubeObject => makePod(name).ownedBy(other).spec({ nodeName: 'c' }).obj();
    cache.setAssignedPod(theirs('o1'));
    cache.setAssignedPod(theirs('o2'));
    assert.equal(
      pick(makePod('w3').ownedBy(RS).obj(), cache, () => 0),
      'c',
    );
  });

  it('spreads over zones before nodes', () => {
    const zone = (z: string): Record<string, string> => ({ 'topology.kubernetes.io/zone': z });
    const mine = (name: string, node: string): KubeObject =>
      makePod(name).ownedBy(RS).spec({ nodeName: node }).obj();
    const cache = cacheOf(
      [
        makeNode('a1').labels(zone('a')).obj(),
        makeNode('a2').labels(zone('a')).obj(),
        makeNode('b1').labels(zone('b')).obj(),
      ],
      [mine('w1', 'a1')],
    );
    assert.equal(
      pick(makePod('w2').ownedBy(RS).obj(), cache, () => 0),
      'b1',
    );
  });
});
