import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceBinding } from '../api/flotilla/binding.js';
import type { Cluster } from '../api/flotilla/cluster.js';
import { triggerOf } from './triggers.js';

const cluster = (name: string, deleting = false): Cluster => ({
  apiVersion: 'cluster.flotilla.io/v1alpha1',
  kind: 'Cluster',
  metadata: { name, ...(deleting ? { deletionTimestamp: '2026-12-07T00:00:00Z' } : {}) },
  spec: {},
});

const binding = {
  apiVersion: 'work.flotilla.io/v1alpha1',
  kind: 'ResourceBinding',
  metadata: { name: 'web-deployment', namespace: 'default', generation: 2 },
  spec: {
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default', uid: 'u' },
    replicas: 4,
    placement: {
      replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
    },
    clusters: [
      { name: 'a', replicas: 2 },
      { name: 'b', replicas: 2 },
    ],
  },
  status: { schedulerObservedGeneration: 2, conditions: [{ type: 'Scheduled', status: 'True' }] },
} as unknown as ResourceBinding;

describe('triggerOf', () => {
  it('leaves a complete decision alone, and reschedules when one of its clusters is being deleted', () => {
    const fleet = [cluster('a'), cluster('b'), cluster('c')];
    assert.equal(triggerOf(binding, fleet), undefined);
    const deleting = [cluster('a'), cluster('b', true), cluster('c')];
    assert.equal(triggerOf(binding, deleting), 'ClusterChange');
    assert.equal(triggerOf(binding, fleet), undefined, 'each list of clusters is judged by itself');
    assert.equal(triggerOf(binding, [cluster('a'), cluster('c')]), 'ClusterChange');
  });
});
