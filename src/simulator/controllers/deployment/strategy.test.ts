import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeDeployment, makeReplicaSet } from '../workload-common/testing/workload-env.js';
import type { Deployment, IntOrString, ReplicaSet } from '../workload-common/types.js';
import { setNewReplicaSetAnnotations } from './annotations.js';
import { maxSurge, maxUnavailable, newRSNewReplicas, proportion } from './strategy.js';

function rolling(replicas: number, surge?: IntOrString, unavailable?: IntOrString): Deployment {
  const rollingUpdate: { maxSurge?: IntOrString; maxUnavailable?: IntOrString } = {};
  if (surge !== undefined) rollingUpdate.maxSurge = surge;
  if (unavailable !== undefined) rollingUpdate.maxUnavailable = unavailable;
  return makeDeployment('web', { replicas, strategy: { type: 'RollingUpdate', rollingUpdate } });
}

function rs(name: string, replicas: number, annotations: Record<string, string> = {}): ReplicaSet {
  const r = makeReplicaSet(name, { replicas });
  r.metadata.annotations = annotations;
  return r;
}

describe('rolling-update fenceposts', () => {
  const table: { d: Deployment; surge: number; unavailable: number }[] = [
    { d: rolling(3, '25%', '25%'), surge: 1, unavailable: 0 },
    { d: rolling(4, '25%', '25%'), surge: 1, unavailable: 1 },
    { d: rolling(10, '25%', '25%'), surge: 3, unavailable: 2 },
    { d: rolling(5, 0, 0), surge: 0, unavailable: 1 },
    { d: rolling(2, 0, 5), surge: 0, unavailable: 2 },
    { d: rolling(0, '25%', '25%'), surge: 0, unavailable: 0 },
    { d: makeDeployment('web', { replicas: 3, strategy: { type: 'Recreate' } }), surge: 0, unavailable: 0 },
  ];
  for (const [i, c] of table.entries())
    it(`case ${i}: maxSurge rounds up, maxUnavailable down, never both 0`, () => {
      assert.equal(maxSurge(c.d), c.surge);
      assert.equal(maxUnavailable(c.d), c.unavailable);
    });

  it('grows the new ReplicaSet only up to replicas + maxSurge', () => {
    const d = rolling(10, 3, 2);
    const newRS = rs('new', 0);
    assert.equal(newRSNewReplicas(d, [rs('old', 10), newRS], newRS), 3);
    assert.equal(newRSNewReplicas(d, [rs('old', 13), newRS], newRS), 0);
    const half = rs('new', 8);
    assert.equal(newRSNewReplicas(d, [rs('old', 2), half], half), 10);
  });
});

describe('proportional scaling', () => {
  it('gives each ReplicaSet its share of the new size, capped by what is left', () => {
    const d = rolling(20, 3, 2);
    const annotations = { 'deployment.kubernetes.io/max-replicas': '13' };
    assert.equal(proportion(rs('old', 8, annotations), d, { toAdd: 10, added: 0 }), 6);
    assert.equal(proportion(rs('new', 5, annotations), d, { toAdd: 10, added: 6 }), 4);
    assert.equal(proportion(rs('new', 5, annotations), d, { toAdd: 10, added: 10 }), 0);
  });
});

describe('new ReplicaSet annotations', () => {
  it('copies Deployment annotations, raises the revision and keeps the history of a re-used ReplicaSet', () => {
    const d = makeDeployment('web');
    d.metadata.annotations = {
      'kubernetes.io/change-cause': 'kubectl set image',
      'deployment.kubernetes.io/revision': '7',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    };
    const fresh = rs('web-1', 0);
    assert.ok(setNewReplicaSetAnnotations(d, fresh, { newRevision: 1, exists: false, desired: 3, max: 4 }));
    assert.deepEqual(fresh.metadata.annotations, {
      'kubernetes.io/change-cause': 'kubectl set image',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    const reused = rs('web-2', 3, {
      'deployment.kubernetes.io/revision': '2',
      'deployment.kubernetes.io/revision-history': '1',
    });
    assert.ok(setNewReplicaSetAnnotations(d, reused, { newRevision: 5, exists: true, desired: 3, max: 4 }));
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision'], '5');
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1,2');
    assert.equal(reused.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], undefined);
    assert.ok(
      !setNewReplicaSetAnnotations(d, reused, { newRevision: 5, exists: true, desired: 3, max: 4 }),
      'idempotent',
    );
  });
});
