import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareKeys, lowerBound, prefixEnd, rangeStart } from './key-order.js';

const utf8Order = (a: string, b: string): number => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
// Well-formed strings over a mix of ASCII, BMP-high and astral characters.
const keyArb = fc.string({
  unit: fc.constantFrom('a', 'b', '/', '\u0000', '\uE000', '\uFFFF', '\u{10000}', '\u{10FFFF}'),
});

describe('compareKeys', () => {
  it('agrees with UTF-8 byte order', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => {
        assert.equal(Math.sign(compareKeys(a, b)), utf8Order(a, b));
      }),
    );
  });

  const table = [
    { a: '/a/b', b: '/a/b/', want: -1 },
    { a: '/a/B', b: '/a/a', want: -1 },
    { a: '/k/\uFFFD', b: '/k/\u{1F600}', want: -1 },
    { a: 'x', b: 'x', want: 0 },
  ];
  for (const { a, b, want } of table) {
    it(`orders ${JSON.stringify(a)} vs ${JSON.stringify(b)}`, () => {
      assert.equal(Math.sign(compareKeys(a, b)), want);
    });
  }
});

describe('prefixEnd', () => {
  it('bounds exactly the keys under the prefix', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (prefix, key) => {
        const end = prefixEnd(prefix);
        const inside = compareKeys(key, prefix) >= 0 && (end === undefined || compareKeys(key, end) < 0);
        assert.equal(inside, key.startsWith(prefix));
      }),
    );
  });

  const table = [
    { prefix: '/a/', want: '/a0' },
    { prefix: '', want: undefined },
    { prefix: 'a\u{10FFFF}', want: 'b' },
    { prefix: '\u{10FFFF}', want: undefined },
    { prefix: 'a\uD7FF', want: 'a\uE000' },
  ];
  for (const { prefix, want } of table) {
    it(`of ${JSON.stringify(prefix)} is ${JSON.stringify(want)}`, () => {
      assert.equal(prefixEnd(prefix), want);
    });
  }
});

describe('rangeStart and lowerBound', () => {
  it('start at the larger of prefix and fromKey', () => {
    assert.equal(rangeStart('/a/', undefined), '/a/');
    assert.equal(rangeStart('/a/', '/'), '/a/');
    assert.equal(rangeStart('/a/', '/a/x'), '/a/x');
  });

  it('finds the first key not below the probe', () => {
    fc.assert(
      fc.property(fc.array(keyArb), keyArb, (keys, probe) => {
        const sorted = [...new Set(keys)].sort(compareKeys);
        const i = lowerBound(sorted, probe);
        assert.ok(sorted.slice(0, i).every((k) => compareKeys(k, probe) < 0));
        assert.ok(sorted.slice(i).every((k) => compareKeys(k, probe) >= 0));
      }),
    );
  });
});
