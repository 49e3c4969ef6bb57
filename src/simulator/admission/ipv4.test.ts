import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ipv4Cidr, PortRange, formatIpv4, parseIpv4 } from './ipv4.js';

describe('IPv4 ranges', () => {
  it('parses and formats dotted quads', () => {
    assert.equal(parseIpv4('10.96.0.1'), 0x0a600001);
    assert.equal(formatIpv4(0x0a600001), '10.96.0.1');
    for (const bad of ['10.96.0', '10.96.0.256', 'fd00::1', '10.96.0.1a', ''])
      assert.equal(parseIpv4(bad), undefined, bad);
  });

  it('hands out every address of a CIDR but the network and broadcast ones', () => {
    const cidr = new Ipv4Cidr('10.96.5.7/16');
    assert.equal(cidr.text, '10.96.0.0/16');
    assert.equal(cidr.size, 65534);
    assert.equal(cidr.at(0), '10.96.0.1');
    assert.equal(cidr.at(cidr.size - 1), '10.96.255.254');
    assert.equal(cidr.offsetOf('10.96.0.0'), undefined);
    assert.equal(cidr.offsetOf('10.96.255.255'), undefined);
    assert.equal(cidr.offsetOf('10.96.1.1'), 256);
    assert.throws(() => new Ipv4Cidr('10.96.0.0'), RangeError);
    assert.throws(() => new Ipv4Cidr('10.96.0.0/31'), RangeError);
  });

  it('parses port ranges', () => {
    const ports = new PortRange('30000-32767');
    assert.equal(ports.size, 2768);
    assert.equal(ports.offsetOf(30000), 0);
    assert.equal(ports.offsetOf(32768), undefined);
    assert.throws(() => new PortRange('32767-30000'), RangeError);
  });
});
