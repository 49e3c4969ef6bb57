import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/fake-clock.js';
import { makePod } from '../testing/fixtures.js';
import { NODE_AFFINITY, NODE_RESOURCES_FIT } from './filters.js';
import { SchedulingQueue } from './scheduling-queue.js';
import type { QueuedPod } from './scheduling-queue.js';

const signal = new AbortController().signal;

function setup(): { clock: FakeClock; queue: SchedulingQueue } {
  const clock = new FakeClock();
  return { clock, queue: new SchedulingQueue({ clock }) };
}

function add(queue: SchedulingQueue, name: string, priority = 0): void {
  queue.upsert(`default/${name}`, makePod(name).spec({ priority }).obj(), false);
}

async function pop(queue: SchedulingQueue): Promise<QueuedPod> {
  const item = await queue.pop(signal);
  assert.ok(item);
  return item;
}

describe('SchedulingQueue', () => {
  it('pops higher priority first, then first in first out', async () => {
    const { clock, queue } = setup();
    add(queue, 'a');
    await clock.advance(1);
    add(queue, 'b', 10);
    await clock.advance(1);
    add(queue, 'c');
    await clock.advance(1);
    add(queue, 'd', 10);
    for (let i = 0; i < 20; i++) add(queue, `same-ms-${i}`, 5); // one millisecond: still FIFO
    const order = [];
    for (let i = 0; i < 24; i++) order.push((await pop(queue)).key);
    assert.deepEqual(order, [
      'default/b',
      'default/d',
      ...Array.from({ length: 20 }, (_, i) => `default/same-ms-${i}`),
      'default/a',
      'default/c',
    ]);
  });

  it('waits for a pod when empty and stops on abort', async () => {
    const { queue } = setup();
    const waiting = queue.pop(signal);
    add(queue, 'late');
    assert.equal((await waiting)?.key, 'default/late');
    const stop = new AbortController();
    const parked = queue.pop(stop.signal);
    stop.abort();
    assert.equal(await parked, undefined);
  });

  it('backs off 1 s doubling to 10 s', () => {
    const { queue } = setup();
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => queue.backoffMs(n)),
      [1000, 2000, 4000, 8000, 10_000, 10_000],
    );
  });

  it('keeps unschedulable pods until an event that can help them', async () => {
    const { clock, queue } = setup();
    add(queue, 'short-of-cpu');
    add(queue, 'wrong-zone');
    const cpu = await pop(queue);
    const zone = await pop(queue);
    queue.unschedulable(cpu, new Set([NODE_RESOURCES_FIT]));
    queue.unschedulable(zone, new Set([NODE_AFFINITY]));
    assert.equal(queue.counts().unschedulable, 2);

    // A pod leaving frees resources: only the pod short of cpu moves, to backoff while it lasts.
    queue.moveAll('AssignedPodDelete');
    assert.deepEqual(queue.counts(), { active: 0, backoff: 1, unschedulable: 1, inFlight: 0 });
    await clock.advance(1000);
    queue.flushBackoff();
    assert.equal((await pop(queue)).key, 'default/short-of-cpu');

    // A new node may help anyone; past its backoff the pod goes straight to the active queue.
    queue.moveAll('NodeAdd');
    assert.equal((await pop(queue)).key, 'default/wrong-zone');
  });

  it('does not lose an event that came while the pod was in flight', async () => {
    const { clock, queue } = setup();
    add(queue, 'p');
    const item = await pop(queue);
    queue.moveAll('NodeAdd');
    queue.unschedulable(item, new Set([NODE_AFFINITY]));
    assert.equal(queue.counts().backoff, 1);
    await clock.advance(1000);
    queue.flushBackoff();
    assert.equal((await pop(queue)).attempts, 2);
  });

  it('retries a changed pod, but not for a status-only update', async () => {
    const { clock, queue } = setup();
    add(queue, 'p');
    const item = await pop(queue);
    queue.unschedulable(item, new Set([NODE_AFFINITY]));
    queue.upsert('default/p', makePod('p').obj(), false);
    assert.equal(queue.counts().unschedulable, 1);
    await clock.advance(5000);
    queue.upsert(
      'default/p',
      makePod('p')
        .spec({ nodeSelector: { zone: 'b' } })
        .obj(),
      true,
    );
    assert.equal(queue.counts().active, 1);
  });

  it('flushes pods that waited too long', async () => {
    const { clock, queue } = setup();
    add(queue, 'p');
    queue.unschedulable(await pop(queue), new Set([NODE_AFFINITY]));
    await clock.advance(59_000);
    queue.flushUnschedulable();
    assert.equal(queue.counts().unschedulable, 1);
    await clock.advance(1000);
    queue.flushUnschedulable();
    assert.equal(queue.counts().active, 1);
  });

  it('forgets deleted pods wherever they are', async () => {
    const { queue } = setup();
    add(queue, 'a');
    add(queue, 'b');
    queue.delete('default/a');
    assert.equal((await pop(queue)).key, 'default/b');
    assert.deepEqual(queue.counts(), { active: 0, backoff: 0, unschedulable: 0, inFlight: 1 });
  });
});
