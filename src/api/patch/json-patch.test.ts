import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StatusError } from '../status.js';
import type { JsonObject, JsonValue } from '../meta.js';
import {
  GENERIC_UNPROCESSABLE_MESSAGE,
  JsonPatchError,
  MAX_JSON_PATCH_OPERATIONS,
  applyJsonPatch,
  readPointer,
} from './json-patch.js';
import { cloneJson } from '../../base/json-clone.js';

interface Case {
  name: string;
  doc: JsonValue;
  patch: JsonValue;
  want: JsonValue;
}

// RFC 6902 Appendix A, plus the edges kube clients rely on.
const applies: Case[] = [
  {
    name: 'A.1 add object member',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz', value: 'qux' }],
    want: { baz: 'qux', foo: 'bar' },
  },
  {
    name: 'A.2 add array element',
    doc: { foo: ['bar', 'baz'] },
    patch: [{ op: 'add', path: '/foo/1', value: 'qux' }],
    want: { foo: ['bar', 'qux', 'baz'] },
  },
  {
    name: 'A.3 remove object member',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'remove', path: '/baz' }],
    want: { foo: 'bar' },
  },
  {
    name: 'A.4 remove array element',
    doc: { foo: ['bar', 'qux', 'baz'] },
    patch: [{ op: 'remove', path: '/foo/1' }],
    want: { foo: ['bar', 'baz'] },
  },
  {
    name: 'A.5 replace value',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'replace', path: '/baz', value: 'boo' }],
    want: { baz: 'boo', foo: 'bar' },
  },
  {
    name: 'A.6 move value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    want: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    name: 'A.7 move array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    want: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    name: 'A.8 test success',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
    ],
    want: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  {
    name: 'A.10 add nested member',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }],
    want: { foo: 'bar', child: { grandchild: {} } },
  },
  {
    name: 'A.11 ignores unknown members',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }],
    want: { foo: 'bar', baz: 'qux' },
  },
  {
    name: 'A.14 ~ escapes',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: 10 }],
    want: { '/': 9, '~1': 10 },
  },
  {
    name: 'A.16 add array value',
    doc: { foo: ['bar'] },
    patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
    want: { foo: ['bar', ['abc', 'def']] },
  },
  {
    name: '~1 addresses a key with a slash',
    doc: { a: {} },
    patch: [{ op: 'add', path: '/a/b~1c', value: 1 }],
    want: { a: { 'b/c': 1 } },
  },
  {
    name: 'add at array end index',
    doc: { a: [1] },
    patch: [{ op: 'add', path: '/a/1', value: 2 }],
    want: { a: [1, 2] },
  },
  {
    name: 'add replaces an existing member',
    doc: { a: 1 },
    patch: [{ op: 'add', path: '/a', value: 2 }],
    want: { a: 2 },
  },
  {
    name: 'add at root replaces the document',
    doc: { a: 1 },
    patch: [{ op: 'add', path: '', value: { b: 2 } }],
    want: { b: 2 },
  },
  {
    name: 'copy',
    doc: { a: { x: [1] } },
    patch: [{ op: 'copy', from: '/a', path: '/b' }],
    want: { a: { x: [1] }, b: { x: [1] } },
  },
  {
    name: 'move to itself is a no-op',
    doc: { a: 1 },
    patch: [{ op: 'move', from: '/a', path: '/a' }],
    want: { a: 1 },
  },
  {
    name: 'test compares objects structurally',
    doc: { a: { x: 1, y: [2] } },
    patch: [{ op: 'test', path: '/a', value: { y: [2], x: 1 } }],
    want: { a: { x: 1, y: [2] } },
  },
  {
    name: 'test null on an absent member passes (evanphx/kube)',
    doc: { a: 1 },
    patch: [{ op: 'test', path: '/b', value: null }],
    want: { a: 1 },
  },
  {
    name: 'resourceVersion precondition then label',
    doc: { metadata: { resourceVersion: '7', labels: {} } },
    patch: [
      { op: 'test', path: '/metadata/resourceVersion', value: '7' },
      { op: 'add', path: '/metadata/labels/app', value: 'web' },
    ],
    want: { metadata: { resourceVersion: '7', labels: { app: 'web' } } },
  },
  { name: 'empty patch', doc: { a: 1 }, patch: [], want: { a: 1 } },
  {
    name: '__proto__ is an ordinary key',
    doc: {},
    patch: [{ op: 'add', path: '/__proto__', value: 1 }],
    want: JSON.parse('{"__proto__":1}') as JsonObject,
  },
];

