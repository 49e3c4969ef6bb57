import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TargetCluster } from '../../api/flotilla/binding.js';
import { UnschedulableError, divideReplicas } from './assign.js';
import type { DivisionCandidate, DivisionInput } from './assign.js';
import { divisionStrategy } from './strategy.js';

const caps = (capacities: Record<string, number>): DivisionCandidate[] =>
  Object.entries(capacities).map(([name, allocatable]) => ({ name, allocatable }));
const run = (
  input: Partial<DivisionInput> & Pick<DivisionInput, 'strategy' | 'replicas' | 'candidates'>,
): string =>
  divideReplicas({ previous: [], fresh: false, uid: '', ...input })
    .map((t) => `${t.name}:${t.replicas ?? '-'}`)
    .join(' ');
const prev = (spec: Record<string, number>): TargetCluster[] =>
  Object.entries(spec).map(([name, replicas]) => ({ name, replicas }));

describe('divisionStrategy', () => {
  it('reads the placement as Karmada does', () => {
    assert.equal(divisionStrategy(undefined), 'Duplicated');
    assert.equal(divisionStrategy({ replicaSchedulingType: 'Duplicated' }), 'Duplicated');
    assert.equal(divisionStrategy({ replicaSchedulingType: 'Divided' }), 'StaticWeight');
    assert.equal(
      divisionStrategy({ replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' }),
      'StaticWeight',
    );
    assert.equal(
      divisionStrategy({
        replicaSchedulingType: 'Divided',
        replicaDivisionPreference: 'Weighted',
        weightPreference: { dynamicWeight: 'AvailableReplicas', staticWeightList: [] },
      }),
      'DynamicWeight',
    );
    assert.equal(
      divisionStrategy({ replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Aggregated' }),
      'Aggregated',
    );
  });
});

describe('divideReplicas', () => {
  it('duplicates to every cluster', () => {
    assert.equal(run({ strategy: 'Duplicated', replicas: 3, candidates: caps({ b: 0, a: 1 }) }), 'a:3 b:3');
  });

  it('divides by static weights from scratch, leaving out unweighted clusters', () => {
    const candidates = [
      { name: 'a', allocatable: 0, weight: 3 },
      { name: 'b', allocatable: 0, weight: 2 },
      { name: 'c', allocatable: 0, weight: 1 },
      { name: 'd', allocatable: 0, weight: 0 },
    ];
    assert.equal(run({ strategy: 'StaticWeight', replicas: 14, candidates }), 'a:7 b:5 c:2');
    assert.equal(
      run({ strategy: 'StaticWeight', replicas: 12, candidates, previous: prev({ d: 12 }) }),
      'a:6 b:4 c:2',
    );
    const unweighted = candidates.map((c) => ({ ...c, weight: 0 }));
    assert.equal(run({ strategy: 'StaticWeight', replicas: 4, candidates: unweighted }), 'a:1 b:1 c:1 d:1');
  });

  it('divides by available replicas (the API example: 6/12/18 with 12 → 2/4/6)', () => {
    assert.equal(
      run({ strategy: 'DynamicWeight', replicas: 12, candidates: caps({ a: 6, b: 12, c: 18 }) }),
      'a:2 b:4 c:6',
    );
  });

  it('scales up steadily: only the new replicas are divided, by free room', () => {
    assert.equal(
      run({
        strategy: 'DynamicWeight',
        replicas: 10,
        candidates: caps({ a: 0, b: 10, c: 10 }),
        previous: prev({ a: 3, b: 3 }),
      }),
      'a:3 b:5 c:2',
    );
  });

  it('scales down in proportion to the previous decision', () => {
    assert.equal(
      run({
        strategy: 'DynamicWeight',
        replicas: 6,
        candidates: caps({ a: 100, b: 100, c: 100 }),
        previous: prev({ a: 6, b: 4, c: 2 }),
      }),
      'a:3 b:2 c:1',
    );
  });

  it('re-places the replicas of a cluster that is no longer a candidate', () => {
    assert.equal(
      run({
        strategy: 'DynamicWeight',
        replicas: 6,
        candidates: caps({ a: 4, b: 4 }),
        previous: prev({ a: 2, b: 2, gone: 2 }),
      }),
      'a:3 b:3',
    );
  });

  it('keeps the previous decision when nothing changed, and recomputes everything when fresh', () => {
    const base = { strategy: 'DynamicWeight' as const, replicas: 6, candidates: caps({ a: 10, b: 0 }) };
    assert.equal(run({ ...base, previous: prev({ a: 1, b: 5 }) }), 'a:1 b:5');
    // fresh: weights are free room plus what each holds (11 and 5)
    assert.equal(run({ ...base, previous: prev({ a: 1, b: 5 }), fresh: true }), 'a:4 b:2');
  });

  it('aggregates onto the fewest clusters, those in use first', () => {
    assert.equal(run({ strategy: 'Aggregated', replicas: 5, candidates: caps({ a: 4, b: 8, c: 2 }) }), 'b:5');
    assert.equal(
      run({ strategy: 'Aggregated', replicas: 12, candidates: caps({ a: 4, b: 8, c: 2 }) }),
      'a:4 b:8',
    );
    assert.equal(
      run({
        strategy: 'Aggregated',
        replicas: 4,
        candidates: caps({ a: 1, b: 8 }),
        previous: prev({ a: 2 }),
      }),
      'a:2 b:2', // the 2 new replicas go over a (room 1) and b (room 8), a listed first as in use
    );
  });

  it('refuses what the clusters cannot host', () => {
    assert.throws(
      () => run({ strategy: 'DynamicWeight', replicas: 10, candidates: caps({ a: 4, b: 5 }) }),
      (err: unknown) =>
        err instanceof UnschedulableError &&
        err.message === 'Clusters available replicas 9 are not enough to schedule.',
    );
  });

  it('never exceeds capacity and always sums to the desired count under dynamic division', () => {
    fc.assert(
      fc.property(
        fc.record({
          free: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 8 }),
          before: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 0, maxLength: 8 }),
          replicas: fc.integer({ min: 0, max: 200 }),
          strategy: fc.constantFrom('DynamicWeight' as const, 'Aggregated' as const),
          fresh: fc.boolean(),
        }),
        ({ free, before, replicas, strategy, fresh }) => {
          const candidates = free.map((allocatable, i) => ({ name: `c${i}`, allocatable }));
          const previous = before.map((r, i) => ({ name: `c${i}`, replicas: r }));
          const held = new Map(previous.map((t) => [t.name, t.replicas]));
          let result: TargetCluster[];
          try {
            result = divideReplicas({ strategy, replicas, candidates, previous, fresh, uid: 'u' });
          } catch (err) {
            assert.ok(err instanceof UnschedulableError);
            return;
          }
          const total = result.reduce((a, t) => a + (t.replicas ?? 0), 0);
          assert.equal(total, replicas);
          for (const t of result) {
            const c = candidates.find((x) => x.name === t.name);
            assert.ok(c, `${t.name} is a candidate`);
            assert.ok((t.replicas ?? 0) <= c.allocatable + (held.get(t.name) ?? 0), `${t.name} fits`);
          }
        },
      ),
    );
  });
});
