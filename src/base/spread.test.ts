import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allSpread, settleSpread } from './spread.js';

describe('settleSpread', () => {
  it('starts a few calls per turn of the event loop, so other tasks run between them', async () => {
    let started = 0;
    const startedAtEachTurn: number[] = [];
    const watch = (): void => {
      startedAtEachTurn.push(started);
      if (started < 32) setImmediate(watch);
    };
    setImmediate(watch);
    const calls = Array.from({ length: 40 }, (_, i) => () => {
      started++;
      return Promise.resolve(i);
    });
    const results = await settleSpread(calls, 16);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : undefined)),
      Array.from({ length: 40 }, (_, i) => i),
    );
    assert.deepEqual(startedAtEachTurn.slice(0, 2), [16, 32], 'the other task ran after each 16 starts');
  });

  it('settles failures, thrown or rejected, in order and never leaves one unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const results = await settleSpread<number>(
        [
          () => Promise.reject(new Error('first')),
          () => {
            throw new Error('sync');
          },
          () => Promise.resolve(3),
        ],
        1,
      );
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))),
        ['Error: first', 'Error: sync', 3],
      );
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('allSpread', () => {
  it('answers the values in order, or the first failure once every call has settled', async () => {
    assert.deepEqual(await allSpread([() => Promise.resolve('a'), () => Promise.resolve('b')]), ['a', 'b']);
    let finished = 0;
    const slow = async (): Promise<void> => {
      await new Promise((resolve) => setImmediate(resolve));
      finished++;
    };
    await assert.rejects(allSpread([() => Promise.reject(new Error('boom')), slow, slow], 1), /boom/);
    assert.equal(finished, 2);
  });
});
