import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { heapGrowthPercent } from './flags.js';

describe('heapGrowthPercent (--heap-growth)', () => {
  it('takes 0 (V8 decides) or a whole percentage from 10 to 300', () => {
    assert.deepEqual(['0', '10', '100', '300'].map(heapGrowthPercent), [0, 10, 100, 300]);
  });

  it('refuses anything else, naming the flag and the value', () => {
    for (const bad of ['9', '301', '-5', '50.5', '', 'half', '1e2'])
      assert.throws(() => heapGrowthPercent(bad), {
        name: 'UsageError',
        message: `--heap-growth must be 0 (V8's choice) or a percentage from 10 to 300, got "${bad}"`,
      });
  });
});
