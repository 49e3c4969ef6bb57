import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { applyMergePatch } from './merge-patch.js';
import { cloneJson } from '../../base/json-clone.js';

// RFC 7386 Appendix A, row by row, plus kube-flavoured cases.
const cases: { name: string; doc: JsonValue; patch: JsonValue; want: JsonValue }[] = [
  { name: 'A1 replace member', doc: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'A2 add member', doc: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
  { name: 'A3 null deletes', doc: { a: 'b' }, patch: { a: null }, want: {} },
  { name: 'A4 delete one of two', doc: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
  { name: 'A5 array replaces', doc: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
  { name: 'A6 scalar replaced by array', doc: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
  {
    name: 'A7 nested merge and delete',
    doc: { a: { b: 'c' } },
    patch: { a: { b: 'd', c: null } },
    want: { a: { b: 'd' } },
  },
  { name: 'A8 array of objects replaces', doc: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
  { name: 'A9 array document', doc: ['a', 'b'], patch: ['c', 'd'], want: ['c', 'd'] },
  { name: 'A10 object replaced by array', doc: { a: 'b' }, patch: ['c'], want: ['c'] },
  { name: 'A11 null document', doc: { a: 'foo' }, patch: null, want: null },
  { name: 'A12 string document', doc: { a: 'foo' }, patch: 'bar', want: 'bar' },
  { name: 'A13 null inside a value is kept', doc: { e: null }, patch: { a: 1 }, want: { e: null, a: 1 } },
  { name: 'A14 patch onto array target', doc: [1, 2], patch: { a: 'b', c: null }, want: { a: 'b' } },
  {
    name: 'A15 nested nulls dropped from new objects',
    doc: {},
    patch: { a: { bb: { ccc: null } } },
    want: { a: { bb: {} } },
  },
  {
    name: 'kubectl label',
    doc: { metadata: { name: 'x', labels: { app: 'web' } } },
    patch: { metadata: { labels: { tier: 'fe', app: null } } },
    want: { metadata: { name: 'x', labels: { tier: 'fe' } } },
  },
  {
    name: 'containers replace wholesale',
    doc: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } },
    patch: { spec: { containers: [{ name: 'a', image: 'y' }] } },
    want: { spec: { containers: [{ name: 'a', image: 'y' }] } },
  },
  { name: 'empty patch', doc: { a: [1] }, patch: {}, want: { a: [1] } },
  {
    name: '__proto__ key',
    doc: {},
    patch: JSON.parse('{"__proto__":{"x":1}}') as JsonObject,
    want: JSON.parse('{"__proto__":{"x":1}}') as JsonObject,
  },
];

describe('applyMergePatch', () => {
  for (const c of cases)
    it(c.name, () => {
      assert.deepEqual(applyMergePatch(c.doc, c.patch), c.want);
    });

  it('treats an undefined document as absent', () => {
    assert.deepEqual(applyMergePatch(undefined, { a: { b: null, c: 1 } }), { a: { c: 1 } });
  });
});

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const jsonObject = fc
  .dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }))
  .map((d) => plain(d) as JsonObject);

describe('applyMergePatch properties', () => {
  it('an empty patch is the identity on objects', () => {
    fc.assert(
      fc.property(jsonObject, (doc) => {
        assert.deepEqual(applyMergePatch(doc, {}), doc);
      }),
    );
  });

  it('never mutates its inputs', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (doc, patch) => {
        const [d, p] = [cloneJson(doc), cloneJson(patch)];
        applyMergePatch(doc, patch);
        assert.deepEqual(doc, d);
        assert.deepEqual(patch, p);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (doc, patch) => {
        const once = applyMergePatch(doc, patch);
        assert.deepEqual(applyMergePatch(once, patch), once);
      }),
    );
  });

  it('patched keys read the patch value (non-object, non-null values)', () => {
    fc.assert(
      fc.property(
        jsonObject,
        fc.string(),
        fc.oneof(fc.string(), fc.integer(), fc.array(fc.integer())),
        (doc, key, value) => {
          const out = applyMergePatch(doc, plain({ [key]: value })) as JsonObject;
          assert.deepEqual(out[key], value);
        },
      ),
    );
  });
});
