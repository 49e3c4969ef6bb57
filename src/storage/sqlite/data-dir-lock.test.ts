import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../base/fake-clock.js';
import { acquireLock, tryLock } from './data-dir-lock.js';

describe('data directory lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in and hands over when it releases', async () => {
    const path = join(dir, 'first.lock');
    const first = tryLock(path, { id: 'hub-a', since: '2026-01-01T00:00:00Z' });
    assert.ok('lock' in first);
    const second = tryLock(path, { id: 'hub-b', since: '2026-01-01T00:00:01Z' });
    assert.ok('holder' in second);
    const clock = new FakeClock();
    const stop = new AbortController();
    const waits: unknown[] = [];
    const waiting = acquireLock(path, {
      me: { id: 'hub-b', since: '2026-01-01T00:00:01Z' },
      clock,
      signal: stop.signal,
      onWait: (h) => waits.push(h),
    });
    await clock.advance(3000);
    assert.equal(waits.length, 1, 'told once that it waits');
    first.lock.release();
    await clock.advance(1000);
    const lock = await waiting;
    assert.ok(lock, 'the standby took over');
    assert.ok('holder' in tryLock(path, { id: 'hub-c', since: '' }));
    lock.release();
  });

  it('gives up when stopped', async () => {
    const path = join(dir, 'second.lock');
    const held = tryLock(path, { id: 'a', since: '' });
    assert.ok('lock' in held);
    const stop = new AbortController();
    const waiting = acquireLock(path, {
      me: { id: 'b', since: '' },
      clock: new FakeClock(),
      signal: stop.signal,
    });
    stop.abort();
    assert.equal(await waiting, undefined);
    held.lock.release();
  });
});
