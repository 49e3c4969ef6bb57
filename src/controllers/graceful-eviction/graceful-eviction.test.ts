import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { GracefulEvictionTask, ResourceBinding } from '../../api/flotilla/binding.js';
import { taskVerdict } from './graceful-eviction.js';

const T0 = Date.UTC(2026, 0, 1);
const task: GracefulEvictionTask = {
  fromCluster: 'b',
  reason: 'TaintUntolerated',
  producer: 'TaintManager',
  creationTimestamp: new Date(T0).toISOString(),
};

function binding(o: {
  clusters: [string, number][];
  scheduled?: 'True' | 'False';
  observed?: boolean;
  healthy?: string[];
}): ResourceBinding {
  return {
    apiVersion: 'work.flotilla.io/v1alpha1',
    kind: 'ResourceBinding',
    metadata: { name: 'web-deployment', namespace: 'default', generation: 3 },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      replicas: 4,
      placement: { replicaScheduling: { replicaSchedulingType: 'Divided' } },
      clusters: o.clusters.map(([name, replicas]) => ({ name, replicas })),
      gracefulEvictionTasks: [task],
    },
    status: {
      conditions: [{ type: 'Scheduled', status: o.scheduled ?? 'True', reason: 'Success' }],
      schedulerObservedGeneration: o.observed === false ? 2 : 3,
      aggregatedStatus: (o.healthy ?? []).map((clusterName) => ({ clusterName, health: 'Healthy' as const })),
    },
  };
}
const at = (ms: number): { nowMs: number; defaultGracePeriodMs: number } => ({
  nowMs: T0 + ms,
  defaultGracePeriodMs: 600_000,
});

describe('taskVerdict', () => {
  it('does not take a status from before the move for the new placement being Healthy', () => {
    const moved = binding({ clusters: [['a', 4]], healthy: ['a'] });
    const item = moved.status?.aggregatedStatus?.[0];
    if (item) item.status = { replicas: 2, readyReplicas: 2 };
    assert.deepEqual(taskVerdict(moved, task, at(1000)), { keep: true, untilMs: T0 + 600_000 });
    if (item) item.status = { replicas: 4, readyReplicas: 4 };
    assert.deepEqual(taskVerdict(moved, task, at(1000)), { keep: false, why: 'Healthy' });
  });

  it('lets the copy go once the replicas are Healthy elsewhere', () => {
    assert.deepEqual(taskVerdict(binding({ clusters: [['a', 4]], healthy: ['a'] }), task, at(1000)), {
      keep: false,
      why: 'Healthy',
    });
    assert.deepEqual(taskVerdict(binding({ clusters: [['a', 4]] }), task, at(1000)), {
      keep: true,
      untilMs: T0 + 600_000,
    });
  });

  it('ends the grace period only for a workload fully placed elsewhere', () => {
    assert.deepEqual(taskVerdict(binding({ clusters: [['a', 4]] }), task, at(600_000)), {
      keep: false,
      why: 'GracePeriodOver',
    });
    assert.deepEqual(taskVerdict(binding({ clusters: [['a', 2]] }), task, at(10 ** 9)), {
      keep: true,
      blocked: false,
    });
    assert.deepEqual(taskVerdict(binding({ clusters: [], scheduled: 'False' }), task, at(10 ** 9)), {
      keep: true,
      blocked: true,
    });
    assert.deepEqual(
      taskVerdict(binding({ clusters: [['a', 4]], observed: false, healthy: ['a'] }), task, at(10 ** 9)),
      { keep: true, blocked: false },
      'not yet scheduled for the current generation',
    );
  });

  it('follows the purge mode and the grace periods of the task and the policy', () => {
    const placed = binding({ clusters: [['a', 4]] });
    assert.deepEqual(taskVerdict(placed, { ...task, purgeMode: 'Directly' }, at(0)), {
      keep: false,
      why: 'Directly',
    });
    assert.deepEqual(taskVerdict(placed, { ...task, suppressDeletion: true }, at(10 ** 9)), { keep: true });
    assert.deepEqual(taskVerdict(placed, { ...task, gracePeriodSeconds: 5 }, at(5000)), {
      keep: false,
      why: 'GracePeriodOver',
    });
    placed.spec.failover = { cluster: { gracePeriodSeconds: 10 }, application: { gracePeriodSeconds: 20 } };
    assert.deepEqual(taskVerdict(placed, task, at(9999)), { keep: true, untilMs: T0 + 10_000 });
    assert.deepEqual(taskVerdict(placed, { ...task, producer: 'ApplicationFailover' }, at(9999)), {
      keep: true,
      untilMs: T0 + 20_000,
    });
  });
});
