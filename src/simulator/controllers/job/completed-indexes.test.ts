import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatIndexes, parseIndexes } from './completed-indexes.js';

describe('completedIndexes', () => {
  it('writes runs of three or more as first-last', () => {
    const table: [number[], string][] = [
      [[], ''],
      [[1], '1'],
      [[1, 2], '1,2'],
      [[0, 1, 2], '0-2'],
      [[1, 3, 4, 5, 7], '1,3-5,7'],
      [[0, 1, 3, 4], '0,1,3,4'],
    ];
    for (const [indexes, text] of table) assert.equal(formatIndexes(indexes), text, JSON.stringify(indexes));
  });

  it('parses what it writes, dropping indexes at or above completions and malformed parts', () => {
    assert.deepEqual(parseIndexes('1,3-5,7', 6), [1, 3, 4, 5]);
    assert.deepEqual(parseIndexes('x,2,4-3', 10), [2]);
    assert.deepEqual(parseIndexes(undefined, 3), []);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(200)), (raw) => {
        const sorted = [...raw].sort((a, b) => a - b);
        assert.deepEqual(parseIndexes(formatIndexes(sorted), 201), sorted);
      }),
    );
  });
});
