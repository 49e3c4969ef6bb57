/** Table-driven checks of preemption planning. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Placement } from '../../api/flotilla/policy.js';
import { AGGREGATED, DYNAMIC, makeCluster, makeUnit } from '../testing/fixtures.js';
import { planPreemption } from './preempt.js';
import type { PreemptionCandidate } from './preempt.js';
import { schedule } from './schedule.js';

const CPU1 = { resourceRequest: { cpu: '1' } };
/** m1 has room for 2 one-cpu replicas; m2 is full; m3 is empty but outside the affinity below. */
const clusters = [
  makeCluster('m1')
    .free({ cpu: '10', pods: '100' }, { allocated: { cpu: '8' } })
    .obj(),
  makeCluster('m2')
    .free({ cpu: '10', pods: '100' }, { allocated: { cpu: '10' } })
    .obj(),
  makeCluster('m3')
    .free({ cpu: '10', pods: '100' }, { allocated: { cpu: '10' } })
    .obj(),
];

/** A possible victim named `key` holding `on` (cluster → replicas) of cpu-2 replicas. */
function victim(
  key: string,
  { on, ...extra }: Partial<PreemptionCandidate> & { priority: number; on: Record<string, number> },
): PreemptionCandidate {
  return {
    key,
    created: '2026-01-01T00:00:00Z',
    clusters: Object.entries(on).map(([name, replicas]) => ({ name, replicas })),
    request: { cpu: '2' },
    divisible: true,
    ...extra,
  };
}

/** Plans for `replicas` one-cpu replicas under `placement` at priority 100. */
function plan(replicas: number, placement: Placement, others: PreemptionCandidate[]) {
  const unit = makeUnit(replicas, placement, { requirements: CPU1 });
  return planPreemption({ unit, clusters, fresh: false }, 100, others);
}

describe('planPreemption', () => {
  it('is needed: without it the workload does not fit', () => {
    const unit = makeUnit(6, DYNAMIC, { requirements: CPU1 });
    assert.equal(schedule({ unit, clusters, fresh: false }).scheduled, false);
  });

  it('scales a lower-priority divided workload down by just enough', () => {
    const p = plan(6, DYNAMIC, [victim('low', { priority: 0, on: { m2: 5 } })]);
    assert.ok(p);
    assert.deepEqual(p.preemptions, [{ key: 'low', cluster: 'm2', replicas: 2, remaining: 3 }]);
    assert.deepEqual(p.result.clusters, [
      { name: 'm1', replicas: 2 },
      { name: 'm2', replicas: 4 },
    ]);
  });

  it('never preempts equal or higher priority', () => {
    assert.equal(
      plan(6, DYNAMIC, [
        victim('same', { priority: 100, on: { m2: 5 } }),
        victim('high', { priority: 500, on: { m2: 5 } }),
      ]),
      undefined,
    );
  });

  it('evicts a duplicated placement whole', () => {
    const p = plan(6, DYNAMIC, [victim('dup', { priority: 0, on: { m2: 5 }, divisible: false })]);
    assert.deepEqual(p?.preemptions, [{ key: 'dup', cluster: 'm2', replicas: 5, remaining: 0 }]);
  });

  it('does nothing when even every victim would not make room', () => {
    assert.equal(plan(40, DYNAMIC, [victim('low', { priority: 0, on: { m2: 5 } })]), undefined);
  });

  it('takes from the lowest priority first, then the newest', () => {
    const others = [
      victim('mid', { priority: 50, on: { m2: 5 } }),
      victim('old', { priority: 0, on: { m2: 2 }, created: '2025-01-01T00:00:00Z' }),
      victim('new', { priority: 0, on: { m2: 2 }, created: '2026-06-01T00:00:00Z' }),
    ];
    const p = plan(6, DYNAMIC, others);
    assert.deepEqual(
      p?.preemptions.map((x) => `${x.key}:${x.replicas}`),
      ['new:2'],
      'two cpu-2 replicas of the newest lowest-priority workload free room for four',
    );
  });

  it('leaves alone victims on clusters the workload may not use', () => {
    const placement: Placement = { ...DYNAMIC, clusterAffinity: { clusterNames: ['m1', 'm2'] } };
    const p = plan(6, placement, [
      victim('outside', { priority: 0, on: { m3: 5 } }),
      victim('inside', { priority: 10, on: { m2: 5 } }),
    ]);
    assert.deepEqual(p?.preemptions, [{ key: 'inside', cluster: 'm2', replicas: 2, remaining: 3 }]);
  });

  it('counts a freed replica as room on one node (continuous)', () => {
    const tight = [
      makeCluster('m1')
        .free({ cpu: '10', pods: '100' }, { allocated: { cpu: '9' }, continuous: { cpu: '500m' } })
        .obj(),
    ];
    const unit = makeUnit(2, AGGREGATED, { requirements: CPU1 });
    const p = planPreemption({ unit, clusters: tight, fresh: false }, 1, [
      victim('low', { priority: 0, on: { m1: 3 } }),
    ]);
    assert.deepEqual(p?.preemptions, [{ key: 'low', cluster: 'm1', replicas: 1, remaining: 2 }]);
    assert.deepEqual(p.result.clusters, [{ name: 'm1', replicas: 2 }]);
  });

  it('does not apply to duplicated workloads', () => {
    assert.equal(plan(6, {}, [victim('low', { priority: 0, on: { m2: 5 } })]), undefined);
  });
});
