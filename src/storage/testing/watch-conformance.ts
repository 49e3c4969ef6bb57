/** The watch half of the `Store` conformance suite (registered by `describeStoreConformance`). */
import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { describe, it } from 'node:test';
import type { Store, StoreEvent } from '../store.js';
import { CompactedError } from '../store.js';
import type { StoreFactory } from './store-test-helpers.js';
import { kv, mustCreate, takeEvents, withStore } from './store-test-helpers.js';

function iterate(
  store: Store,
  prefix: string,
  opts: { from: number; signal: AbortSignal },
): AsyncIterator<StoreEvent> {
  return store.watch(prefix, { startRevision: opts.from, signal: opts.signal })[Symbol.asyncIterator]();
}

/** A compact description of an event for assertions. */
function brief(e: StoreEvent): string {
  return `${e.type} ${e.kv.key}@${e.kv.modRevision}=${e.kv.value}`;
}

/** Writes the same small history to `s`: revisions 1..5 under /w/ plus one outside. */
async function seed(s: Store): Promise<void> {
  await mustCreate(s, '/w/a', 'a1'); // 1
  await mustCreate(s, '/w/b', 'b1'); // 2
  await s.update('/w/a', 'a2', 1); // 3
  await mustCreate(s, '/x/a', 'x'); // 4
  await s.delete('/w/b', 2); // 5
}

const SEEDED = ['put /w/a@1=a1', 'put /w/b@2=b1', 'put /w/a@3=a2', 'delete /w/b@5=b1'];

