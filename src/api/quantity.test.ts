import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QuantityError, formatBytes, milliCpu, parseQuantity, quantityOrUndefined } from './quantity.js';

describe('parseQuantity', () => {
  const cases: [string, number][] = [
    ['2', 2],
    ['500m', 0.5],
    ['1.5', 1.5],
    ['128974848', 128974848],
    ['129e6', 129e6],
    ['123Mi', 123 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['4k', 4000],
    ['1M', 1e6],
    ['.5', 0.5],
    ['100n', 1e-7],
  ];
  for (const [text, want] of cases) {
    it(`reads ${text}`, () => assert.ok(Math.abs(parseQuantity(text) - want) < 1e-9 * Math.max(1, want)));
  }

  it('rejects what is not a quantity', () => {
    for (const bad of ['', 'abc', '1Gb', '1 Gi', 'Mi'])
      assert.throws(() => parseQuantity(bad), QuantityError);
    assert.equal(quantityOrUndefined('nope'), undefined);
    assert.equal(quantityOrUndefined(undefined), undefined);
    assert.equal(quantityOrUndefined('2Gi'), 2 * 2 ** 30);
  });

  it('counts CPU in millicores, rounding up', () => {
    assert.equal(milliCpu('100m'), 100);
    assert.equal(milliCpu('1.5'), 1500);
    assert.equal(milliCpu('0.0001'), 1);
    assert.equal(milliCpu(2), 2000);
  });
});

describe('formatBytes', () => {
  it('uses the largest binary suffix that divides exactly, else the plain number', () => {
    assert.equal(formatBytes(67108864), '64Mi');
    assert.equal(formatBytes(1536 * 1024), '1536Ki');
    assert.equal(formatBytes(2 * 2 ** 30), '2Gi');
    assert.equal(formatBytes(1000), '1000');
    assert.equal(formatBytes(0), '0');
  });
});
