import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode } from '../../testing/fixtures.js';
import type { Pod } from '../revisions/workload-pods.js';
import { planManage, planRollingUpdate, updateBudget, viewOf } from './daemon-plan.js';
import type { DaemonSet } from './daemon-pods.js';
import type { Node } from './node-fit.js';

const NOW = Date.UTC(2026, 0, 1);

function ds(rollingUpdate: Record<string, number | string> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ds', namespace: 'default', uid: 'u1', generation: 2 },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate },
    },
  };
}

function pod(name: string, o: { node: string; hash: string; ready?: boolean; phase?: string }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { 'controller-revision-hash': o.hash },
    },
    spec: { nodeName: o.node },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [
        {
          type: 'Ready',
          status: o.ready === false ? 'False' : 'True',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    },
  };
}

const nodes = (n: number): Node[] => Array.from({ length: n }, (_, i) => makeNode(`n${i}`).obj() as Node);

describe('DaemonSet plans', () => {
  it('scales maxUnavailable and maxSurge to the desired count, rounding up', () => {
    const view = (ru: Record<string, number | string>) =>
      viewOf({ ds: ds(ru), nodes: nodes(10), pods: [], hash: 'new', generation: '2', nowMs: NOW });
    assert.deepEqual(updateBudget(view({ maxUnavailable: '25%' })), {
      maxSurge: 0,
      maxUnavailable: 3,
      desired: 10,
    });
    assert.deepEqual(updateBudget(view({ maxUnavailable: 0, maxSurge: '10%' })), {
      maxSurge: 1,
      maxUnavailable: 0,
      desired: 10,
    });
    assert.deepEqual(updateBudget(view({ maxUnavailable: 0, maxSurge: 0 })), {
      maxSurge: 0,
      maxUnavailable: 1,
      desired: 10,
    });
  });

  it('deletes old pods only within the unavailability budget, replacing unavailable ones first', () => {
    const pods = [
      pod('a', { node: 'n0', hash: 'old' }),
      pod('b', { node: 'n1', hash: 'old' }),
      pod('c', { node: 'n2', hash: 'old', ready: false }),
      pod('d', { node: 'n3', hash: 'new', ready: false }),
    ];
    const view = viewOf({
      ds: ds({ maxUnavailable: 2 }),
      nodes: nodes(4),
      pods,
      hash: 'new',
      generation: undefined,
      nowMs: NOW,
    });
    const plan = planRollingUpdate(view);
    // n2's old pod is unavailable anyway; n3's new pod is unavailable: the budget of 2 is used up.
    assert.deepEqual(
      plan.delete.map((p) => p.metadata.name),
      ['c'],
    );
    assert.deepEqual(plan.createOn, []);
  });

  it('creates missing pods, replaces failed ones and prunes duplicates (keeping the oldest)', () => {
    const older = pod('a', { node: 'n0', hash: 'new' });
    const newer = {
      ...pod('b', { node: 'n0', hash: 'new' }),
      metadata: {
        ...pod('b', { node: 'n0', hash: 'new' }).metadata,
        creationTimestamp: '2026-01-01T00:01:00Z',
      },
    };
    const pods = [
      newer,
      older,
      pod('f', { node: 'n1', hash: 'new', phase: 'Failed' }),
      pod('x', { node: 'gone', hash: 'new' }),
    ];
    const view = viewOf({ ds: ds(), nodes: nodes(3), pods, hash: 'new', generation: undefined, nowMs: NOW });
    const plan = planManage(view);
    assert.deepEqual(plan.createOn, ['n2']);
    assert.deepEqual(
      plan.delete.map((p) => p.metadata.name),
      ['b'],
    );
    assert.deepEqual(
      plan.failed.map((f) => f.pod.metadata.name),
      ['f'],
    );
    assert.deepEqual(
      plan.orphaned.map((p) => p.metadata.name),
      ['x'],
    );
  });
});
