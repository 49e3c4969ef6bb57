import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CidrError, IpPool } from './ip-pool.js';

describe('IpPool', () => {
  it('hands out addresses after the gateway, never the network or broadcast address', () => {
    const pool = new IpPool('10.244.3.0/30');
    assert.equal(pool.allocate(), '10.244.3.2');
    assert.equal(pool.allocate(), undefined, 'a /30 has one pod address');
    assert.equal(new IpPool('10.244.3.0/24').rangeText, '10.244.3.1-10.244.3.254');
  });

  it('never hands out an address in use and does not reuse a released one at once', () => {
    const pool = new IpPool('10.0.0.0/29'); // pods get .2 to .6
    const first = ['10.0.0.2', '10.0.0.3', '10.0.0.4'].map(() => pool.allocate());
    assert.deepEqual(first, ['10.0.0.2', '10.0.0.3', '10.0.0.4']);
    pool.release('10.0.0.3');
    assert.equal(pool.allocate(), '10.0.0.5', 'round-robin continues past the released address');
    assert.equal(pool.allocate(), '10.0.0.6');
    assert.equal(pool.allocate(), '10.0.0.3', 'wraps around to the free one');
    assert.equal(pool.allocate(), undefined);
    assert.equal(pool.free, 0);
  });

  it('reserves addresses found in use and refuses foreign or taken ones', () => {
    const pool = new IpPool('10.1.0.0/24');
    assert.equal(pool.reserve('10.1.0.9'), true);
    assert.equal(pool.reserve('10.1.0.9'), false);
    assert.equal(pool.reserve('10.2.0.9'), false);
    assert.equal(pool.reserve('10.1.0.1'), false, 'the gateway');
    const seen = new Set<string>();
    for (let ip = pool.allocate(); ip !== undefined; ip = pool.allocate()) seen.add(ip);
    assert.equal(seen.size, 252);
    assert.ok(!seen.has('10.1.0.9'));
  });

  it('rejects CIDRs it cannot serve', () => {
    for (const cidr of ['10.0.0.0', '10.0.0.0/31', '300.0.0.0/24', 'fd00::/64'])
      assert.throws(() => new IpPool(cidr), CidrError, cidr);
  });
});
