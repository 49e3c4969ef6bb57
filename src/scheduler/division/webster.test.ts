import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fnv1a32 } from '../../base/hash.js';
import { websterDivide } from './webster.js';

const divide = (seats: number, weights: Record<string, number>, uid = ''): Record<string, number> =>
  Object.fromEntries(
    websterDivide(
      seats,
      Object.entries(weights).map(([name, votes]) => ({ name, votes })),
      uid,
    ),
  );

describe('fnv1a32', () => {
  it('matches the FNV-1a reference values', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });
});

describe('websterDivide', () => {
  it("gives Karmada's results for its documented cases", () => {
    const cases: [number, Record<string, number>, Record<string, number>][] = [
      [9, { a: 1, b: 2 }, { a: 3, b: 6 }],
      [9, { a: 1, b: 3 }, { a: 2, b: 7 }],
      [12, { a: 3, b: 2, c: 1 }, { a: 6, b: 4, c: 2 }],
      [13, { a: 3, b: 2, c: 1 }, { a: 7, b: 4, c: 2 }],
      [14, { a: 3, b: 2, c: 1 }, { a: 7, b: 5, c: 2 }],
      [12, { a: 6, b: 12, c: 18 }, { a: 2, b: 4, c: 6 }],
      [3, { member1: 1, member2: 1 }, { member1: 2, member2: 1 }],
      [0, { a: 1 }, { a: 0 }],
      [5, { a: 0, b: 1 }, { a: 0, b: 5 }],
    ];
    for (const [seats, weights, want] of cases)
      assert.deepEqual(divide(seats, weights), want, `${seats} over ${JSON.stringify(weights)}`);
  });

  it('breaks exact ties by fewer seats, then by name in the direction the UID hash picks', () => {
    // fnv1a32('a') is even, fnv1a32('b') = 0xe70c2de5 is odd.
    assert.equal(fnv1a32('a') & 1, 0);
    assert.equal(fnv1a32('b') & 1, 1);
    assert.deepEqual(divide(1, { x: 1, y: 1 }, 'a'), { x: 1, y: 0 });
    assert.deepEqual(divide(1, { x: 1, y: 1 }, 'b'), { x: 0, y: 1 });
    assert.deepEqual(divide(3, { x: 1, y: 1, z: 1 }, 'b'), { x: 1, y: 1, z: 1 });
    // 1/3 and 2/6 are equal priorities compared exactly; fewer seats wins the tie.
    assert.deepEqual(divide(4, { p: 1, q: 2 }, ''), { p: 1, q: 3 });
  });

  it('compares priorities exactly beyond 2^53', () => {
    const big = 2 ** 52 + 1;
    assert.deepEqual(divide(3, { a: big, b: big - 1 }), { a: 2, b: 1 });
  });

  it('always hands out every seat when some party has votes, deterministically', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }),
        fc.string(),
        (seats, votes, uid) => {
          const weights = Object.fromEntries(votes.map((v, i) => [`c${i}`, v]));
          const got = divide(seats, weights, uid);
          const total = Object.values(got).reduce((a, b) => a + b, 0);
          assert.equal(total, votes.some((v) => v > 0) ? seats : 0);
          for (const [name, n] of Object.entries(got)) if (weights[name] === 0) assert.equal(n, 0);
          assert.deepEqual(divide(seats, weights, uid), got);
        },
      ),
    );
  });
});
