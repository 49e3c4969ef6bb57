import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeStoreConformance } from '../testing/conformance.js';
import { kv, mustCreate, takeEvents } from '../testing/store-test-helpers.js';
import { SqliteStore } from './sqlite-store.js';

describeStoreConformance('SqliteStore :memory:', () => Promise.resolve(SqliteStore.open(':memory:')));
describeStoreConformance('SqliteStore (small batches)', () =>
  Promise.resolve(SqliteStore.open(':memory:', { catchUpBatch: 7, compactBatch: 2 })),
);

describe('SqliteStore on disk', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-sqlite-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps data, revision and compacted revision across close and reopen', async () => {
    const path = join(dir, 'reopen.db');
    const s1 = SqliteStore.open(path);
    await mustCreate(s1, '/k/a', 'a1'); // 1
    await s1.update('/k/a', 'a2', 1); // 2
    await mustCreate(s1, '/k/b', 'b1'); // 3
    await s1.delete('/k/b', 3); // 4
    await s1.compact(4);
    await s1.close();

    const s2 = SqliteStore.open(path);
    assert.equal(await s2.currentRevision(), 4, 'a deleted-and-compacted newest row still counts');
    assert.equal(await s2.compactedRevision(), 4);
    assert.deepEqual((await s2.range('/k/')).kvs, [kv('/k/a', 'a2', [1, 2])]);
    await assert.rejects(s2.get('/k/a', { revision: 3 }), /compacted/);
    assert.deepEqual(await s2.create('/k/b', 'b2'), {
      succeeded: true,
      revision: 5,
      kv: kv('/k/b', 'b2', [5, 5]),
    });
    const ac = new AbortController();
    const events = await takeEvents(
      s2.watch('/k/', { startRevision: 4, signal: ac.signal })[Symbol.asyncIterator](),
      1,
    );
    assert.deepEqual(events, [{ type: 'put', kv: kv('/k/b', 'b2', [5, 5]) }]);
    ac.abort();
    await s2.close();
  });

  it('opening the same file twice in a row is idempotent (schema created once)', async () => {
    const path = join(dir, 'twice.db');
    await SqliteStore.open(path).close();
    const s = SqliteStore.open(path);
    assert.equal(await s.currentRevision(), 0);
    await s.close();
  });
});

describe('SqliteStore watch catch-up', () => {
  it('ends with CompactedError when compaction overtakes a catch-up', async () => {
    const s = SqliteStore.open(':memory:', { catchUpBatch: 2 });
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
