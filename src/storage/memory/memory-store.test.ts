import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeStoreConformance } from '../testing/conformance.js';
import { mustCreate, takeEvents } from '../testing/store-test-helpers.js';
import { MemoryStore } from './memory-store.js';

describeStoreConformance('MemoryStore', () => Promise.resolve(new MemoryStore()));
describeStoreConformance('MemoryStore (catch-up batch 7)', () =>
  Promise.resolve(new MemoryStore({ catchUpBatch: 7 })),
);

describe('MemoryStore', () => {
  it('drops the history of keys deleted at or before the compacted revision', async () => {
    const s = new MemoryStore();
    await mustCreate(s, '/k/a', 'v');
    await s.delete('/k/a', 1);
    await mustCreate(s, '/k/b', 'v');
    await s.compact(3);
    assert.deepEqual(
      (await s.range('/k/')).kvs.map((x) => x.key),
      ['/k/b'],
    );
    assert.equal(await s.get('/k/a', { revision: 3 }), undefined);
    await s.close();
  });

  it('ends a catch-up with CompactedError when compaction overtakes it', async () => {
    const s = new MemoryStore({ catchUpBatch: 2 });
    for (let i = 0; i < 10; i++) await mustCreate(s, `/k/${i}`, 'v');
    const ac = new AbortController();
    const it = s.watch('/k/', { startRevision: 0, signal: ac.signal })[Symbol.asyncIterator]();
    assert.equal((await takeEvents(it, 2)).length, 2);
    await s.compact(8);
    await assert.rejects(it.next(), /compacted/);
    assert.deepEqual(await it.next(), { done: true, value: undefined });
    await s.close();
  });
});
