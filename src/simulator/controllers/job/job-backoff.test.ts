import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../revisions/workload-pods.js';
import { backoffRemaining, nextBackoff } from './job-backoff.js';

const T0 = Date.UTC(2026, 0, 1);

function finishedPod(atMs: number): Pod {
  const at = new Date(atMs).toISOString();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', creationTimestamp: at },
    status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { finishedAt: at } } }] },
  };
}

describe('job pod-failure back-off', () => {
  it('doubles from 10 s per failure since the last success, capped at 6 minutes', () => {
    const table: [number, number][] = [
      [1, 10_000],
      [2, 20_000],
      [3, 40_000],
      [6, 320_000],
      [7, 360_000],
      [20, 360_000],
    ];
    for (const [failures, delay] of table)
      assert.equal(backoffRemaining({ failuresAfterLastSuccess: failures, lastFailureMs: T0 }, T0), delay);
    assert.equal(backoffRemaining({ failuresAfterLastSuccess: 2, lastFailureMs: T0 }, T0 + 15_000), 5_000);
    assert.equal(backoffRemaining({ failuresAfterLastSuccess: 0, lastFailureMs: undefined }, T0), 0);
  });

  it('counts new failures, and a success resets the count to the failures after it', () => {
    const one = nextBackoff(undefined, { succeeded: [], failed: [finishedPod(T0)] });
    assert.deepEqual(one, { failuresAfterLastSuccess: 1, lastFailureMs: T0 });
    const two = nextBackoff(one, { succeeded: [], failed: [finishedPod(T0 + 5_000)] });
    assert.deepEqual(two, { failuresAfterLastSuccess: 2, lastFailureMs: T0 + 5_000 });
    const reset = nextBackoff(two, {
      succeeded: [finishedPod(T0 + 6_000)],
      failed: [finishedPod(T0 + 7_000)],
    });
    assert.deepEqual(reset, { failuresAfterLastSuccess: 1, lastFailureMs: T0 + 7_000 });
    assert.deepEqual(nextBackoff(two, { succeeded: [finishedPod(T0 + 8_000)], failed: [] }), {
      failuresAfterLastSuccess: 0,
      lastFailureMs: undefined,
    });
  });
});
