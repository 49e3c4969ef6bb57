import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/fake-clock.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('spends the burst at once, then refills at the rate, never beyond the burst', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ clock, ratePerSecond: 2, burst: 3 });
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take()], [0, 0, 0]);
    assert.equal(bucket.wait(), 500, 'the next token in half a second');
    assert.equal(bucket.take(), 500, 'none taken while waiting');
    await clock.advance(500);
    assert.equal(bucket.take(), 0);
    await clock.advance(60_000);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [0, 0, 0, 500]);
  });
});
