import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from '../../api/flotilla/cluster.js';
import { healthTaints, readyCondition } from './health.js';
import type { ProbeOutcome } from './health.js';

const T0 = Date.UTC(2026, 0, 1);
const ready: Condition = {
  type: 'Ready',
  status: 'True',
  reason: 'ClusterReady',
  lastTransitionTime: '2025-12-31T00:00:00.000Z',
};
const down: ProbeOutcome = { kind: 'unreachable', message: 'connect ECONNREFUSED' };

describe('readyCondition', () => {
  it('keeps a Ready cluster Ready through the grace period, then says why it is not', () => {
    const at = (nowMs: number, probe: ProbeOutcome = down) =>
      readyCondition({ probe, previous: ready, lastSuccessMs: T0, nowMs, graceMs: 40_000 });
    assert.equal(at(T0 + 39_999), ready);
    assert.deepEqual(at(T0 + 40_000), {
      type: 'Ready',
      status: 'Unknown',
      reason: 'ClusterNotReachable',
      message: 'connect ECONNREFUSED',
      lastTransitionTime: new Date(T0 + 40_000).toISOString(),
    });
    assert.equal(
      at(T0 + 50_000, { kind: 'not-ready', message: '/readyz answered 500' }).reason,
      'ClusterNotReady',
    );
    assert.equal(
      at(T0 + 50_000, { kind: 'ready' }).lastTransitionTime,
      ready.lastTransitionTime,
      'unchanged status keeps its time',
    );
  });

  it('judges a cluster never seen healthy at once', () => {
    const c = readyCondition({
      probe: down,
      previous: undefined,
      lastSuccessMs: undefined,
      nowMs: T0,
      graceMs: 40_000,
    });
    assert.equal(c.status, 'Unknown');
  });
});

describe('healthTaints', () => {
  const user = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  const at = (ms: number): string => new Date(ms).toISOString();
  it('adds the taint of the state, removes the other, keeps the rest', () => {
    const unknown = { ...ready, status: 'Unknown' as const };
    const tainted = healthTaints([user], { ready: unknown, nowMs: T0 }).taints;
    assert.deepEqual(tainted, [
      user,
      { key: 'cluster.flotilla.io/unreachable', effect: 'NoSchedule', timeAdded: at(T0) },
    ]);
    assert.deepEqual(
      healthTaints(tainted, { ready: unknown, nowMs: T0 + 5000 }).taints,
      tainted,
      'kept with its time',
    );
    const notReady = healthTaints(tainted, { ready: { ...ready, status: 'False' }, nowMs: T0 }).taints;
    assert.deepEqual(
      notReady.map((t) => t.key),
      ['dedicated', 'cluster.flotilla.io/not-ready'],
    );
    assert.deepEqual(healthTaints(notReady, { ready, nowMs: T0 }).taints, [user]);
  });

  it('adds the NoExecute twin once the cluster has been unhealthy for the eviction delay', () => {
    const unknown = { ...ready, status: 'Unknown' as const, lastTransitionTime: at(T0) };
    const early = healthTaints([], { ready: unknown, nowMs: T0 + 59_999, evictionDelayMs: 60_000 });
    assert.deepEqual(
      early.taints.map((t) => t.effect),
      ['NoSchedule'],
    );
    assert.equal(early.nextMs, T0 + 60_000, 'due when the delay ends');
    const due = healthTaints(early.taints, { ready: unknown, nowMs: T0 + 60_000, evictionDelayMs: 60_000 });
    assert.deepEqual(due.taints[1], {
      key: 'cluster.flotilla.io/unreachable',
      effect: 'NoExecute',
      timeAdded: at(T0 + 60_000),
    });
    assert.equal(due.nextMs, undefined);
    assert.deepEqual(
      healthTaints(due.taints, { ready, nowMs: T0 + 61_000, evictionDelayMs: 60_000 }).taints,
      [],
      'Ready again: both go',
    );
    assert.equal(
      healthTaints([], { ready: unknown, nowMs: T0 + 10 ** 9 }).taints.length,
      1,
      'no delay: never NoExecute',
    );
  });
});
