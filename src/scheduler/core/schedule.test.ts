import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Cluster } from '../../api/flotilla/cluster.js';
import type { Placement } from '../../api/flotilla/policy.js';
import { AGGREGATED, DYNAMIC, makeCluster, makeUnit } from '../testing/fixtures.js';
import { estimateAvailableReplicas } from './available-replicas.js';
import { schedule } from './schedule.js';
import type { ScheduleResult } from './schedule.js';

const decision = (r: ScheduleResult): string =>
  r.scheduled
    ? r.clusters.map((c) => `${c.name}:${c.replicas ?? '-'}`).join(' ')
    : `${r.reason}: ${r.message}`;
const pods = (name: string, n: number): Cluster =>
  makeCluster(name)
    .free({ pods: String(n) })
    .obj();

describe('schedule', () => {
  it('reports every rejected cluster and Karmada-style counts when nothing fits', () => {
    const clusters = [
      makeCluster('a').taint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }).obj(),
      makeCluster('b').taint({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }).obj(),
      makeCluster('c').notReady().obj(),
    ];
    const r = schedule({ unit: makeUnit(2, {}), clusters, fresh: false });
    assert.deepEqual(schedule({ unit: makeUnit(2, {}), clusters, fresh: false, report: false }), {
      ...r,
      candidates: [],
    });
    assert.equal(r.scheduled, false);
    assert.equal(r.reason, 'NoClusterFit');
    assert.equal(
      r.message,
      '0/3 clusters are available: 1 cluster(s) were not ready (ClusterNotReady), 2 cluster(s) had untolerated taint {dedicated=gpu:NoSchedule}.',
    );
    assert.deepEqual(
      r.candidates.map((c) => [c.name, c.feasible, c.filteredBy, c.score, c.availableReplicas]),
      [
        ['a', false, 'TaintToleration', null, null],
        ['b', false, 'TaintToleration', null, null],
        ['c', false, 'ClusterReady', null, null],
      ],
    );
  });

  it('duplicates to every feasible cluster, and lists non-workloads without replicas', () => {
    const clusters = [pods('a', 5), pods('b', 5), makeCluster('c').notReady().obj()];
    assert.equal(decision(schedule({ unit: makeUnit(3, {}), clusters, fresh: false })), 'a:3 b:3');
    const configMap = { ...makeUnit(0, {}), kind: 'ConfigMap', apiVersion: 'v1' };
    assert.equal(decision(schedule({ unit: configMap, clusters, fresh: false })), 'a:- b:-');
  });

  it('divides by static weights chosen by cluster affinity', () => {
    const placement: Placement = {
      replicaScheduling: {
        replicaSchedulingType: 'Divided',
        replicaDivisionPreference: 'Weighted',
        weightPreference: {
          staticWeightList: [
            { targetCluster: { clusterNames: ['member1'] }, weight: 1 },
            { targetCluster: { labelSelector: { matchLabels: { tier: 'big' } } }, weight: 2 },
          ],
        },
      },
    };
    const clusters = [
      pods('member1', 100),
      makeCluster('member2').labels({ tier: 'big' }).obj(),
      pods('member3', 100),
    ];
    assert.equal(
      decision(schedule({ unit: makeUnit(9, placement), clusters, fresh: false })),
      'member1:3 member2:6',
    );
  });

  it('divides dynamically, refuses what does not fit, and sends nothing where one replica cannot go', () => {
    const clusters = [pods('a', 6), pods('b', 12), pods('c', 18), pods('full', 0)];
    const r = schedule({ unit: makeUnit(12, DYNAMIC), clusters, fresh: false });
    assert.equal(decision(r), 'a:2 b:4 c:6');
    assert.deepEqual(
      r.candidates.find((c) => c.name === 'full'),
      {
        name: 'full',
        feasible: false,
        filteredBy: 'CapacityFit',
        reason: 'cluster(s) had no room for one more replica',
        score: null,
        tieBreakScore: null,
        availableReplicas: null,
        selected: false,
        replicas: 0,
      },
    );
    assert.equal(
      decision(schedule({ unit: makeUnit(40, DYNAMIC), clusters, fresh: false })),
      'Unschedulable: Clusters available replicas 36 are not enough to schedule.',
    );
  });

  it('keeps replicas where they are on scale-up and re-places those of a lost cluster', () => {
    const clusters = [pods('a', 10), pods('b', 10)];
    const previous = [
      { name: 'a', replicas: 2 },
      { name: 'gone', replicas: 2 },
    ];
    assert.equal(
      decision(schedule({ unit: makeUnit(6, DYNAMIC, { previous }), clusters, fresh: false })),
      'a:4 b:2',
    );
  });

  it('tries cluster-affinity terms in order; the first that schedules wins', () => {
    const placement: Placement = {
      ...AGGREGATED,
      clusterAffinities: [
        { affinityName: 'primary', clusterNames: ['idc'] },
        { affinityName: 'cloud', clusterNames: ['cloud-1', 'cloud-2'] },
      ],
    };
    const clusters = [pods('idc', 2), pods('cloud-1', 10), pods('cloud-2', 10)];
    const small = schedule({ unit: makeUnit(2, placement), clusters, fresh: false });
    assert.equal(decision(small), 'idc:2');
    assert.equal(small.affinityName, 'primary');
    const large = schedule({ unit: makeUnit(5, placement), clusters, fresh: false });
    assert.equal(decision(large), 'cloud-1:5');
    assert.equal(large.affinityName, 'cloud');
    const none = schedule({ unit: makeUnit(50, placement), clusters, fresh: false });
    assert.equal(none.reason, 'Unschedulable');
    assert.match(none.message, /^affinity primary: .*; affinity cloud: Clusters available replicas 20/);
  });

  it('spreads over clusters with min/max groups, swapping in room for divided workloads', () => {
    const clusters = [pods('a', 1), pods('b', 2), pods('c', 10)];
    const spread = (min: number, max: number): Placement => ({
      ...DYNAMIC,
      spreadConstraints: [{ spreadByField: 'cluster', minGroups: min, maxGroups: max }],
    });
    assert.equal(decision(schedule({ unit: makeUnit(4, spread(1, 1)), clusters, fresh: false })), 'c:4');
    assert.equal(
      decision(schedule({ unit: makeUnit(12, spread(2, 2)), clusters, fresh: false })),
      'b:2 c:10',
    );
    assert.equal(
      decision(schedule({ unit: makeUnit(1, spread(4, 4)), clusters, fresh: false })),
      'Unschedulable: the number of feasible clusters is less than spreadConstraint.MinGroups',
    );
  });

  it('spreads over regions, zones, providers and labels', () => {
    const clusters = [
      makeCluster('eu-1')
        .region('eu')
        .zones('eu-a')
        .provider('aws')
        .labels({ rack: 'r1' })
        .free({ pods: '10' })
        .obj(),
      makeCluster('eu-2')
        .region('eu')
        .zones('eu-b')
        .provider('gcp')
        .labels({ rack: 'r2' })
        .free({ pods: '10' })
        .obj(),
      makeCluster('us-1')
        .region('us')
        .zones('us-a')
        .provider('aws')
        .labels({ rack: 'r1' })
        .free({ pods: '5' })
        .obj(),
    ];
    const duplicatedOver = (constraint: Placement['spreadConstraints']): string =>
      decision(
        schedule({ unit: makeUnit(2, { spreadConstraints: constraint ?? [] }), clusters, fresh: false }),
      );
    assert.equal(
      duplicatedOver([
        { spreadByField: 'region', minGroups: 2, maxGroups: 2 },
        { spreadByField: 'cluster', minGroups: 2, maxGroups: 2 },
      ]),
      'eu-1:2 us-1:2',
    );
    assert.equal(duplicatedOver([{ spreadByField: 'region', minGroups: 1, maxGroups: 1 }]), 'eu-1:2 eu-2:2');
    assert.equal(
      duplicatedOver([
        { spreadByField: 'provider', minGroups: 2, maxGroups: 2 },
        { spreadByField: 'cluster', maxGroups: 2 },
      ]),
      'eu-1:2 eu-2:2',
    );
    assert.equal(duplicatedOver([{ spreadByField: 'zone', minGroups: 3 }]), 'eu-1:2 eu-2:2 us-1:2');
    assert.equal(
      duplicatedOver([
        { spreadByLabel: 'rack', minGroups: 1, maxGroups: 1 },
        { spreadByField: 'cluster', maxGroups: 1 },
      ]),
      'eu-1:2',
    );
    assert.equal(
      duplicatedOver([{ spreadByField: 'region', minGroups: 3 }]),
      'Unschedulable: the number of feasible region is less than spreadConstraint.MinGroups',
    );
  });

  it('searches region combinations as Karmada does, not only the best-ranked regions', () => {
    // a and b are small regions whose clusters have room for the workload (higher group score);
    // c has three clusters without room. Two regions holding four clusters: only {a, c} or {b, c}.
    const clusters = [
      makeCluster('a-1').region('a').free({ pods: '10' }).obj(),
      makeCluster('b-1').region('b').free({ pods: '10' }).obj(),
      ...[1, 2, 3].map((i) => makeCluster(`c-${i}`).region('c').free({ pods: '1' }).obj()),
    ];
    const previous = [{ name: 'a-1', replicas: 5 }]; // ClusterLocality ranks region a above b
    const unit = makeUnit(
      5,
      {
        spreadConstraints: [
          { spreadByField: 'region', minGroups: 2, maxGroups: 2 },
          { spreadByField: 'cluster', minGroups: 4, maxGroups: 4 },
        ],
      },
      { previous },
    );
    assert.equal(decision(schedule({ unit, clusters, fresh: false })), 'a-1:5 c-1:5 c-2:5 c-3:5');
    const three = makeUnit(5, {
      spreadConstraints: [
        { spreadByField: 'region', minGroups: 2, maxGroups: 2 },
        { spreadByField: 'cluster', minGroups: 6 },
      ],
    });
    assert.equal(
      decision(schedule({ unit: three, clusters, fresh: false })),
      'Unschedulable: the number of clusters is less than the cluster spreadConstraint.MinGroups',
    );
  });

  it('is deterministic, sums to the desired count or is unschedulable, and never overfills a cluster', () => {
    fc.assert(
      fc.property(
        fc.record({
          free: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 10 }),
          replicas: fc.integer({ min: 1, max: 150 }),
          placement: fc.constantFrom(DYNAMIC, AGGREGATED),
          uid: fc.uuid(),
        }),
        ({ free, replicas, placement, uid }) => {
          const clusters = free.map((n, i) => pods(`m${i}`, n));
          const unit = makeUnit(replicas, placement, { uid });
          const r = schedule({ unit, clusters, fresh: false });
          assert.deepEqual(schedule({ unit, clusters, fresh: false }), r);
          // The scheduler's run without reports decides and words it the same.
          assert.deepEqual(schedule({ unit, clusters, fresh: false, report: false }), {
            ...r,
            candidates: [],
          });
          if (!r.scheduled) return;
          assert.equal(
            r.clusters.reduce((a, c) => a + (c.replicas ?? 0), 0),
            replicas,
          );
          for (const c of r.clusters) {
            const cluster = clusters.find((x) => x.metadata.name === c.name) as Cluster;
            assert.ok((c.replicas ?? 0) <= estimateAvailableReplicas(cluster, undefined));
          }
        },
      ),
    );
  });
});
