/**
 * The one conformance suite for `Store` (see store.ts): every implementation runs it from its own
 * test file with `describeStoreConformance('MemoryStore', () => Promise.resolve(new MemoryStore()))`.
 *
 * Contract decisions this suite pins down beyond store.ts's text (every store must match):
 * - A successful `delete` returns the removed value (with its last `modRevision`) as `kv`.
 * - A read `revision` of 0 means "current"; `compact(r)` at or below the compacted revision is a
 *   no-op, and above the current revision throws `FutureRevisionError`.
 * - A watch may start at a future revision; it then delivers changes above that revision.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { KeyValue, Store } from '../store.js';
import { CompactedError, FutureRevisionError } from '../store.js';
import type { StoreFactory } from './store-test-helpers.js';
import { kv, mustCreate, withStore } from './store-test-helpers.js';
import { describeWatchConformance } from './watch-conformance.js';

/** Registers the whole conformance suite for one `Store` implementation. */
export function describeStoreConformance(name: string, factory: StoreFactory): void {
  void describe(`Store conformance: ${name}`, () => {
    describeWrites(factory);
    describeReads(factory);
    describeCompaction(factory);
    describeWatchConformance(factory);
    describeModelProperty(factory);
  });
}

function describeWrites(factory: StoreFactory): void {
  void describe('writes', () => {
    void it('starts empty at revision 0', () =>
      withStore(factory, async (s) => {
        assert.equal(await s.currentRevision(), 0);
        assert.equal(await s.compactedRevision(), 0);
        assert.equal(await s.get('/a'), undefined);
        assert.deepEqual(await s.range('/'), { kvs: [], revision: 0, more: false, count: 0 });
      }));

    void it('increments the revision by exactly one per successful write', () =>
      withStore(factory, async (s) => {
        const c = await s.create('/k/a', '1');
        assert.deepEqual(c, { succeeded: true, revision: 1, kv: kv('/k/a', '1', [1, 1]) });
        const u = await s.update('/k/a', '2', 1);
        assert.deepEqual(u, { succeeded: true, revision: 2, kv: kv('/k/a', '2', [1, 2]) });
        assert.equal((await s.create('/k/b', 'x')).revision, 3);
        const d = await s.delete('/k/a', 2);
        assert.equal(d.succeeded, true);
        assert.equal(d.revision, 4);
        assert.equal(await s.currentRevision(), 4);
        assert.equal(await s.get('/k/a'), undefined);
      }));

    void it('create fails with the current value when the key exists, succeeds again after delete', () =>
      withStore(factory, async (s) => {
        await mustCreate(s, '/k/a', '1');
        const again = await s.create('/k/a', '2');
        assert.deepEqual(again, { succeeded: false, revision: 1, kv: kv('/k/a', '1', [1, 1]) });
        assert.equal(await s.currentRevision(), 1);
        await s.delete('/k/a', 1);
        const re = await s.create('/k/a', '3');
        assert.deepEqual(re, { succeeded: true, revision: 3, kv: kv('/k/a', '3', [3, 3]) });
      }));

    const guarded = [
      { op: 'update', run: (s: Store, rev: number) => s.update('/k/a', 'new', rev) },
      { op: 'delete', run: (s: Store, rev: number) => s.delete('/k/a', rev) },
    ] as const;
    for (const { op, run } of guarded) {
      void it(`${op} with a stale expectedRevision fails with the current value and changes nothing`, () =>
        withStore(factory, async (s) => {
          await mustCreate(s, '/k/a', 'v1');
          await s.update('/k/a', 'v2', 1);
          for (const stale of [0, 1, 3, 99]) {
            const r = await run(s, stale);
            assert.deepEqual(r, { succeeded: false, revision: 2, kv: kv('/k/a', 'v2', [1, 2]) });
          }
          assert.equal(await s.currentRevision(), 2);
          assert.deepEqual(await s.get('/k/a'), kv('/k/a', 'v2', [1, 2]));
        }));

      void it(`${op} of a missing or deleted key fails without a value`, () =>
        withStore(factory, async (s) => {
          assert.deepEqual(await run(s, 1), { succeeded: false, revision: 0 });
          await mustCreate(s, '/k/a', 'v1');
          await s.delete('/k/a', 1);
          assert.deepEqual(await run(s, 1), { succeeded: false, revision: 2 });
          assert.deepEqual(await run(s, 2), { succeeded: false, revision: 2 });
        }));
    }

    void it('delete returns the removed value', () =>
      withStore(factory, async (s) => {
        await mustCreate(s, '/k/a', 'v1');
        assert.deepEqual(await s.delete('/k/a', 1), {
          succeeded: true,
          revision: 2,
          kv: kv('/k/a', 'v1', [1, 1]),
        });
      }));

    void it('stores values and keys verbatim, including non-ASCII text', () =>
      withStore(factory, async (s) => {
        const value = JSON.stringify({ s: 'ünïcødé \u{1F600} "quoted"\n', n: 1 });
        await mustCreate(s, '/k/ü', value);
        assert.equal((await s.get('/k/ü'))?.value, value);
        await mustCreate(s, '/k/empty', '');
        assert.equal((await s.get('/k/empty'))?.value, '');
      }));
  });
}

