import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/fake-clock.js';
import { SchedulingQueue } from './scheduling-queue.js';

const make = (clock = new FakeClock()): { q: SchedulingQueue; clock: FakeClock; stop: AbortController } => {
  const stop = new AbortController();
  return {
    q: new SchedulingQueue({ clock, signal: stop.signal, initialBackoffMs: 1000, maxBackoffMs: 4000 }),
    clock,
    stop,
  };
};

describe('SchedulingQueue', () => {
  it('pops higher priority first, then the oldest; deduplicates and raises priority', async () => {
    const { q, clock } = make();
    q.add('low', 0);
    await clock.advance(10);
    q.add('high', 10);
    q.add('older-high', 10);
    q.add('low', 0);
    await clock.advance(10);
    q.add('late', 5);
    q.add('low', 7);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const key = (await q.pop()) as string;
      order.push(key);
      q.done(key);
    }
    assert.deepEqual(order, ['high', 'older-high', 'low', 'late']);
  });

  it('re-queues a key added while in flight once it is done', async () => {
    const { q } = make();
    q.add('a');
    assert.equal(await q.pop(), 'a');
    q.add('a');
    assert.deepEqual(q.size, { active: 0, parked: 0, inFlight: 1 });
    q.done('a');
    assert.equal(await q.pop(), 'a');
  });

  it('parks unschedulable keys with growing backoff, and releases them on a change', async () => {
    const { q, clock } = make();
    q.add('u');
    assert.equal(await q.pop(), 'u');
    q.unschedulable('u');
    q.done('u');
    assert.deepEqual(q.size, { active: 0, parked: 1, inFlight: 0 });
    await clock.advance(999);
    assert.equal(q.size.active, 0);
    await clock.advance(1);
    assert.equal(q.size.active, 1, 'back after 1 s');
    assert.equal(await q.pop(), 'u');
    q.unschedulable('u');
    q.done('u');
    await clock.advance(1999);
    assert.equal(q.size.active, 0, 'the second backoff is 2 s');
    q.moveParkedToActive();
    assert.deepEqual(q.size, { active: 1, parked: 0, inFlight: 0 });
    assert.equal(await q.pop(), 'u');
    q.forget('u');
    q.unschedulable('u');
    q.done('u');
    await clock.advance(1000);
    assert.equal(q.size.active, 1, 'forget reset the backoff');
  });

  it('parks a waiting key (a preempted binding) instead of leaving it queued', async () => {
    const { q, clock } = make();
    q.add('victim', 3);
    q.unschedulable('victim', 3);
    assert.deepEqual(q.size, { active: 0, parked: 1, inFlight: 0 });
    await clock.advance(1000);
    assert.deepEqual(q.size, { active: 1, parked: 0, inFlight: 0 });
    assert.equal(await q.pop(), 'victim');
  });

  it('answers undefined once stopped', async () => {
    const { q, stop } = make();
    const waiting = q.pop();
    stop.abort();
    assert.equal(await waiting, undefined);
    q.add('x');
    assert.equal(await q.pop(), undefined);
  });
});
