import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../base/fake-clock.js';
import { noopLogger } from '../base/logger.js';
import { ExponentialRateLimiter } from '../client/rate-limiter.js';
import type { Informer, InformerHandlers } from '../client/informer.js';
import type { KubeObject } from '../api/meta.js';
import { Controller } from './controller.js';
import { done, requeueAfter, TerminalError } from './reconciler.js';
import type { Reconciler, Result } from './reconciler.js';
import { Manager } from './manager.js';

/** A reconciler that runs a scripted outcome per call and records when it ran. */
class ScriptedReconciler implements Reconciler {
  readonly calls: { key: string; at: number }[] = [];
  constructor(
    readonly clock: FakeClock,
    readonly script: (key: string, n: number) => Result,
  ) {}

  reconcile(key: string): Promise<Result> {
    this.calls.push({ key, at: this.clock.now() });
    return Promise.resolve(this.script(key, this.calls.filter((c) => c.key === key).length));
  }
}

async function until(cond: () => boolean, clock: FakeClock): Promise<void> {
  for (let i = 0; i < 10_000 && !cond(); i++) {
    await clock.advance(1);
    await new Promise((r) => setImmediate(r));
  }
  assert.ok(cond(), 'condition never held');
}

describe('Controller', () => {
  it('retries a failing key with exponential backoff, then stops on success', async () => {
    const clock = new FakeClock();
    const rec = new ScriptedReconciler(clock, (_k, n) => {
      if (n <= 3) throw new Error(`attempt ${n} failed`);
      return done;
    });
    const c = new Controller({
      name: 't',
      reconciler: rec,
      clock,
      log: noopLogger,
      rateLimiter: new ExponentialRateLimiter({ baseMs: 10 }),
    });
    c.enqueue('k');
    const stop = new AbortController();
    const running = c.start(stop.signal);
    await until(() => rec.calls.length === 4, clock);
    assert.deepEqual(
      rec.calls.map((x) => x.at - (rec.calls[0]?.at ?? 0)),
      [0, 10, 30, 70],
    );
    await clock.advance(1000);
    assert.equal(rec.calls.length, 4);
    stop.abort();
    await running;
  });

  it("queues a source's updates only when its relevance filter says the change matters", async () => {
    const clock = new FakeClock();
    const rec = new ScriptedReconciler(clock, () => done);
    let handlers: InformerHandlers<KubeObject> | undefined;
    const informer = {
      addHandlers: (h: InformerHandlers<KubeObject>) => (handlers = h),
      start: () => Promise.resolve(),
      waitForSync: () => Promise.resolve(true),
    } as unknown as Informer;
    const c = new Controller({
      name: 't',
      reconciler: rec,
      clock,
      log: noopLogger,
      sources: [
        {
          informer,
          relevant: (a, b) => a.metadata.labels?.['tier'] !== b.metadata.labels?.['tier'],
        },
      ],
    });
    const stop = new AbortController();
    const running = c.start(stop.signal);
    const obj = (tier: string, rv: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'd', resourceVersion: rv, labels: { tier } },
    });
    handlers?.onUpdate?.(obj('a', '1'), obj('a', '2'));
    await new Promise((r) => setImmediate(r));
    await clock.advance(10);
    assert.equal(rec.calls.length, 0, 'an irrelevant update is not queued');
    handlers?.onUpdate?.(obj('a', '2'), obj('b', '3'));
    await until(() => rec.calls.length === 1, clock);
    assert.equal(rec.calls[0]?.key, 'd/x');
    stop.abort();
    await running;
  });

  it("holds a delayed source's keys for its delay, so a burst makes one reconcile; other keys go at once", async () => {
    const clock = new FakeClock();
    const rec = new ScriptedReconciler(clock, () => done);
    let handlers: InformerHandlers<KubeObject> | undefined;
    const informer = {
      addHandlers: (h: InformerHandlers<KubeObject>) => (handlers = h),
      start: () => Promise.resolve(),
      waitForSync: () => Promise.resolve(true),
    } as unknown as Informer;
    const c = new Controller({
      name: 't',
      reconciler: rec,
      clock,
      log: noopLogger,
      sources: [{ informer, keys: () => ['owner'], delayMs: 200 }],
    });
    const stop = new AbortController();
    const running = c.start(stop.signal);
    await new Promise((r) => setImmediate(r));
    const start = clock.now();
    const part = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    for (const name of ['a', 'b', 'c']) {
      handlers?.onAdd?.(part(name));
      await clock.advance(50);
    }
    c.enqueue('other');
    await until(() => rec.calls.length === 2, clock);
    await clock.advance(1000);
    assert.deepEqual(
      rec.calls.map((x) => x.key),
      ['other', 'owner'],
      'three events within the delay made one reconcile',
    );
    assert.ok((rec.calls[0]?.at ?? 0) - start < 200, 'a key from elsewhere did not wait');
    assert.equal((rec.calls[1]?.at ?? 0) - start, 200, 'the delay counts from the first event');
    stop.abort();
    await running;
  });

  it('requeues after the requested delay and drops terminal errors', async () => {
    const clock = new FakeClock();
    const rec = new ScriptedReconciler(clock, (key, n) => {
      if (key === 'terminal') throw new TerminalError('no point retrying');
      return n < 3 ? requeueAfter(500) : done;
    });
    const stop = new AbortController();
    const running = new Manager({ log: noopLogger })
      .add('c', new Controller({ name: 't', reconciler: rec, clock, log: noopLogger, workers: 2 }))
      .start(stop.signal);
    const c = new Controller({ name: 'u', reconciler: rec, clock, log: noopLogger });
    c.enqueue('periodic');
    c.enqueue('terminal');
    const second = c.start(stop.signal);
    await until(() => rec.calls.filter((x) => x.key === 'periodic').length === 3, clock);
    await clock.advance(5000);
    assert.deepEqual(
      rec.calls.filter((x) => x.key === 'periodic').map((x) => x.at - (rec.calls[0]?.at ?? 0)),
      [0, 500, 1000],
    );
    assert.equal(rec.calls.filter((x) => x.key === 'terminal').length, 1);
    stop.abort();
    await Promise.all([running, second]);
  });
});

describe('Manager', () => {
  it('stops every runnable when one fails and rejects with its error', async () => {
    let otherStopped = false;
    const stop = new AbortController();
    const m = new Manager({ log: noopLogger })
      .add('fails', { start: () => Promise.reject(new Error('boom')) })
      .add('waits', {
        start: (signal) =>
          new Promise<void>((resolve) =>
            signal.addEventListener('abort', () => {
              otherStopped = true;
              resolve();
            }),
          ),
      });
    await assert.rejects(m.start(stop.signal), /boom/);
    assert.ok(otherStopped);
  });
});
