import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FakeClock } from '../base/fake-clock.js';
import { noopLogger } from '../base/logger.js';
import { Controller } from './controller.js';
import { Lanes } from './lanes.js';
import { done } from './reconciler.js';
import type { Reconciler } from './reconciler.js';

/** Counts the loop turns until `p` settles. */
async function turnsUntil(p: Promise<void>): Promise<number> {
  let settled = false;
  void p.then(() => (settled = true));
  let turns = 0;
  while (!settled) {
    await nextTurn();
    turns++;
  }
  return turns;
}

describe('Lanes', () => {
  it('lets background work through at once when no critical key waits', async () => {
    const lanes = new Lanes();
    const waiting = 0;
    lanes.addCritical(() => waiting);
    assert.equal(lanes.busy, false);
    assert.ok((await turnsUntil(lanes.yieldToCritical())) <= 1);
  });

  it('holds background work while critical keys wait, and lets it go when they are taken', async () => {
    const lanes = new Lanes({ maxTurns: 1000 });
    let waiting = 3;
    lanes.addCritical(() => waiting);
    let released = false;
    const yielded = lanes.yieldToCritical().then(() => (released = true));
    for (let i = 0; i < 20; i++) await nextTurn();
    assert.equal(released, false);
    waiting = 0;
    await yielded;
    assert.equal(released, true);
  });

  it('never holds background work longer than maxTurns turns', async () => {
    const lanes = new Lanes({ maxTurns: 5 });
    lanes.addCritical(() => 1);
    const turns = await turnsUntil(lanes.yieldToCritical());
    assert.ok(turns >= 5 && turns <= 7, `released after ${turns} turns`);
  });

  it('stops holding when the signal aborts, and forgets an unregistered queue', async () => {
    const lanes = new Lanes({ maxTurns: 1_000_000 });
    const unregister = lanes.addCritical(() => 1);
    const stop = new AbortController();
    const held = lanes.yieldToCritical(stop.signal);
    stop.abort();
    await held;
    unregister();
    assert.equal(lanes.busy, false);
  });

  it('runs a background controller only once a critical controller has taken its keys', async () => {
    const clock = new FakeClock();
    const lanes = new Lanes({ maxTurns: 1_000_000 });
    const order: string[] = [];
    const reconciler = (name: string): Reconciler => ({
      reconcile: (key) => {
        order.push(`${name}:${key}`);
        return Promise.resolve(done);
      },
    });
    const critical = new Controller({
      name: 'critical',
      reconciler: reconciler('critical'),
      clock,
      log: noopLogger,
      lane: { lanes, priority: 'critical' },
    });
    const background = new Controller({
      name: 'background',
      reconciler: reconciler('background'),
      clock,
      log: noopLogger,
      lane: { lanes, priority: 'background' },
    });
    for (const k of ['a', 'b', 'c']) critical.enqueue(k);
    background.enqueue('x');
    const stop = new AbortController();
    // The background controller starts first: its worker takes `x` and then waits its turn.
    const running = [background.start(stop.signal), critical.start(stop.signal)];
    while (order.length < 4) await nextTurn();
    assert.deepEqual(order, ['critical:a', 'critical:b', 'critical:c', 'background:x']);
    stop.abort();
    await Promise.all(running);
    assert.equal(lanes.busy, false, 'a stopped controller no longer counts');
  });
});
