import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/fake-clock.js';
import { ExponentialRateLimiter } from './rate-limiter.js';
import { WorkQueue } from './workqueue.js';

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('WorkQueue', () => {
  it('add() deduplicates queued items and keeps FIFO order', async () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    q.shutDown();
  });

  it('add() while processing re-queues after done()', async () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    q.add('a');
    const item = await q.get();
    assert.equal(item, 'a');
    q.add('a');
    assert.equal(q.length, 0, 'never handed out twice concurrently');
    q.done('a');
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'a');
    q.done('a');
    assert.equal(q.length, 0);
    q.shutDown();
  });

  it('get() waits for an add', async () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    const pending = q.get();
    q.add('x');
    assert.equal(await pending, 'x');
    q.shutDown();
  });

  it('addAfter() delivers on clock time, earliest of several wins', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    await clock.advance(49);
    assert.equal(q.length, 0);
    await clock.advance(1);
    await flush();
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'a');
    q.done('a');
    await clock.advance(1000);
    await flush();
    assert.equal(q.length, 0, 'superseded delays do not add again');
    q.shutDown();
  });

  it('keeps one sleep for any number of delayed items and adds each when its time comes', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    for (let i = 0; i < 1000; i++) q.addAfter(`k${i}`, 1000 - i); // later items are due sooner
    assert.equal(clock.pending, 1, 'one sleep, whatever the number of delays');
    q.addAfter('first', 0.5);
    assert.equal(clock.pending, 1, 'an earlier delay replaces the sleep');
    await clock.advance(1);
    await flush();
    assert.deepEqual([await q.get(), await q.get()], ['first', 'k999']);
    await clock.advance(9);
    await flush();
    assert.equal(q.length, 9, 'the items due by now, no more');
    assert.equal(await q.get(), 'k998', 'in deadline order');
    await clock.advance(1000);
    await flush();
    assert.equal(q.length, 8 + 990);
    assert.equal(clock.pending, 0, 'nothing left to wait for');
    q.shutDown();
  });

  it('addRateLimited() backs off exponentially per item until forget()', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({
      clock,
      rateLimiter: new ExponentialRateLimiter({ baseMs: 10, maxMs: 40 }),
    });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      q.addRateLimited('k');
      while (q.length === 0) await clock.advance(1);
      delays.push(clock.now() - start);
      assert.equal(await q.get(), 'k');
      q.done('k');
    }
    assert.deepEqual(delays, [10, 20, 40, 40]);
    assert.equal(q.numRequeues('k'), 4);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    q.shutDown();
  });

  it('shuts down on signal: get() resolves undefined and delayed adds are dropped', async (t) => {
    const clock = new FakeClock();
    const stop = new AbortController();
    t.after(() => stop.abort());
    const q = new WorkQueue<string>({ clock, signal: stop.signal });
    const waiting = q.get();
    q.addAfter('late', 10);
    stop.abort();
    assert.equal(await waiting, undefined);
    assert.equal(clock.pending, 0);
    q.add('after');
    assert.equal(await q.get(), undefined);
  });
});
