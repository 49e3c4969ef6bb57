import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { RESERVATION_TTL_MS, Reservations } from './reservations.js';

const freed = (
  pods: number,
  cpu: number,
): Map<string, { amounts: Record<string, number>; largest: Record<string, number> }> =>
  new Map([['a', { amounts: { pods, cpu }, largest: { cpu: cpu / pods } }]]);

function binding(clusters: string[], healthy: string[] = []): ResourceBinding {
  return {
    apiVersion: 'work.flotilla.io/v1alpha1',
    kind: 'ResourceBinding',
    metadata: { name: 'high', namespace: 'default' },
    spec: {
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'high' },
      clusters: clusters.map((name) => ({ name, replicas: 1 })),
    },
    status: { aggregatedStatus: healthy.map((clusterName) => ({ clusterName, health: 'Healthy' as const })) },
  };
}

describe('Reservations', () => {
  it('counts held capacity as freed for the preemptor and as taken for everyone else', () => {
    const r = new Reservations();
    assert.equal(r.overlayFor('rb/default/low', 0), undefined);
    r.hold('rb/default/high', freed(2, 3000), 0);
    assert.deepEqual(r.overlayFor('rb/default/high', 0)?.get('a'), {
      amounts: { pods: 2, cpu: 3000 },
      largest: { cpu: 1500 },
    });
    assert.deepEqual(r.overlayFor('rb/default/low', 0)?.get('a'), {
      amounts: { pods: -2, cpu: -3000 },
      largest: {},
    });
  });

  it('keeps the hold until the preemptor is placed there and Healthy', () => {
    const r = new Reservations();
    r.hold('rb/default/high', freed(2, 3000), 0);
    assert.equal(
      r.settle('rb/default/high', binding([])),
      false,
      'not placed yet: its empty decision releases nothing',
    );
    r.placed('rb/default/high');
    assert.equal(r.settle('rb/default/high', binding(['a'])), false);
    assert.equal(r.settle('rb/default/high', binding(['a'], ['a'])), true);
    assert.equal(r.overlayFor('rb/default/low', 0), undefined);
  });

  it('releases a cluster the placed preemptor left, a deleted preemptor, and an expired hold', () => {
    const r = new Reservations();
    r.hold('rb/default/high', freed(1, 1000), 0);
    r.placed('rb/default/high');
    assert.equal(r.settle('rb/default/high', binding(['b'])), true);
    r.hold('rb/default/high', freed(1, 1000), 0);
    assert.equal(r.settle('rb/default/high', undefined), true);
    r.hold('rb/default/high', freed(1, 1000), 0);
    assert.notEqual(r.overlayFor('rb/default/low', RESERVATION_TTL_MS - 1), undefined);
    assert.equal(r.overlayFor('rb/default/low', RESERVATION_TTL_MS), undefined);
  });
});
