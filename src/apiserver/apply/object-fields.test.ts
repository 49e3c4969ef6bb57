import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { jsonEqual } from '../../api/json-equal.js';
import { mergeSchemaFromSpec } from '../../api/merge-schema.js';
import type { MergeSchema } from '../../api/merge-schema.js';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import { cloneJson } from '../../base/json-clone.js';
import { FieldSet } from './field-set.js';
import { mergeObjects } from './merge.js';
import { DuplicateKeyError, compareObjects, fieldSetFromObject, removeFields } from './object-fields.js';
import { fieldElement as f, keyElement as k, pathToString } from './path-element.js';
import type { FieldPath } from './path-element.js';

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

describe('compareObjects, by property', () => {
  const leaf = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('x', 'y'), fc.constant(null));
  const { map } = fc.letrec<{ value: JsonValue; map: JsonObject }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('map')),
    map: fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
  }));
  const port = fc.record({
    containerPort: fc.integer({ min: 1, max: 3 }),
    protocol: fc.constantFrom('TCP', 'UDP'),
    name: fc.constantFrom('p', 'q'),
  });
  const object: fc.Arbitrary<JsonObject> = fc.record(
    {
      spec: map,
      ports: fc.uniqueArray(port, { maxLength: 3, selector: (p) => `${p.containerPort}/${p.protocol}` }),
      tags: fc.uniqueArray(fc.constantFrom('t1', 't2', 't3'), { maxLength: 3 }),
      args: fc.array(fc.constantFrom('-v', '-q'), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  );
  /** An object and a variant of it: some members replaced by other random values, most kept. */
  const pair = fc
    .tuple(object, object, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
    .map(([a, other, take]): [JsonObject, JsonObject] => {
      const b = cloneJson(a);
      ['spec', 'ports', 'tags', 'args'].forEach((key, i) => {
        if (!take[i]) return;
        if (other[key] === undefined) delete b[key];
        else b[key] = other[key];
      });
      return [a, b];
    });
  const valueAt = (obj: JsonValue | undefined, path: FieldPath): JsonValue | undefined => {
    let v = obj;
    for (const pe of path) v = pe.kind === 'field' && isJsonObject(v) ? v[pe.name] : undefined;
    return v;
  };
  const differs = (x: JsonValue | undefined, y: JsonValue | undefined): boolean =>
    x === undefined || y === undefined ? x !== y : !jsonEqual(x, y);
  const inSomePrefix = (set: FieldSet, path: FieldPath): boolean =>
    path.some((_, i) => set.has(path.slice(0, i + 1)));

  it('finds every changed field, added or removed, and agrees with itself both ways round', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const forward = compareObjects(a, b, schema);
        const backward = compareObjects(b, a, schema);
        assert.ok(forward.added.equals(backward.removed));
        assert.ok(forward.removed.equals(backward.added));
        assert.ok(forward.modified.equals(backward.modified));
        const changed = forward.added.union(forward.modified);
        const gone = forward.removed.union(forward.modified);
        // Fields (not list elements) whose value differs are found, or an ancestor that changed kind.
        for (const [from, to, found] of [
          [a, b, changed],
          [b, a, gone],
        ] as const)
          for (const path of fieldSetFromObject(to, schema).paths())
            if (path.every((pe) => pe.kind === 'field') && differs(valueAt(from, path), valueAt(to, path)))
              assert.ok(inSomePrefix(found, path), `${pathToString(path)} changed unnoticed`);
        const same = compareObjects(a, cloneJson(a), schema);
        assert.ok(same.added.isEmpty() && same.modified.isEmpty() && same.removed.isEmpty());
      }),
      { numRuns: 500 },
    );
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
