import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TimerHeap } from './timer-heap.js';

describe('TimerHeap', () => {
  it('pops due keys in deadline order and keeps later ones', () => {
    const heap = new TimerHeap();
    heap.schedule('c', 30);
    heap.schedule('a', 10);
    heap.schedule('b', 20);
    heap.schedule('d', 40);
    assert.deepEqual(heap.popDue(25), ['a', 'b']);
    assert.deepEqual(heap.popDue(25), []);
    assert.deepEqual(heap.popDue(100), ['c', 'd']);
    assert.equal(heap.size, 0);
  });

  it('keeps one deadline per key: reschedule replaces, cancel forgets, scheduleEarliest keeps the earlier', () => {
    const heap = new TimerHeap();
    heap.schedule('a', 10);
    heap.schedule('a', 50);
    heap.schedule('b', 20);
    heap.cancel('b');
    heap.scheduleEarliest('c', 30);
    heap.scheduleEarliest('c', 60);
    heap.scheduleEarliest('c', 5);
    assert.equal(heap.deadline('c'), 5);
    assert.deepEqual(heap.popDue(40), ['c']);
    assert.deepEqual(heap.popDue(60), ['a']);
  });

  it('stays ordered under many random reschedules', () => {
    const heap = new TimerHeap();
    const want = new Map<string, number>();
    let seed = 7;
    const rand = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 5000; i++) {
      const key = `k${Math.floor(rand() * 300)}`;
      const at = Math.floor(rand() * 10_000);
      heap.schedule(key, at);
      want.set(key, at);
    }
    const popped = heap.popDue(10_000);
    assert.equal(popped.length, want.size);
    const times = popped.map((k) => want.get(k) ?? -1);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });
});
