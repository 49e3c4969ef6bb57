import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { describeBinding, statusSummary } from './describe-binding.js';
import { AT_NOW, ago, makeBinding } from './testing/fixtures.js';

describe('describeBinding', () => {
  const text = describeBinding(
    makeBinding(),
    [
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'e' },
        type: 'Normal',
        reason: 'ScheduleBindingSucceed',
        message: 'to a:4, b:2',
        lastTimestamp: ago(290),
        source: { component: 'flotilla-scheduler' },
      },
    ],
    AT_NOW,
  );

  it('shows the resource, the policy and the placement', () => {
    for (const line of [
      /^Name: +web-deployment$/m,
      /^Namespace: +default$/m,
      /^Resource: +Deployment default\/web \(apps\/v1\)$/m,
      /^Policy: +PropagationPolicy default\/web$/m,
      /^Replicas: +6$/m,
      /^Per Replica: +cpu=100m$/m,
      /^Priority: +0 \(PreemptLowerPriority\)$/m,
      /^Placement:\n {2}Cluster Affinity: +any cluster\n/m,
      /^ {2}Replica Scheduling: +Duplicated$/m,
    ])
      assert.match(text, line);
  });

  it("shows the decision, each cluster's copy, conditions, history and events", () => {
    for (const section of [
      /^Decision:\n {2}Cluster +Replicas\n {2}-+ +-+\n {2}a +4\n {2}b +2\n/m,
      /^ {2}a +True +Healthy +replicas=4 readyReplicas=4$/m,
      /^ {2}b +False +Unknown +member refused$/m,
      /^ {2}FullyApplied +False +Pending +4m40s +b pending$/m,
      /^Scheduling History:\n {2}Age +Trigger +Reason +Clusters +Message\n.*\n {2}4m50s +Initial +Success +a:4,b:2 +to a:4, b:2$/m,
      /^ {2}Normal +ScheduleBindingSucceed +4m50s +flotilla-scheduler +to a:4, b:2$/m,
    ])
      assert.match(text, section);
  });

  it('shows the copies kept while the workload moves, and the clusters it will return to', () => {
    const b = makeBinding();
    b.spec.failover = { rebalanceOnRecovery: true };
    b.spec.gracefulEvictionTasks = [
      {
        fromCluster: 'c',
        replicas: 2,
        reason: 'TaintUntolerated',
        producer: 'TaintManager',
        purgeMode: 'Gracefully',
        creationTimestamp: ago(30),
      },
    ];
    b.spec.rebalance = {
      previousClusters: [
        { name: 'a', replicas: 5 },
        { name: 'b', replicas: 1 },
      ],
      startedAt: ago(10),
    };
    b.status = {
      ...b.status,
      schedulingHistory: [
        {
          time: ago(30),
          reason: 'Success',
          clusters: [],
          trigger: 'ClusterFailover',
          awaitingRecovery: ['c'],
        },
      ],
    };
    const moving = describeBinding(b, [], AT_NOW);
    assert.match(moving, /^Awaiting Recovery: +c$/m);
    assert.match(
      moving,
      /^Copies Kept:\n {2}Cluster +Replicas +Since +Why\n.*\n {2}c +2 +30s +evicted \(TaintUntolerated, Gracefully\)\n {2}a +5 +10s +rebalancing: until the new placement is ready\n/m,
    );
    assert.doesNotMatch(text, /Copies Kept|Awaiting Recovery/);
  });

  it('describes a cluster-scoped, unscheduled binding of a non-workload', () => {
    const crb: ResourceBinding = {
      apiVersion: 'work.flotilla.io/v1alpha1',
      kind: 'ClusterResourceBinding',
      metadata: { name: 'ns-namespace' },
      spec: { resource: { apiVersion: 'v1', kind: 'Namespace', name: 'ns' }, clusters: [{ name: 'a' }] },
    };
    const out = describeBinding(crb, [], AT_NOW);
    assert.doesNotMatch(out, /^Namespace:/m);
    assert.match(out, /^Resource: +Namespace ns \(v1\)$/m);
    assert.match(out, /^Policy: +<none>$/m);
    assert.match(out, /^Decision:\n {2}Cluster\n {2}-+\n {2}a\n/m);
    for (const none of ['Cluster Status', 'Conditions', 'Scheduling History', 'Events'])
      assert.match(out, new RegExp(`^${none}: {2}<none>$`, 'm'));
  });

  it('sums a member status up in one line', () => {
    const cases: [unknown, string][] = [
      [
        { replicas: 2, ready: true, conditions: [{ type: 'Available', status: 'True' }], nested: {} },
        'replicas=2 ready=true Available=True',
      ],
      [undefined, '<none>'],
      [{}, '<none>'],
      [[1], '<none>'],
    ];
    for (const [status, want] of cases) assert.equal(statusSummary(status), want);
  });
});
