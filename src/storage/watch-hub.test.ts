import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import type { StoreEvent } from './store.js';
import type { EventLog } from './watch-hub.js';
import { WatchHub } from './watch-hub.js';

/** A history of puts to `/k/<rev>` held in an array; `publish` appends and fans out. */
class ArrayLog implements EventLog {
  events: StoreEvent[] = [];
  failWith: Error | undefined;
  readonly hub = new WatchHub(this, { catchUpBatch: 2 });

  currentRevision(): number {
    return this.events.length;
  }
  compactedRevision(): number {
    return 0;
  }
  readEvents(prefix: string, range: { after: number; until: number }, limit: number): StoreEvent[] {
    if (this.failWith) throw this.failWith;
    return this.events
      .slice(range.after, range.until)
      .filter((e) => e.kv.key.startsWith(prefix))
      .slice(0, limit);
  }
  write(): StoreEvent {
    const rev = this.events.length + 1;
    const event: StoreEvent = {
      type: 'put',
      kv: { key: `/k/${rev}`, value: '', createRevision: rev, modRevision: rev },
    };
    this.events.push(event);
    this.hub.publish(event);
    return event;
  }
}

describe('WatchHub', () => {
  it('serves several un-awaited next() calls in order', async () => {
    const log = new ArrayLog();
    const ac = new AbortController();
    const it = log.hub.watch('/k/', { startRevision: 0, signal: ac.signal });
    const a = it.next();
    const b = it.next();
    const e1 = log.write();
    const e2 = log.write();
    assert.deepEqual(await Promise.all([a, b]), [
      { done: false, value: e1 },
      { done: false, value: e2 },
    ]);
    ac.abort();
  });

  it('hands every watcher the same event object (no per-watcher copies)', async () => {
    const log = new ArrayLog();
    const ac = new AbortController();
    const its = [0, 1, 2].map(() => log.hub.watch('/', { startRevision: 0, signal: ac.signal }));
    const e = log.write();
    for (const it of its) assert.equal((await it.next()).value, e);
    ac.abort();
  });

  const enders = [
    {
      name: 'abort',
      end: (_it: AsyncIterator<StoreEvent>, ac: AbortController) => {
        ac.abort();
      },
    },
    {
      name: 'return()',
      end: (it: AsyncIterator<StoreEvent>) => {
        void it.return?.();
      },
    },
  ];
  for (const { name, end } of enders) {
    it(`${name} detaches the watcher and its abort listener`, async () => {
      const log = new ArrayLog();
      const ac = new AbortController();
      const it = log.hub.watch('/k/', { startRevision: 0, signal: ac.signal });
      assert.equal(log.hub.size, 1);
      assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
      end(it, ac);
      assert.equal(log.hub.size, 0);
      assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
      log.write();
      assert.deepEqual(await it.next(), { done: true, value: undefined });
    });
  }

  it('ends the watch with the error when reading history fails', async () => {
    const log = new ArrayLog();
    log.write();
    log.failWith = new Error('disk on fire');
    const ac = new AbortController();
    const it = log.hub.watch('/k/', { startRevision: 0, signal: ac.signal });
    await assert.rejects(it.next(), /disk on fire/);
    assert.deepEqual(await it.next(), { done: true, value: undefined });
    assert.equal(log.hub.size, 0);
  });

  it('returns ended watches after close', async () => {
    const log = new ArrayLog();
    log.hub.close();
    const it = log.hub.watch('/k/', { startRevision: 0, signal: new AbortController().signal });
    assert.deepEqual(await it.next(), { done: true, value: undefined });
    assert.equal(log.hub.size, 0);
  });
});
