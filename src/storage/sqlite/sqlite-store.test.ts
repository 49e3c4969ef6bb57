import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
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
describeStoreConformance('SqliteStore (latest values of 2 keys in memory)', () =>
  Promise.resolve(SqliteStore.open(':memory:', { latestCacheKeys: 2 })),
);
describeStoreConformance('SqliteStore (no latest values in memory)', () =>
  Promise.resolve(SqliteStore.open(':memory:', { latestCacheKeys: 0 })),
);

describe('SqliteStore on disk', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-sqlite-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('checkpoints the WAL once it holds the configured number of pages', async () => {
    const walSize = async (walCheckpointPages?: number): Promise<number> => {
      const path = join(dir, `wal-${walCheckpointPages ?? 'default'}.db`);
      const s = SqliteStore.open(path, walCheckpointPages ? { walCheckpointPages } : {});
      for (let i = 0; i < 1500; i++) await s.create(`/k/${i}`, 'x'.repeat(4000)); // a page or more each
      const size = statSync(`${path}-wal`).size;
      await s.close();
      return size;
    };
    const pages = (bytes: number): number => bytes / 4096;
    assert.ok(pages(await walSize(50)) < 120, 'a checkpoint every 50 pages keeps the WAL short');
    // SQLite's own default (1,000 pages) would have restarted the WAL at about 1,000 pages.
    assert.ok(pages(await walSize()) > 3000, 'the default lets 1,500 writes of 4 KB stay in the WAL');
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

describe('SqliteStore group commit', () => {
  it('commits writes made in one turn together, in order, each guarded against the ones before', async () => {
    const s = SqliteStore.open(':memory:');
    const ac = new AbortController();
    const events = s.watch('/k/', { startRevision: 0, signal: ac.signal })[Symbol.asyncIterator]();
    const writes = [
      s.create('/k/a', 'a1'), // committed at once: 1
      s.create('/k/b', 'b1'), // queued: 2
      s.update('/k/a', 'a2', 1), // queued, guarded against the create before it: 3
      s.create('/k/b', 'b2'), // queued, fails: /k/b exists at 2
      s.delete('/k/b', 2), // queued: 4
    ];
    assert.equal(await s.currentRevision(), 1, 'the queued writes wait for the end of the turn');
    assert.equal(await s.get('/k/b'), undefined);
    const results = await Promise.all(writes);
    assert.deepEqual(
      results.map((r) => [r.succeeded, r.revision]),
      [
        [true, 1],
        [true, 2],
        [true, 3],
        [false, 3],
        [true, 4],
      ],
    );
    assert.deepEqual(results[3]?.kv, kv('/k/b', 'b1', [2, 2]), 'a failed create returns what is there');
    assert.deepEqual(
      (await takeEvents(events, 4)).map((e) => [e.type, e.kv.key, e.kv.modRevision]),
      [
        ['put', '/k/a', 1],
        ['put', '/k/b', 2],
        ['put', '/k/a', 3],
        ['delete', '/k/b', 4],
      ],
    );
    ac.abort();
    await s.close();
  });

  it('a write that fails in a batch rejects alone; the others of its batch commit', async () => {
    const s = SqliteStore.open(':memory:');
    const first = s.create('/k/a', 'a');
    const bad = s.create(null as unknown as string, 'x'); // violates NOT NULL inside the batch
    const good = s.create('/k/c', 'c');
    await first;
    await assert.rejects(bad, /NOT NULL/);
    assert.deepEqual(await good, { succeeded: true, revision: 2, kv: kv('/k/c', 'c', [2, 2]) });
    assert.deepEqual(
      (await s.range('/k/')).kvs.map((x) => x.key),
      ['/k/a', '/k/c'],
    );
    // Reads and guards after the rolled-back batch see what was committed, not what was tried.
    assert.deepEqual(await s.get('/k/c'), kv('/k/c', 'c', [2, 2]));
    assert.equal((await s.update('/k/c', 'c2', 2)).succeeded, true);
    assert.deepEqual(await s.get('/k/c'), kv('/k/c', 'c2', [2, 3]));
    await s.close();
  });

  it('close commits queued writes; writes after close reject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-sqlite-'));
    try {
      const path = join(dir, 'close.db');
      const s1 = SqliteStore.open(path);
      const writes = Array.from({ length: 300 }, (_, i) =>
        s1.create(`/k/${String(i).padStart(3, '0')}`, 'v'),
      );
      await s1.close();
      assert.ok((await Promise.all(writes)).every((r) => r.succeeded));
      await assert.rejects(s1.create('/k/late', 'v'));
      const s2 = SqliteStore.open(path);
      assert.equal(await s2.currentRevision(), 300);
      assert.equal((await s2.range('/k/')).count, 300);
      await s2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