/** Registers the watch conformance tests. */
export function describeWatchConformance(factory: StoreFactory): void {
  void describe('watch', () => {
    const starts = [
      { start: 0, want: SEEDED },
      { start: 2, want: SEEDED.slice(2) },
      { start: 3, want: SEEDED.slice(3) },
      { start: 5, want: [] },
    ];
    for (const { start, want } of starts) {
      void it(`from revision ${start} replays later history, then live changes`, () =>
        withStore(factory, async (s) => {
          await seed(s);
          const ac = new AbortController();
          const it = iterate(s, '/w/', { from: start, signal: ac.signal });
          await s.update('/w/a', 'a3', 3); // 6
          const events = await takeEvents(it, want.length + 1);
          assert.deepEqual(events.map(brief), [...want, 'put /w/a@6=a3']);
          ac.abort();
        }));
    }

    void it('carries prevKv on update and delete, and the deletion revision on a delete', () =>
      withStore(factory, async (s) => {
        const ac = new AbortController();
        const it = iterate(s, '/w/', { from: 0, signal: ac.signal });
        await seed(s);
        const events = await takeEvents(it, 4);
        assert.deepEqual(events, [
          { type: 'put', kv: kv('/w/a', 'a1', [1, 1]) },
          { type: 'put', kv: kv('/w/b', 'b1', [2, 2]) },
          { type: 'put', kv: kv('/w/a', 'a2', [1, 3]), prevKv: kv('/w/a', 'a1', [1, 1]) },
          { type: 'delete', kv: kv('/w/b', 'b1', [2, 5]), prevKv: kv('/w/b', 'b1', [2, 2]) },
        ]);
        // The same events replayed from history are identical.
        const replay = await takeEvents(iterate(s, '/w/', { from: 0, signal: ac.signal }), 4);
        assert.deepEqual(replay, events);
        ac.abort();
      }));

    void it('isolates prefixes', () =>
      withStore(factory, async (s) => {
        const ac = new AbortController();
        const it = iterate(s, '/a/b/', { from: 0, signal: ac.signal });
        for (const k of ['/a/bc', '/a/b', '/a/b/x', '/a/c', '/a/b/y']) await mustCreate(s, k, 'v');
        assert.deepEqual(
          (await takeEvents(it, 2)).map((e) => e.kv.key),
          ['/a/b/x', '/a/b/y'],
        );
        ac.abort();
      }));

    void it('switches from catch-up to live without gaps or duplicates', () =>
      withStore(factory, async (s) => {
        for (let i = 0; i < 120; i++) await mustCreate(s, `/g/${i}`, 'v');
        const ac = new AbortController();
        const it = iterate(s, '/g/', { from: 0, signal: ac.signal });
        for (let i = 120; i < 150; i++) await mustCreate(s, `/g/${i}`, 'v'); // before the first next()
        const first = await takeEvents(it, 10);
        for (let i = 150; i < 200; i++) await mustCreate(s, `/g/${i}`, 'v'); // mid catch-up
        const rest = await takeEvents(it, 190);
        const revs = [...first, ...rest].map((e) => e.kv.modRevision);
        assert.deepEqual(
          revs,
          Array.from({ length: 200 }, (_, i) => i + 1),
        );
        ac.abort();
        assert.deepEqual(await it.next(), { done: true, value: undefined });
      }));

    void it('delivers from a future start revision only the changes above it', () =>
      withStore(factory, async (s) => {
        const ac = new AbortController();
        const it = iterate(s, '/f/', { from: 2, signal: ac.signal });
        for (const k of ['a', 'b', 'c', 'd']) await mustCreate(s, `/f/${k}`, k);
        assert.deepEqual(
          (await takeEvents(it, 2)).map((e) => e.kv.modRevision),
          [3, 4],
        );
        ac.abort();
      }));

    void it('throws CompactedError at the first next() below the compacted revision', () =>
      withStore(factory, async (s) => {
        await seed(s);
        await s.compact(3);
        const ac = new AbortController();
        const below = iterate(s, '/w/', { from: 2, signal: ac.signal });
        await assert.rejects(below.next(), (e: unknown) => {
          assert.ok(e instanceof CompactedError);
          assert.equal(e.requested, 2);
          assert.equal(e.compacted, 3);
          return true;
        });
        assert.deepEqual(await below.next(), { done: true, value: undefined });
        const at = iterate(s, '/w/', { from: 3, signal: ac.signal });
        assert.deepEqual((await takeEvents(at, 1)).map(brief), ['delete /w/b@5=b1']);
        ac.abort();
      }));

    void it('ends when its signal aborts, including a pending next() and an already aborted signal', () =>
      withStore(factory, async (s) => {
        const ac = new AbortController();
        const it = iterate(s, '/w/', { from: 0, signal: ac.signal });
        const pending = it.next();
        ac.abort();
        assert.deepEqual(await pending, { done: true, value: undefined });
        await mustCreate(s, '/w/a', 'v');
        assert.deepEqual(await it.next(), { done: true, value: undefined });
        const late = iterate(s, '/w/', { from: 0, signal: ac.signal });
        assert.deepEqual(await late.next(), { done: true, value: undefined });
      }));

    void it('ends when the consumer breaks out of for-await', () =>
      withStore(factory, async (s) => {
        await seed(s);
        const ac = new AbortController();
        const seen: string[] = [];
        for await (const e of s.watch('/w/', { startRevision: 0, signal: ac.signal })) {
          seen.push(brief(e));
          if (seen.length === 2) break;
        }
        assert.deepEqual(seen, SEEDED.slice(0, 2));
      }));

    void it('ends every watch on close', async () => {
      const s = await factory();
      const ac = new AbortController();
      const its = [
        iterate(s, '/w/', { from: 0, signal: ac.signal }),
        iterate(s, '/', { from: 0, signal: ac.signal }),
      ];
      const pending = its.map((i) => i.next());
      await s.close();
      for (const p of pending) assert.deepEqual(await p, { done: true, value: undefined });
    });

    void it('fans one change out to 1,000 watchers on one prefix', () =>
      withStore(factory, async (s) => {
        const ac = new AbortController();
        setMaxListeners(1001, ac.signal);
        const its = Array.from({ length: 1000 }, () => iterate(s, '/fan/', { from: 0, signal: ac.signal }));
        const pending = its.map((i) => i.next());
        await mustCreate(s, '/fan/x', 'v');
        const results = await Promise.all(pending);
        for (const r of results) assert.equal(r.done === true ? undefined : r.value.kv.key, '/fan/x');
        ac.abort();
      }));
  });
}
