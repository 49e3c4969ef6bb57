import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('answers items in push order, then undefined', () => {
    const q = new Fifo<string>();
    q.push('a');
    q.push('b');
    assert.equal(q.shift(), 'a');
    q.push('c');
    assert.deepEqual([q.shift(), q.shift(), q.shift()], ['b', 'c', undefined]);
    assert.equal(q.length, 0);
  });

  it('keeps order and length across compactions of a long queue', () => {
    const q = new Fifo<number>();
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 3000; i++) q.push(next++);
      for (let i = 0; i < 2000; i++) assert.equal(q.shift(), expected++);
      assert.equal(q.length, next - expected);
    }
    while (q.length > 0) assert.equal(q.shift(), expected++);
    assert.equal(expected, next);
  });

  it('clear drops every queued item', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) q.shift();
    q.clear();
    assert.equal(q.length, 0);
    assert.equal(q.shift(), undefined);
    q.push(7);
    assert.equal(q.shift(), 7);
  });
});
