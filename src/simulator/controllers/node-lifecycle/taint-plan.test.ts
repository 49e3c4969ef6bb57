import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/meta.js';
import { planTaints } from './taint-plan.js';
import type { TaintPlanInput } from './taint-plan.js';
import type { Taint } from './taints.js';

const NOW = Date.UTC(2026, 0, 1);
const AT = '2026-01-01T00:00:00Z';
const unreachableNE: Taint = {
  key: 'node.kubernetes.io/unreachable',
  effect: 'NoExecute',
  timeAdded: 'earlier',
};
const unreachableNS: Taint = {
  key: 'node.kubernetes.io/unreachable',
  effect: 'NoSchedule',
  timeAdded: 'earlier',
};

function node(ready: string, taints: Taint[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    spec: taints.length > 0 ? { taints } : {},
    status: { conditions: [{ type: 'Ready', status: ready }] },
  };
}

const input = (ready: string, extra: Partial<TaintPlanInput> = {}): TaintPlanInput => ({
  ready,
  masterDisruption: false,
  granted: false,
  now: NOW,
  ...extra,
});

describe('planTaints', () => {
  it('leaves a Ready, untainted node alone', () => {
    assert.deepEqual(planTaints(node('True'), input('True')), {
      taints: undefined,
      usedGrant: false,
      queue: false,
      dequeue: true,
    });
  });

  it('adds the NoSchedule taint at once but queues an unreachable node for its NoExecute taint', () => {
    const plan = planTaints(node('Unknown'), input('Unknown'));
    assert.deepEqual(plan.taints, [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: AT },
    ]);
    assert.equal(plan.queue, true);
    assert.equal(plan.usedGrant, false);
  });

  it('adds the NoExecute taint with a token', () => {
    const plan = planTaints(node('Unknown', [unreachableNS]), input('Unknown', { granted: true }));
    assert.deepEqual(plan.taints, [
      unreachableNS,
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: AT },
    ]);
    assert.equal(plan.usedGrant, true);
  });

  it('swaps unreachable for not-ready at once when the kubelet reports NotReady', () => {
    const plan = planTaints(node('False', [unreachableNS, unreachableNE]), input('False'));
    assert.deepEqual(plan.taints, [
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule', timeAdded: AT },
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: AT },
    ]);
    assert.equal(plan.queue, false);
  });

  it('removes the node taints once Ready, or in master disruption, keeping foreign taints', () => {
    const foreign: Taint = { key: 'dedicated', value: 'db', effect: 'NoExecute' };
    assert.deepEqual(
      planTaints(node('True', [unreachableNS, unreachableNE, foreign]), input('True')).taints,
      [foreign],
    );
    const disrupted = planTaints(
      node('Unknown', [unreachableNS, unreachableNE]),
      input('Unknown', { masterDisruption: true }),
    );
    assert.deepEqual(disrupted.taints, [unreachableNS]);
    assert.equal(disrupted.dequeue, true);
  });
});
