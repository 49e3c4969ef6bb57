import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/meta.js';
import { HealthTracker, unknownConditions } from './node-health.js';

const node = (heartbeat: string, conditions?: object[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1', creationTimestamp: '2026-01-01T00:00:00Z' },
  status: {
    conditions: conditions ?? [
      { type: 'Ready', status: 'True', lastHeartbeatTime: heartbeat, reason: 'KubeletReady' },
    ],
  },
});

describe('node health', () => {
  it('goes stale only after the grace period without a new heartbeat or lease renewal', () => {
    const health = new HealthTracker();
    health.observe(node('t0'), 'r0', 0);
    assert.equal(health.stale('n1', 40_000, 40_000), false);
    assert.equal(health.stale('n1', 40_001, 40_000), true);
    health.observe(node('t0'), 'r1', 30_000);
    assert.equal(health.stale('n1', 70_000, 40_000), false, 'a renewal moves the probe time');
    health.observe(node('t0'), 'r0', 60_000);
    assert.equal(health.stale('n1', 70_001, 40_000), true, 'an older renewal does not');
    health.observe(node('t1'), 'r1', 80_000);
    assert.equal(health.stale('n1', 100_000, 40_000), false, 'a new heartbeat does');
    health.resetAll(200_000);
    assert.equal(health.stale('n1', 230_000, 40_000), false);
    assert.equal(health.stale('unknown', 1e9, 1), false);
  });

  it('turns the kubelet conditions Unknown once and adds the ones never posted', () => {
    const conditions = unknownConditions(node('t0'), Date.UTC(2026, 0, 1, 0, 1));
    assert.deepEqual(
      conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
        ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
        ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
        ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ],
    );
    assert.equal(conditions?.[0]?.lastTransitionTime, '2026-01-01T00:01:00Z');
    assert.equal(conditions?.[1]?.lastHeartbeatTime, '2026-01-01T00:00:00Z');
    assert.equal(unknownConditions(node('t0', conditions), 0), undefined);
  });
});
