import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { formatObjects } from './object-output.js';
import { makeCluster } from './testing/fixtures.js';

describe('formatObjects', () => {
  const a = makeCluster('a');
  const b = {
    ...makeCluster('b'),
    metadata: {
      name: 'b',
      managedFields: [
        {
          manager: 'x',
          operation: 'Update' as const,
          apiVersion: 'v1',
          fieldsType: 'FieldsV1' as const,
          fieldsV1: {},
        },
      ],
    },
  };

  it('prints a v1 List, or the single object, as JSON and YAML alike', () => {
    for (const format of ['json', 'yaml'] as const) {
      const read = (text: string): unknown => (format === 'json' ? JSON.parse(text) : parse(text));
      const list = read(formatObjects([a], { format, single: false })) as {
        apiVersion: string;
        kind: string;
        items: unknown[];
      };
      assert.deepEqual(list, { apiVersion: 'v1', kind: 'List', items: [a] });
      assert.deepEqual(read(formatObjects([a], { format, single: true })), a);
      assert.deepEqual(read(formatObjects([], { format, single: false })), {
        apiVersion: 'v1',
        kind: 'List',
        items: [],
      });
    }
  });

  it('leaves managedFields out, as kubectl does', () => {
    const out = JSON.parse(formatObjects([b], { format: 'json', single: true })) as { metadata: object };
    assert.deepEqual(out.metadata, { name: 'b' });
  });

  it('refuses single output of anything but one object', () => {
    assert.throws(() => formatObjects([a, a], { format: 'json', single: true }));
  });
});
