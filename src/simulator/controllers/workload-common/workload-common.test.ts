import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../../base/fake-clock.js';
import { makePod } from '../../testing/fixtures.js';
import { ControllerExpectations } from './expectations.js';
import { podsToDelete } from './pod-ranking.js';
import { computeHash, equalIgnoreHash, safeEncode } from './pod-template-hash.js';
import { slowStartBatch } from './slow-start.js';
import type { Pod, PodTemplate } from './types.js';
import { cloneJson } from '../../../base/json-clone.js';

const T0 = Date.UTC(2026, 0, 1);

function pod(
  name: string,
  o: {
    node?: string;
    phase?: string;
    ready?: boolean;
    readySince?: number;
    created?: number;
    restarts?: number;
    uid?: string;
    cost?: string;
  } = {},
): Pod {
  const p = makePod(name).obj() as Pod;
  p.metadata.uid = o.uid ?? name;
  p.metadata.creationTimestamp = new Date(o.created ?? T0).toISOString();
  if (o.cost !== undefined) p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': o.cost };
  if (o.node !== undefined) p.spec = { ...p.spec, nodeName: o.node };
  p.status = {
    phase: o.phase ?? 'Running',
    conditions: [
      {
        type: 'Ready',
        status: o.ready === false ? 'False' : 'True',
        lastTransitionTime: new Date(o.readySince ?? T0).toISOString(),
      },
    ],
    containerStatuses: [{ name: 'app', restartCount: o.restarts ?? 0 }],
  };
  return p;
}

describe('pod-template-hash', () => {
  const template: PodTemplate = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'a', image: 'nginx:1' }] },
  };

  it('is a stable string over the safe alphabet and changes with the template and collision count', () => {
    const h = computeHash(template);
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(computeHash(cloneJson(template)), h);
    assert.notEqual(computeHash(template, 1), h);
    assert.notEqual(computeHash(template, 1), computeHash(template, 2));
    assert.notEqual(computeHash({ ...template, spec: { containers: [{ name: 'a', image: 'nginx:2' }] } }), h);
  });

  it('maps decimal digits as rand.SafeEncodeString does', () => {
    assert.equal(safeEncode('0123456789'), '456789bcdf');
  });

  it('ignores the pod-template-hash label and empty maps when comparing', () => {
    const withHash: PodTemplate = {
      metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } },
      spec: cloneJson(template.spec ?? {}),
    };
    assert.ok(equalIgnoreHash(template, withHash));
    assert.ok(equalIgnoreHash({ metadata: { labels: {} }, spec: {} }, { spec: {} }));
    assert.ok(!equalIgnoreHash(template, { ...template, metadata: { labels: { app: 'api' } } }));
  });
});

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, … and stops after a failing batch', async () => {
    let calls = 0;
    const ok = await slowStartBatch(10, () => {
      calls++;
      return Promise.resolve();
    });
    assert.deepEqual(ok, { successes: 10 });
    calls = 0;
    const failed = await slowStartBatch(10, () => {
      calls++;
      return calls === 3 ? Promise.reject(new Error('quota')) : Promise.resolve();
    });
    assert.equal(calls, 3, 'batches 1 and 2 ran; nothing after the failing batch');
    assert.equal(failed.successes, 2);
    assert.match(String(failed.error), /quota/);
  });
});

describe('ControllerExpectations', () => {
  it('holds a key until every expected creation and deletion was observed, or the TTL passed', async () => {
    const clock = new FakeClock();
    const exp = new ControllerExpectations({ clock, ttlMs: 60_000 });
    assert.ok(exp.satisfied('ns/a'), 'unknown keys are satisfied');
    exp.expectCreations('ns/a', 2);
    assert.ok(!exp.satisfied('ns/a'));
    exp.creationObserved('ns/a');
    assert.ok(!exp.satisfied('ns/a'));
    exp.creationObserved('ns/a');
    assert.ok(exp.satisfied('ns/a'));

    exp.expectDeletions('ns/a', ['ns/p1', 'ns/p2']);
    exp.deletionObserved('ns/a', 'ns/p1');
    exp.deletionObserved('ns/a', 'ns/p1');
    exp.deletionObserved('ns/a', 'ns/other');
    assert.ok(!exp.satisfied('ns/a'), 'each expected pod counts once; others not at all');
    exp.deletionObserved('ns/a', 'ns/p2');
    assert.ok(exp.satisfied('ns/a'));

    exp.expectCreations('ns/a', 1);
    await clock.advance(60_001);
    assert.ok(exp.satisfied('ns/a'), 'expired');
  });
});

describe('podsToDelete', () => {
  const now = T0 + 3_600_000;
  it('orders victims as kube: unassigned, pending, not ready, deletion cost, doubled up, ready for less time, restarts, newer', () => {
    const cases: { name: string; pods: Pod[]; first: string }[] = [
      {
        name: 'unassigned first',
        pods: [pod('assigned', { node: 'n1' }), pod('unassigned')],
        first: 'unassigned',
      },
      {
        name: 'pending before running',
        pods: [pod('running', { node: 'n1' }), pod('pending', { node: 'n1', phase: 'Pending' })],
        first: 'pending',
      },
      {
        name: 'not ready before ready',
        pods: [pod('ready', { node: 'n1' }), pod('unready', { node: 'n1', ready: false })],
        first: 'unready',
      },
      {
        name: 'lower deletion cost first',
        pods: [pod('costly', { node: 'n1', cost: '10' }), pod('cheap', { node: 'n1', cost: '-5' })],
        first: 'cheap',
      },
      {
        name: 'ready for less time first',
        pods: [
          pod('old', { node: 'n1', readySince: T0 }),
          pod('fresh', { node: 'n1', readySince: now - 1000 }),
        ],
        first: 'fresh',
      },
      {
        name: 'more restarts first',
        pods: [pod('calm', { node: 'n1' }), pod('crashy', { node: 'n1', restarts: 7 })],
        first: 'crashy',
      },
      {
        name: 'newer first',
        pods: [pod('older', { node: 'n1', created: T0 }), pod('newer', { node: 'n1', created: now - 1000 })],
        first: 'newer',
      },
    ];
    for (const c of cases) {
      const [victim] = podsToDelete(c.pods, { count: 1, related: c.pods, now });
      assert.equal(victim?.metadata.name, c.first, c.name);
    }
  });

  it('prefers pods on nodes crowded with related pods, and returns all pods unsorted when all go', () => {
    const a = pod('a', { node: 'n1' });
    const b = pod('b', { node: 'n2' });
    const sibling = pod('sibling', { node: 'n2' });
    const [victim] = podsToDelete([a, b], { count: 1, related: [a, b, sibling], now });
    assert.equal(victim?.metadata.name, 'b');
    assert.deepEqual(
      podsToDelete([a, b], { count: 5, related: [], now }).map((p) => p.metadata.name),
      ['a', 'b'],
    );
  });
});