function describeReads(factory: StoreFactory): void {
  void describe('reads', () => {
    void it('get and range at a past revision see exactly the state after that revision', () =>
      withStore(factory, async (s) => {
        await mustCreate(s, '/p/a', 'a1'); // 1
        await mustCreate(s, '/p/b', 'b1'); // 2
        await s.update('/p/a', 'a2', 1); // 3
        await s.delete('/p/b', 2); // 4
        await mustCreate(s, '/p/c', 'c1'); // 5
        const expected: Record<number, KeyValue[]> = {
          1: [kv('/p/a', 'a1', [1, 1])],
          2: [kv('/p/a', 'a1', [1, 1]), kv('/p/b', 'b1', [2, 2])],
          3: [kv('/p/a', 'a2', [1, 3]), kv('/p/b', 'b1', [2, 2])],
          4: [kv('/p/a', 'a2', [1, 3])],
          5: [kv('/p/a', 'a2', [1, 3]), kv('/p/c', 'c1', [5, 5])],
        };
        for (const [rev, kvs] of Object.entries(expected)) {
          const revision = Number(rev);
          assert.deepEqual(await s.range('/p/', { revision }), {
            kvs,
            revision,
            more: false,
            count: kvs.length,
          });
          assert.deepEqual(
            await s.get('/p/b', { revision }),
            kvs.find((x) => x.key === '/p/b'),
          );
        }
        assert.equal((await s.range('/p/', { revision: 0 })).revision, 5);
      }));

    void it('throws FutureRevisionError above the current revision', () =>
      withStore(factory, async (s) => {
        await mustCreate(s, '/p/a', 'a');
        await assert.rejects(s.get('/p/a', { revision: 2 }), FutureRevisionError);
        await assert.rejects(s.range('/p/', { revision: 2 }), (e: unknown) => {
          assert.ok(e instanceof FutureRevisionError);
          assert.equal(e.requested, 2);
          assert.equal(e.current, 1);
          return true;
        });
      }));

    void it('range reports count and more, honours limit and fromKey', () =>
      withStore(factory, async (s) => {
        for (const k of ['a', 'b', 'c', 'd', 'e']) await mustCreate(s, `/r/${k}`, k);
        const cases = [
          { opts: {}, keys: ['a', 'b', 'c', 'd', 'e'], more: false, count: 5 },
          { opts: { limit: 0 }, keys: ['a', 'b', 'c', 'd', 'e'], more: false, count: 5 },
          { opts: { limit: 2 }, keys: ['a', 'b'], more: true, count: 5 },
          { opts: { limit: 5 }, keys: ['a', 'b', 'c', 'd', 'e'], more: false, count: 5 },
          { opts: { limit: 2, fromKey: '/r/c' }, keys: ['c', 'd'], more: true, count: 3 },
          { opts: { limit: 2, fromKey: '/r/bb' }, keys: ['c', 'd'], more: true, count: 3 },
          { opts: { limit: 3, fromKey: '/r/c' }, keys: ['c', 'd', 'e'], more: false, count: 3 },
          { opts: { fromKey: '/r/z' }, keys: [], more: false, count: 0 },
        ];
        for (const { opts, keys, more, count } of cases) {
          const r = await s.range('/r/', opts);
          assert.deepEqual(
            { keys: r.kvs.map((x) => x.key), more: r.more, count: r.count, revision: r.revision },
            { keys: keys.map((k) => `/r/${k}`), more, count, revision: 5 },
            JSON.stringify(opts),
          );
        }
      }));

    void it('isolates prefixes and sorts keys in byte order', () =>
      withStore(factory, async (s) => {
        const keys = [
          '/a/bc',
          '/a/b/x',
          '/a/b/',
          '/a/b',
          '/a/b/\u{1F600}',
          '/a/b/\uFFFD',
          '/a/b/Z',
          '/a/b/a',
          '/a/c',
        ];
        for (const k of keys) await mustCreate(s, k, k);
        const r = await s.range('/a/b/');
        assert.deepEqual(
          r.kvs.map((x) => x.key),
          ['/a/b/', '/a/b/Z', '/a/b/a', '/a/b/x', '/a/b/\uFFFD', '/a/b/\u{1F600}'],
        );
        assert.equal(r.count, 6);
        assert.deepEqual(
          (await s.range('/a/b')).kvs.map((x) => x.key),
          ['/a/b', '/a/b/', '/a/b/Z', '/a/b/a', '/a/b/x', '/a/b/\uFFFD', '/a/b/\u{1F600}', '/a/bc'],
        );
        assert.equal((await s.range('')).count, keys.length);
      }));

    void it('paginates consistently at a fixed revision while writes happen', () =>
      withStore(factory, async (s) => {
        for (let i = 0; i < 20; i++) await mustCreate(s, `/pg/${String(i).padStart(2, '0')}`, `v${i}`);
        const snapshot = await s.range('/pg/');
        const revision = snapshot.revision;
        const pages: KeyValue[] = [];
        let fromKey: string | undefined;
        for (let page = 0; ; page++) {
          const r = await s.range('/pg/', {
            revision,
            limit: 3,
            ...(fromKey === undefined ? {} : { fromKey }),
          });
          assert.equal(r.revision, revision);
          assert.equal(r.count, 20 - pages.length);
          pages.push(...r.kvs);
          // Writes between pages: update one key, delete another, add a new one.
          const victim = snapshot.kvs[page];
          if (victim) {
            await s.update(victim.key, 'changed', victim.modRevision);
            await mustCreate(s, `/pg/${String(page).padStart(2, '0')}x`, 'new');
          }
          const last = r.kvs.at(-1);
          if (!r.more || !last) break;
          fromKey = `${last.key}\u0000`;
        }
        assert.deepEqual(pages, snapshot.kvs);
      }));
  });
}