const unprocessable: { name: string; doc: JsonValue; patch: JsonValue; detail: RegExp }[] = [
  {
    name: 'A.9 test failure',
    doc: { baz: 'qux' },
    patch: [{ op: 'test', path: '/baz', value: 'bar' }],
    detail: /testing value \/baz failed/,
  },
  {
    name: 'A.12 add to nonexistent target',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }],
    detail: /add operation does not apply: doc is missing path/,
  },
  { name: 'A.13 unknown op', doc: {}, patch: [{ op: 'frob', path: '/a' }], detail: /Unexpected kind: frob/ },
  {
    name: 'A.15 test string vs number',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: '10' }],
    detail: /test failed/,
  },
  {
    name: 'remove missing member',
    doc: { a: 1 },
    patch: [{ op: 'remove', path: '/b' }],
    detail: /Unable to remove nonexistent key: b/,
  },
  {
    name: 'remove missing parent',
    doc: {},
    patch: [{ op: 'remove', path: '/spec/affinity/x' }],
    detail: /remove operation does not apply/,
  },
  {
    name: 'replace missing member',
    doc: { a: {} },
    patch: [{ op: 'replace', path: '/a/b', value: 1 }],
    detail: /doc is missing key/,
  },
  {
    name: 'index past the end',
    doc: { a: [1] },
    patch: [{ op: 'add', path: '/a/2', value: 1 }],
    detail: /invalid index/,
  },
  {
    name: 'leading zero index',
    doc: { a: [1, 2] },
    patch: [{ op: 'replace', path: '/a/01', value: 1 }],
    detail: /invalid index/,
  },
  {
    name: '- only for add',
    doc: { a: [1] },
    patch: [{ op: 'remove', path: '/a/-' }],
    detail: /invalid index/,
  },
  {
    name: 'negative index',
    doc: { a: [1] },
    patch: [{ op: 'remove', path: '/a/-1' }],
    detail: /invalid index/,
  },
  {
    name: 'move into own child',
    doc: { a: { b: {} } },
    patch: [{ op: 'move', from: '/a', path: '/a/b/c' }],
    detail: /prefix/,
  },
  {
    name: 'copy from missing',
    doc: {},
    patch: [{ op: 'copy', from: '/x', path: '/y' }],
    detail: /missing from path/,
  },
  {
    name: 'pointer without slash',
    doc: { a: 1 },
    patch: [{ op: 'remove', path: 'a' }],
    detail: /must be empty or start with/,
  },
  { name: 'bad escape', doc: { a: 1 }, patch: [{ op: 'remove', path: '/~2' }], detail: /escape/ },
  { name: 'missing path', doc: {}, patch: [{ op: 'add', value: 1 }], detail: /failed to decode path/ },
  { name: 'missing value', doc: {}, patch: [{ op: 'add', path: '/a' }], detail: /missing value field/ },
  {
    name: 'failed test after earlier ops',
    doc: { a: 1 },
    patch: [
      { op: 'add', path: '/b', value: 2 },
      { op: 'test', path: '/a', value: 2 },
    ],
    detail: /test failed/,
  },
];

