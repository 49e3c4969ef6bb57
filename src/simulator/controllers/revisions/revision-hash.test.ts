import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1, fnv1a, hashPodTemplate, hashRevisionData, safeEncodeString } from './revision-hash.js';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

describe('revision hashes', () => {
  it('computes FNV-1 and FNV-1a 32-bit as Go hash/fnv does', () => {
    const table: [string, number, number][] = [
      ['', 0x811c9dc5, 0x811c9dc5],
      ['a', 0x050c5d7e, 0xe40c292c],
      ['foobar', 0x31f0b262, 0xbf9cf968],
    ];
    for (const [input, v1, v1a] of table) {
      assert.equal(fnv1(bytes(input)), v1, `fnv1(${input})`);
      assert.equal(fnv1a(bytes(input)), v1a, `fnv1a(${input})`);
    }
  });

  it('maps digits into the vowel-free alphabet of rand.SafeEncodeString', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  });

  it('hashes revision data independently of key order, and the collision count changes it', () => {
    const a = hashRevisionData({ spec: { template: { b: 1, a: 2 } } }, 0);
    const b = hashRevisionData({ spec: { template: { a: 2, b: 1 } } }, 0);
    assert.equal(a, b);
    assert.notEqual(hashRevisionData({ x: 1 }, 0), hashRevisionData({ x: 1 }, 1));
    assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.notEqual(hashPodTemplate({ x: 1 }, undefined), hashPodTemplate({ x: 1 }, 1));
    assert.notEqual(hashPodTemplate({ x: 1 }, undefined), hashPodTemplate({ x: 2 }, undefined));
  });
});
