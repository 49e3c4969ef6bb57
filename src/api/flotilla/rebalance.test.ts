import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding, SchedulingHistoryEntry, TargetCluster } from './binding.js';
import type { Cluster } from './cluster.js';
import {
  awaitingRecovery,
  clustersWithCopies,
  keptTargets,
  rebalanceFor,
  recoveredSince,
} from './rebalance.js';

const t = (spec: string): TargetCluster[] =>
  spec
    .split(' ')
    .filter(Boolean)
    .map((s) => {
      const [name, n] = s.split(':') as [string, string | undefined];
      return n === undefined ? { name } : { name, replicas: Number(n) };
    });
const show = (targets: readonly TargetCluster[]): string =>
  targets.map((x) => (x.replicas === undefined ? x.name : `${x.name}:${x.replicas}`)).join(' ');

function binding(
  clusters: string,
  extra: Partial<ResourceBinding['spec']> = {},
  history: SchedulingHistoryEntry[] = [],
): ResourceBinding {
  return {
    apiVersion: 'work.flotilla.io/v1alpha1',
    kind: 'ResourceBinding',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      clusters: t(clusters),
      ...extra,
    },
    status: { schedulingHistory: history },
  };
}

const entry = (trigger: string, awaiting?: string[]): SchedulingHistoryEntry => ({
  time: '2026-12-05T00:00:00Z',
  reason: 'Success',
  clusters: [],
  trigger,
  ...(awaiting ? { awaitingRecovery: awaiting } : {}),
});

describe('awaitingRecovery', () => {
  it('collects the failed clusters of failovers since the last rebalance, and what that one still awaited', () => {
    const b = binding('a:3 b:3', {}, [
      entry('ClusterFailover', ['d']),
      entry('SpecChange'),
      entry('ClusterFailover', ['c']),
      entry('Rebalance', ['e']),
      entry('ClusterFailover', ['f']),
    ]);
    assert.deepEqual(awaitingRecovery(b), ['c', 'd', 'e']);
  });

  it('is empty after a rebalance that awaited nothing', () => {
    assert.deepEqual(
      awaitingRecovery(binding('a:3', {}, [entry('Rebalance'), entry('ClusterFailover', ['c'])])),
      [],
    );
  });
});

describe('recoveredSince', () => {
  const cluster = (ready: string, taints: string[] = [], since?: string): Cluster => ({
    apiVersion: 'cluster.flotilla.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'c' },
    spec: { taints: taints.map((key) => ({ key, effect: 'NoSchedule' })) },
    status: {
      conditions: [
        { type: 'Ready', status: ready as 'True', ...(since ? { lastTransitionTime: since } : {}) },
      ],
    },
  });

  it('counts from the Ready transition of a cluster without health taints', () => {
    assert.equal(
      recoveredSince(cluster('True', [], '2026-12-05T10:00:00Z')),
      Date.parse('2026-12-05T10:00:00Z'),
    );
    assert.equal(
      recoveredSince(cluster('True', ['dedicated'], '2026-12-05T10:00:00Z')),
      Date.parse('2026-12-05T10:00:00Z'),
    );
  });

  it('is undefined while the cluster is not Ready or still has a health taint', () => {
    assert.equal(recoveredSince(cluster('Unknown')), undefined);
    assert.equal(recoveredSince(cluster('True', ['cluster.flotilla.io/unreachable'])), undefined);
    assert.equal(recoveredSince(cluster('True', ['cluster.flotilla.io/not-ready'])), undefined);
  });
});

describe('rebalanceFor and keptTargets', () => {
  const now = '2026-12-05T10:00:00.000Z';

  it('keeps the old shares while the new decision takes replicas off clusters: new before old', () => {
    const b = binding('a:3 b:3');
    const state = rebalanceFor(b, t('a:2 b:2 c:2'), now);
    assert.deepEqual(state, { previousClusters: t('a:3 b:3'), startedAt: now });
    const during = binding('a:2 b:2 c:2', state ? { rebalance: state } : {});
    assert.equal(show(keptTargets(during)), 'a:3 b:3 c:2');
  });

  it('keeps a cluster that leaves the decision until the new one is ready', () => {
    const state = rebalanceFor(binding('a:3 b:3'), t('b:3 c:3'), now);
    assert.equal(show(keptTargets(binding('b:3 c:3', state ? { rebalance: state } : {}))), 'b:3 c:3 a:3');
  });

  it('needs nothing when no cluster loses replicas', () => {
    assert.equal(rebalanceFor(binding('a:3 b:3'), t('a:3 b:3 c:1'), now), undefined);
    assert.equal(rebalanceFor(binding('a b'), t('a b c'), now), undefined);
  });

  it('a rebalance during a rebalance keeps every copy the first one kept, and restarts its clock', () => {
    const first = { previousClusters: t('a:4 b:2'), startedAt: '2026-12-05T09:00:00.000Z' };
    const state = rebalanceFor(binding('a:2 b:2 c:2', { rebalance: first }), t('a:1 b:1 c:4'), now);
    assert.deepEqual(state, { previousClusters: t('a:4 b:2 c:2'), startedAt: now });
  });

  it('without a rebalance the kept targets are the decision', () => {
    assert.equal(show(keptTargets(binding('a:2 b:1'))), 'a:2 b:1');
  });
});

describe('clustersWithCopies', () => {
  it('names the decision, the old decision of a rebalance and the clusters of eviction tasks, once each', () => {
    const b = binding('a:2 b:2', {
      rebalance: { previousClusters: t('a:3 c:1'), startedAt: '2026-12-05T10:00:00.000Z' },
      gracefulEvictionTasks: [
        { fromCluster: 'd', reason: 'TaintUntolerated', producer: 'TaintManager' },
        { fromCluster: 'c', reason: 'TaintUntolerated', producer: 'TaintManager' },
      ],
    });
    assert.equal(show(clustersWithCopies(b)), 'a b c d');
  });
});
