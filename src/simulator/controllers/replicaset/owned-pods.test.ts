import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorFromObject } from '../../../api/labels/selector-object.js';
import { matchesLabels } from '../../../api/labels/selector.js';
import type { Informer, InformerHandlers } from '../../../client/informer.js';
import { makePod } from '../../testing/fixtures.js';
import { isPodActive } from '../workload-common/pod-state.js';
import { makeReplicaSet } from '../workload-common/testing/workload-env.js';
import type { Pod, ReplicaSet } from '../workload-common/types.js';
import { OwnedPods } from './owned-pods.js';
import { countPods } from './replicaset-status.js';

const T0 = Date.UTC(2026, 0, 1);

/** Just enough of an informer to capture the handlers OwnedPods registers. */
function fakeInformer(): { informer: Informer<Pod>; handlers: InformerHandlers<Pod>[] } {
  const handlers: InformerHandlers<Pod>[] = [];
  const informer = {
    addHandlers: (h: InformerHandlers<Pod>) => handlers.push(h),
  } as unknown as Informer<Pod>;
  return { informer, handlers };
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPod(rs: ReplicaSet, name: string, o: { rnd: () => number; rv: number }): Pod {
  const { rnd, rv } = o;
  const pod = makePod(name)
    .labels({ app: rnd() < 0.8 ? 'web' : 'other', ...(rnd() < 0.5 ? { tier: 'fe' } : {}) })
    .obj() as Pod;
  pod.metadata.resourceVersion = String(rv);
  if (rnd() < 0.9)
    pod.metadata.ownerReferences = [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web',
        uid: rs.metadata.uid ?? '',
        controller: true,
      },
    ];
  if (rnd() < 0.1) pod.metadata.deletionTimestamp = new Date(T0).toISOString();
  const ready = rnd() < 0.6;
  pod.status = {
    phase: rnd() < 0.1 ? 'Succeeded' : 'Running',
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : 'False',
        lastTransitionTime: new Date(T0 + Math.floor(rnd() * 60) * 1000).toISOString(),
      },
    ],
  };
  return pod;
}

describe('OwnedPods', () => {
  it('keeps counters equal to a full recount through random pod events and spec changes', () => {
    const { informer, handlers } = fakeInformer();
    const owned = new OwnedPods(informer);
    const h = handlers[0];
    assert.ok(h);
    let rs = makeReplicaSet('web', { replicas: 3, minReadySeconds: 10 });
    rs.metadata.uid = 'rs-uid';
    const rnd = random(42);
    const cache = new Map<string, Pod>();
    let rv = 0;
    for (let step = 0; step < 2000; step++) {
      const name = `p${Math.floor(rnd() * 40)}`;
      const before = cache.get(name);
      const roll = rnd();
      if (roll < 0.15 && before) {
        cache.delete(name);
        h.onDelete?.(before);
      } else {
        const pod = randomPod(rs, name, { rnd, rv: ++rv });
        pod.metadata.namespace = 'default';
        cache.set(name, pod);
        if (before) h.onUpdate?.(before, pod);
        else h.onAdd?.(pod);
      }
      if (step % 500 === 499) {
        // A new selector or template: the bucket must recount once.
        rs = {
          ...rs,
          spec: {
            ...rs.spec,
            selector: { matchLabels: step % 1000 === 499 ? { tier: 'fe' } : { app: 'web' } },
          },
        };
      }
      if (step % 50 === 0) {
        const now = T0 + step * 100;
        const bucket = owned.of(rs);
        const mine = [...cache.values()].filter(
          (p) => p.metadata.ownerReferences?.[0]?.uid === 'rs-uid' && isPodActive(p),
        );
        const selector = labelSelectorFromObject(rs.spec.selector);
        const matching = mine.filter((p) => matchesLabels(selector, p.metadata.labels));
        assert.equal(bucket.activePods().length, matching.length);
        const want = countPods(rs, matching, now);
        assert.deepEqual(
          {
            replicas: bucket.active,
            fullyLabeled: bucket.fullyLabeled,
            ready: bucket.ready,
            available: bucket.available(now),
          },
          want,
          `step ${step}`,
        );
        assert.equal(matching.length + bucket.mismatched.size, mine.length);
      }
    }
  });
});
