import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScaledClock, rfc3339Seconds } from './clock.js';

describe('ScaledClock', () => {
  it('runs faster than the wall clock by its factor', async () => {
    const clock = new ScaledClock(50);
    const before = clock.now();
    const realBefore = Date.now();
    const keepAlive = setInterval(() => undefined, 1000); // clock sleeps never hold the process
    await clock.sleep(1000); // 20 ms of real time
    clearInterval(keepAlive);
    const virtual = clock.now() - before;
    const real = Date.now() - realBefore;
    assert.ok(virtual >= 1000 - 50, `virtual ${virtual} ms`);
    assert.ok(Math.abs(virtual - real * 50) <= 100, `virtual ${virtual} vs real ${real} x 50`);
  });

  it('refuses a speed that is not positive', () => {
    assert.throws(() => new ScaledClock(0), RangeError);
    assert.throws(() => new ScaledClock(Number.NaN), RangeError);
  });
});

describe('rfc3339Seconds', () => {
  it('drops milliseconds', () =>
    assert.equal(rfc3339Seconds(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05Z'));
});
