import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../base/fake-clock.js';
import { Compactor } from './compactor.js';
import { MemoryStore } from './memory/memory-store.js';
import type { Store } from './store.js';

const MINUTE = 60_000;

async function writeN(store: Store, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await store.create(`/k/${await store.currentRevision()}`, 'v');
}

/** Advances the fake clock one interval at a time, writing `perStep` revisions before each step. */
async function run(opts: { minRetainRevisions: number; steps: number; perStep: number }): Promise<number[]> {
  const clock = new FakeClock();
  const store = new MemoryStore();
  const compactor = new Compactor(store, { clock, minRetainRevisions: opts.minRetainRevisions });
  const ac = new AbortController();
  const done = compactor.start(ac.signal);
  const compacted: number[] = [];
  for (let step = 0; step < opts.steps; step++) {
    await writeN(store, opts.perStep);
    await clock.advance(MINUTE);
    compacted.push(await store.compactedRevision());
  }
  ac.abort();
  await done;
  await store.close();
  return compacted;
}

describe('Compactor', () => {
  const cases = [
    {
      name: 'compacts to the revision current five minutes ago, once history is that old',
      opts: { minRetainRevisions: 0, steps: 8, perStep: 10 },
      // Samples: t=0 rev 0, t=1m rev 10, t=2m rev 20, ... A pass at t=Nm compacts to the sample at (N-5)m.
      want: [0, 0, 0, 0, 0, 10, 20, 30],
    },
    {
      name: 'always keeps minRetainRevisions revisions',
      opts: { minRetainRevisions: 45, steps: 8, perStep: 10 },
      // At t=6m rev 60: min(10, 60-45=15) = 10; t=7m rev 70: min(20, 25) = 20; t=8m rev 80: min(30, 35) = 30.
      want: [0, 0, 0, 0, 0, 10, 20, 30],
    },
    {
      name: 'caps the target by minRetainRevisions when that is the tighter bound',
      opts: { minRetainRevisions: 65, steps: 8, perStep: 10 },
      // t=6m: min(10, -5) -> none; t=7m: min(20, 5) = 5; t=8m: min(30, 15) = 15.
      want: [0, 0, 0, 0, 0, 0, 5, 15],
    },
    {
      name: 'never compacts a store with fewer revisions than the default minimum',
      opts: { minRetainRevisions: 1000, steps: 8, perStep: 10 },
      want: [0, 0, 0, 0, 0, 0, 0, 0],
    },
  ];
  for (const { name, opts, want } of cases) {
    it(name, async () => {
      assert.deepEqual(await run(opts), want);
    });
  }

  it('keeps only the samples it still needs', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const compactor = new Compactor(store, {
      clock,
      minRetainRevisions: 0,
      interval: MINUTE,
      retention: 2 * MINUTE,
    });
    for (let i = 0; i < 10; i++) {
      await writeN(store, 1);
      await compactor.runOnce();
      await clock.advance(MINUTE);
    }
    assert.ok(compactor.samples.length <= 4, `samples: ${compactor.samples.length}`);
    await store.close();
  });

  it('stops when its signal aborts, even while sleeping', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const compactor = new Compactor(store, { clock });
    const ac = new AbortController();
    const done = compactor.start(ac.signal);
    while (clock.pending === 0) await new Promise((r) => setImmediate(r));
    ac.abort();
    await done;
    assert.equal(clock.pending, 0);
    await store.close();
  });
});