function describeCompaction(factory: StoreFactory): void {
  void describe('compaction', () => {
    void it('rejects reads below the compacted revision and keeps current values', () =>
      withStore(factory, async (s) => {
        await mustCreate(s, '/c/a', 'a1'); // 1
        await mustCreate(s, '/c/b', 'b1'); // 2
        await s.update('/c/a', 'a2', 1); // 3
        await s.delete('/c/b', 2); // 4
        await mustCreate(s, '/c/d', 'd1'); // 5
        await s.update('/c/d', 'd2', 5); // 6
        await s.compact(4);
        assert.equal(await s.compactedRevision(), 4);
        await assert.rejects(s.get('/c/a', { revision: 3 }), CompactedError);
        await assert.rejects(s.range('/c/', { revision: 1 }), (e: unknown) => {
          assert.ok(e instanceof CompactedError);
          assert.equal(e.requested, 1);
          assert.equal(e.compacted, 4);
          return true;
        });
        assert.deepEqual((await s.range('/c/', { revision: 4 })).kvs, [kv('/c/a', 'a2', [1, 3])]);
        assert.deepEqual((await s.range('/c/', { revision: 5 })).kvs, [
          kv('/c/a', 'a2', [1, 3]),
          kv('/c/d', 'd1', [5, 5]),
        ]);
        assert.deepEqual((await s.range('/c/')).kvs, [kv('/c/a', 'a2', [1, 3]), kv('/c/d', 'd2', [5, 6])]);
        await s.compact(2); // at or below: no-op
        assert.equal(await s.compactedRevision(), 4);
        await assert.rejects(s.compact(7), FutureRevisionError);
        await s.compact(6);
        assert.deepEqual((await s.range('/c/')).kvs, [kv('/c/a', 'a2', [1, 3]), kv('/c/d', 'd2', [5, 6])]);
        assert.equal(await s.currentRevision(), 6);
        assert.equal((await s.create('/c/b', 'b2')).revision, 7);
      }));

    void it('compacting to the current revision after a delete never reuses a revision', () =>
      withStore(factory, async (s) => {
        await mustCreate(s, '/c/a', 'a1');
        await s.delete('/c/a', 1);
        await s.compact(2);
        assert.equal(await s.currentRevision(), 2);
        assert.deepEqual(await s.create('/c/a', 'again'), {
          succeeded: true,
          revision: 3,
          kv: kv('/c/a', 'again', [3, 3]),
        });
      }));
  });
}

