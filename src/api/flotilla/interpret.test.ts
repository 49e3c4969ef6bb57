import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateStatus, interpretHealth, reflectStatus } from './interpret.js';

const deployment = (replicas: number, status: Record<string, unknown>, generation = 2): never =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation },
    spec: { replicas },
    status,
  }) as never;

describe('interpretHealth', () => {
  it('a Deployment is Healthy once it observed its generation with every replica updated and available', () => {
    const ok = { observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3 };
    assert.equal(interpretHealth(deployment(3, ok)), 'Healthy');
    assert.equal(interpretHealth(deployment(3, { ...ok, observedGeneration: 1 })), 'Unhealthy');
    assert.equal(interpretHealth(deployment(3, { ...ok, availableReplicas: 2 })), 'Unhealthy');
    assert.equal(interpretHealth(undefined), 'Unknown');
  });
});

describe('reflectStatus', () => {
  const member = {
    observedGeneration: 2,
    replicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    updatedReplicas: 3,
    collisionCount: 0,
    conditions: [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastUpdateTime: '2026-12-05T10:00:00Z',
        lastTransitionTime: '2026-12-05T10:00:00Z',
      },
    ],
  };

  it('keeps the counts, observedGeneration and condition type/status/reason of workload kinds', () => {
    assert.deepEqual(reflectStatus('Deployment', member), {
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
      observedGeneration: 2,
      conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
    });
  });

  it('aggregates and judges health the same from what it keeps', () => {
    const kept = reflectStatus('Deployment', member) ?? {};
    assert.equal(interpretHealth(deployment(3, kept)), interpretHealth(deployment(3, member)));
    const template = deployment(6, {});
    assert.deepEqual(
      aggregateStatus(template, [deployment(3, kept), deployment(3, kept)]),
      aggregateStatus(template, [deployment(3, member), deployment(3, member)]),
    );
  });

  it('leaves the status of other kinds whole', () => {
    const svc = { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } };
    assert.equal(reflectStatus('Service', svc), svc);
    assert.equal(reflectStatus('Deployment', undefined), undefined);
  });
});