describe('applyJsonPatch', () => {
  for (const c of applies) {
    it(c.name, () => {
      assert.deepEqual(applyJsonPatch(c.doc, c.patch), c.want);
    });
  }

  for (const c of unprocessable) {
    it(`422: ${c.name}`, () => {
      assert.throws(
        () => applyJsonPatch(c.doc, c.patch),
        (err: unknown) => {
          assert.ok(err instanceof StatusError);
          assert.equal(err.code, 422);
          assert.equal(err.reason, 'Invalid');
          assert.equal(err.status.message, GENERIC_UNPROCESSABLE_MESSAGE);
          assert.deepEqual(err.status.details, {});
          assert.ok(err.cause instanceof JsonPatchError);
          assert.match(err.cause.message, c.detail);
          return true;
        },
      );
    });
  }

  const undecodable: { name: string; patch: unknown; message: string }[] = [
    {
      name: 'object body',
      patch: { op: 'add' },
      message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    },
    {
      name: 'string body',
      patch: 'x',
      message: 'json: cannot unmarshal string into Go value of type jsonpatch.Patch',
    },
    {
      name: 'null body',
      patch: null,
      message: 'json: cannot unmarshal null into Go value of type jsonpatch.Patch',
    },
    {
      name: 'non-object operation',
      patch: [1],
      message: 'json: cannot unmarshal number into Go value of type jsonpatch.Operation',
    },
  ];
  for (const c of undecodable) {
    it(`400: ${c.name}`, () => {
      assert.throws(() => applyJsonPatch({}, c.patch), {
        name: 'StatusError',
        message: c.message,
        code: 400,
        reason: 'BadRequest',
      });
    });
  }

  it('413 over 10 000 operations, and accepts exactly 10 000', () => {
    const op = { op: 'test', path: '/a', value: 1 };
    assert.deepEqual(applyJsonPatch({ a: 1 }, Array(MAX_JSON_PATCH_OPERATIONS).fill(op)), { a: 1 });
    assert.throws(() => applyJsonPatch({ a: 1 }, Array(MAX_JSON_PATCH_OPERATIONS + 1).fill(op)), {
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'The allowed maximum operations in a JSON patch is 10000, got 10001',
    });
  });

  it('does not alias the patch value into the result', () => {
    const value = { x: [1] };
    const out = applyJsonPatch({}, [{ op: 'add', path: '/a', value }]) as JsonObject;
    (out['a'] as { x: number[] }).x.push(2);
    assert.deepEqual(value, { x: [1] });
  });
});

// Arbitrary JSON objects with paths to every member they contain.
const jsonLeaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
const jsonDoc = fc
  .dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }))
  .map((d) => JSON.parse(JSON.stringify(d)) as JsonObject); // plain prototypes, as decoded bodies have

function pointers(v: JsonValue, prefix = ''): string[] {
  const out: string[] = [];
  const escape = (k: string) => k.replaceAll('~', '~0').replaceAll('/', '~1');
  if (Array.isArray(v)) v.forEach((x, i) => out.push(`${prefix}/${i}`, ...pointers(x, `${prefix}/${i}`)));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v))
      out.push(`${prefix}/${escape(k)}`, ...pointers(x, `${prefix}/${escape(k)}`));
  return out;
}

describe('applyJsonPatch properties', () => {
  it('a replace on an existing path makes the pointer read the new value, without mutating inputs', () => {
    fc.assert(
      fc.property(
        jsonDoc.filter((d) => pointers(d).length > 0),
        fc.nat(),
        jsonLeaf,
        (doc, pick, value) => {
          const paths = pointers(doc);
          const path = paths[pick % paths.length] as string;
          const before = cloneJson(doc);
          const patch = [{ op: 'replace', path, value }];
          const out = applyJsonPatch(doc, patch);
          assert.deepEqual(readPointer(out, path), value);
          assert.deepEqual(doc, before);
          assert.deepEqual(patch, [{ op: 'replace', path, value }]);
        },
      ),
    );
  });

  it('add then remove of a new member is the identity', () => {
    fc.assert(
      fc.property(jsonDoc, fc.string(), jsonLeaf, (doc, key, value) => {
        fc.pre(!Object.hasOwn(doc, key));
        const path = `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        const out = applyJsonPatch(doc, [
          { op: 'add', path, value },
          { op: 'remove', path },
        ]);
        assert.deepEqual(out, doc);
      }),
    );
  });
});