type Op =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'update' | 'delete'; key: string; value: string; stale: boolean };

function describeModelProperty(factory: StoreFactory): void {
  void describe('model', () => {
    void it('random create/update/delete sequences match a reference map; revisions strictly increase', async () => {
      const keyArb = fc.constantFrom('/m/a', '/m/b', '/m/b/c', '/m/bc', '/n/a');
      const opArb: fc.Arbitrary<Op> = fc.oneof(
        fc.record({ kind: fc.constant('create' as const), key: keyArb, value: fc.string({ maxLength: 8 }) }),
        fc.record({
          kind: fc.constantFrom('update' as const, 'delete' as const),
          key: keyArb,
          value: fc.string({ maxLength: 8 }),
          stale: fc.boolean(),
        }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), (ops) =>
          withStore(factory, async (s) => {
            const model = new Map<string, KeyValue>();
            const snapshots: Array<Map<string, KeyValue>> = [new Map<string, KeyValue>()];
            let rev = 0;
            for (const op of ops) {
              const cur = model.get(op.key);
              let r;
              if (op.kind === 'create') r = await s.create(op.key, op.value);
              else {
                const expected = op.stale || !cur ? (cur?.modRevision ?? 0) + 1000 : cur.modRevision;
                r =
                  op.kind === 'update'
                    ? await s.update(op.key, op.value, expected)
                    : await s.delete(op.key, expected);
              }
              const shouldSucceed = op.kind === 'create' ? !cur : cur !== undefined && !op.stale;
              assert.equal(r.succeeded, shouldSucceed);
              if (!shouldSucceed) {
                assert.equal(r.revision, rev);
                assert.deepEqual(r.kv, cur);
                continue;
              }
              assert.equal(r.revision, rev + 1);
              rev = r.revision;
              if (op.kind === 'delete') model.delete(op.key);
              else model.set(op.key, kv(op.key, op.value, [cur?.createRevision ?? rev, rev]));
              snapshots.push(new Map(model));
            }
            assert.equal(await s.currentRevision(), rev);
            for (let at = 1; at <= rev; at++) {
              const want = [...(snapshots[at]?.values() ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1));
              assert.deepEqual((await s.range('/', { revision: at })).kvs, want);
            }
          }),
        ),
        { numRuns: 60 },
      );
    });
  });
}
