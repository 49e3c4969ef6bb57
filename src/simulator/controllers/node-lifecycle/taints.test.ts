import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toleratesTaint } from '../../../api/taints.js';
import { conditionTaintKeys, matchingTolerations, withNoScheduleTaints } from './taints.js';
import type { Taint, Toleration } from './taints.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };

describe('taints', () => {
  it('maps node conditions to NoSchedule taint keys', () => {
    const keys = conditionTaintKeys(
      [
        { type: 'Ready', status: 'Unknown' },
        { type: 'MemoryPressure', status: 'True' },
        { type: 'DiskPressure', status: 'False' },
        { type: 'PIDPressure', status: 'True' },
      ],
      true,
    );
    assert.deepEqual(keys, [
      'node.kubernetes.io/unreachable',
      'node.kubernetes.io/memory-pressure',
      'node.kubernetes.io/pid-pressure',
      'node.kubernetes.io/unschedulable',
    ]);
    assert.deepEqual(conditionTaintKeys([{ type: 'Ready', status: 'False' }], false), [
      'node.kubernetes.io/not-ready',
    ]);
    assert.deepEqual(conditionTaintKeys([{ type: 'Ready', status: 'True' }], false), []);
  });

  it('swaps only the controller-managed NoSchedule taints', () => {
    const user: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    const before: Taint[] = [
      user,
      { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
      unreachable,
    ];
    const after = withNoScheduleTaints(before, ['node.kubernetes.io/unreachable'], '2026-01-01T00:00:00Z');
    assert.deepEqual(after, [
      user,
      unreachable,
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:00Z' },
    ]);
    assert.equal(withNoScheduleTaints(after ?? [], ['node.kubernetes.io/unreachable'], 'later'), undefined);
    assert.deepEqual(withNoScheduleTaints(after ?? [], [], 'later'), [user, unreachable]);
  });

  it('matches tolerations the way kube does', () => {
    const cases: [Toleration, boolean][] = [
      [{ operator: 'Exists' }, true],
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, true],
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, false],
      [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, false],
      [{ key: 'node.kubernetes.io/unreachable', value: '' }, true],
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Equal', value: 'x' }, false],
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Lt' }, false],
    ];
    for (const [t, want] of cases) assert.equal(toleratesTaint(t, unreachable), want, JSON.stringify(t));
  });

  it('answers the first toleration per taint, or undefined when one is not tolerated', () => {
    const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
    const tolerations: Toleration[] = [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      { operator: 'Exists' },
    ];
    assert.deepEqual(matchingTolerations([unreachable, notReady], tolerations), [
      { taint: unreachable, toleration: tolerations[0] },
      { taint: notReady, toleration: tolerations[1] },
    ]);
    assert.equal(matchingTolerations([notReady], [tolerations[0] ?? {}]), undefined);
    assert.deepEqual(matchingTolerations([], []), []);
  });
});
