import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from './meta.js';
import type { MergeSchema } from './merge-schema.js';
import { mergeSchemaFromOpenAPI, mergeSchemaSpecFromOpenAPI } from './crd-merge-schema.js';

function at(schema: MergeSchema | undefined, path: string): MergeSchema | undefined {
  let node = schema;
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    node = node?.property(list ? part.slice(0, -2) : part);
    if (list) node = node?.items();
  }
  return node;
}

const crd: JsonObject = {
  type: 'object',
  properties: {
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        args: { type: 'array', items: { type: 'string' } },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        whole: { type: 'array', 'x-kubernetes-list-type': 'atomic', items: { type: 'object' } },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          items: {
            type: 'object',
            properties: {
              hosts: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
            },
          },
        },
        broken: { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object' } },
        selector: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
        byName: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            properties: {
              envs: {
                type: 'array',
                'x-kubernetes-list-type': 'map',
                'x-kubernetes-list-map-keys': ['name'],
              },
            },
          },
        },
      },
    },
  },
};

describe('mergeSchemaFromOpenAPI', () => {
  const schema = mergeSchemaFromOpenAPI(crd);
  const table: [string, unknown][] = [
    ['spec.args', undefined],
    ['spec.tags', { type: 'set' }],
    ['spec.whole', { type: 'atomic' }],
    ['spec.ports', { type: 'map', keys: ['port', 'protocol'], mergeKey: 'port' }],
    ['spec.ports[].hosts', { type: 'set' }],
    ['spec.broken', { type: 'atomic' }],
    ['spec.byName.anything.envs', { type: 'map', keys: ['name'], mergeKey: 'name' }],
    ['metadata.ownerReferences', { type: 'map', keys: ['uid'], mergeKey: 'uid' }],
    ['metadata.finalizers', { type: 'set' }],
  ];
  for (const [path, want] of table)
    it(`list type of ${path}`, () => {
      assert.deepEqual(at(schema, path)?.list, want);
    });

  it('marks atomic maps', () => {
    assert.equal(at(schema, 'spec.selector')?.atomicMap, true);
    assert.equal(at(schema, 'spec')?.atomicMap, undefined);
  });

  it('ignores malformed parts and keeps __proto__ as a plain property name', () => {
    const spec = mergeSchemaSpecFromOpenAPI({
      properties: JSON.parse('{"__proto__":{"x-kubernetes-list-type":"set"},"bad":7}') as JsonObject,
      items: 'nope',
      'x-kubernetes-list-type': 'bogus',
    });
    assert.deepEqual(Object.keys(spec.properties ?? {}), ['__proto__']);
    assert.equal(spec.items, undefined);
    assert.equal(spec.list, undefined);
  });
});
