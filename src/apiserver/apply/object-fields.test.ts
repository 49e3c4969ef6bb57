import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeSchemaFromSpec } from '../../api/merge-schema.js';
import type { MergeSchema } from '../../api/merge-schema.js';
import type { JsonObject } from '../../api/meta.js';
import { FieldSet } from './field-set.js';
import { mergeObjects } from './merge.js';
import { DuplicateKeyError, compareObjects, fieldSetFromObject, removeFields } from './object-fields.js';
import { fieldElement as f, keyElement as k, pathToString } from './path-element.js';

const schema = mergeSchemaFromSpec({
  properties: {
    ports: { list: { type: 'map', keys: ['containerPort', 'protocol'], mergeKey: 'containerPort' } },
    tags: { list: { type: 'set' } },
    selector: { atomicMap: true },
    args: { list: { type: 'atomic' } },
  },
});

const paths = (s: FieldSet): string[] => [...s.paths()].map(pathToString);

describe('fieldSetFromObject', () => {
  const cases: { name: string; obj: JsonObject; schema: MergeSchema | undefined; want: JsonObject }[] = [
    {
      name: 'map lists give k: with the "." marker',
      obj: { ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] },
      schema,
      want: {
        'f:ports': {
          'k:{"containerPort":80,"protocol":"TCP"}': {
            '.': {},
            'f:containerPort': {},
            'f:name': {},
            'f:protocol': {},
          },
        },
      },
    },
    {
      name: 'set lists give v:',
      obj: { tags: ['a', 'b'] },
      schema,
      want: { 'f:tags': { 'v:"a"': {}, 'v:"b"': {} } },
    },
    {
      name: 'atomic maps are one leaf',
      obj: { selector: { matchLabels: { a: 'b' } } },
      schema,
      want: { 'f:selector': {} },
    },
    { name: 'atomic lists are one leaf', obj: { args: ['x'] }, schema, want: { 'f:args': {} } },
    {
      name: 'unknown schema: maps descend, lists atomic',
      obj: { a: { b: [1, 2], c: null } },
      schema: undefined,
      want: { 'f:a': { 'f:b': {}, 'f:c': {} } },
    },
    { name: 'empty maps contribute nothing', obj: { a: {}, b: 1 }, schema: undefined, want: { 'f:b': {} } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(fieldSetFromObject(c.obj, c.schema).toFieldsV1(), c.want);
    });
  }

  it('rejects duplicate list keys', () => {
    assert.throws(() => fieldSetFromObject({ tags: ['a', 'a'] }, schema), DuplicateKeyError);
  });
});

describe('compareObjects', () => {
  it('reports added containers and leaves, modified leaves, removed paths', () => {
    const c = compareObjects(
      { a: 1, b: { c: 2 }, tags: ['x'] },
      { a: 2, d: { e: 1 }, tags: ['x', 'y'] },
      schema,
    );
    assert.deepEqual(paths(c.modified), ['.a']);
    assert.deepEqual(paths(c.added), ['.d', '.d.e', '.tags[="y"]']);
    assert.deepEqual(paths(c.removed), ['.b', '.b.c']);
  });

  it('equal objects compare the same, whatever the key order', () => {
    const c = compareObjects({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } }, undefined);
    assert.ok(c.added.isEmpty() && c.modified.isEmpty() && c.removed.isEmpty());
  });

  it('finds the changes beside a subtree both sides share by reference', () => {
    const status = { conditions: [{ type: 'Ready', status: 'True' }], replicas: 3 };
    const c = compareObjects(
      { spec: { replicas: 3, paused: true }, status },
      { spec: { replicas: 4, minReadySeconds: 5 }, status },
      undefined,
    );
    assert.deepEqual(paths(c.modified), ['.spec.replicas']);
    assert.deepEqual(paths(c.added), ['.spec.minReadySeconds']);
    assert.deepEqual(paths(c.removed), ['.spec.paused']);
  });
});

describe('removeFields', () => {
  it('removes members with their subtrees and collapses emptied containers', () => {
    const obj = { ports: [{ containerPort: 80, protocol: 'TCP' }], meta: { labels: { a: '1' } }, keep: {} };
    const set = FieldSet.of([
      [f('ports'), k({ containerPort: 80, protocol: 'TCP' })],
      [f('meta'), f('labels'), f('a')],
    ]);
    assert.deepEqual(removeFields(obj, set, schema), { keep: {} });
  });
});

describe('mergeObjects', () => {
  const cases: {
    name: string;
    live: JsonObject;
    config: JsonObject;
    schema: MergeSchema | undefined;
    want: JsonObject;
  }[] = [
    {
      name: 'maps merge, config scalars win',
      live: { a: 1, b: { c: 1, d: 2 } },
      config: { b: { c: 3 } },
      schema: undefined,
      want: { a: 1, b: { c: 3, d: 2 } },
    },
    {
      name: 'unknown lists are replaced',
      live: { l: [1, 2] },
      config: { l: [3] },
      schema: undefined,
      want: { l: [3] },
    },
    {
      name: 'sets take the union',
      live: { tags: ['a', 'b'] },
      config: { tags: ['c', 'a'] },
      schema,
      want: { tags: ['c', 'a', 'b'] },
    },
    {
      name: 'map lists merge by key',
      live: {
        ports: [
          { containerPort: 80, protocol: 'TCP', name: 'old' },
          { containerPort: 81, protocol: 'TCP' },
        ],
      },
      config: { ports: [{ containerPort: 80, protocol: 'TCP', hostPort: 1 }] },
      schema,
      want: {
        ports: [
          { containerPort: 80, protocol: 'TCP', name: 'old', hostPort: 1 },
          { containerPort: 81, protocol: 'TCP' },
        ],
      },
    },
    {
      name: 'atomic maps are replaced',
      live: { selector: { a: 1 } },
      config: { selector: { b: 2 } },
      schema,
      want: { selector: { b: 2 } },
    },
    {
      name: 'null in the config is kept',
      live: { a: 1 },
      config: { a: null },
      schema: undefined,
      want: { a: null },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(mergeObjects(c.live, c.config, c.schema), c.want);
    });
  }

  it('orders shared elements as the config does, keeping live-only ones in place', () => {
    const keyed = mergeSchemaFromSpec({
      properties: { l: { list: { type: 'map', keys: ['n'], mergeKey: 'n' } } },
    });
    const live = { l: [{ n: 'a' }, { n: 'x' }, { n: 'b' }] };
    const out = mergeObjects(live, { l: [{ n: 'b' }, { n: 'a' }] }, keyed);
    assert.deepEqual(out, { l: [{ n: 'x' }, { n: 'b' }, { n: 'a' }] });
  });
});
