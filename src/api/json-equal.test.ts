import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalKey, jsonEqual } from './json-equal.js';
import type { JsonValue } from './meta.js';

/** The same value with every object's keys in reverse order. */
function reordered(v: JsonValue): JsonValue {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(reordered);
  return Object.fromEntries(
    Object.keys(v)
      .reverse()
      .map((k) => [k, reordered(v[k] as JsonValue)]),
  );
}

describe('jsonEqual', () => {
  const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<JsonValue>;

  it('agrees with comparing canonical keys, whatever the key order', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        assert.equal(jsonEqual(a, b), canonicalKey(a) === canonicalKey(b));
        assert.equal(jsonEqual(a, reordered(a)), true);
        assert.equal(jsonEqual(reordered(b), b), true);
      }),
      { numRuns: 2000 },
    );
  });

  it('tells apart values one member or element away', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json, { minKeys: 1, maxKeys: 5 }), fc.string(), (o, k) => {
        const extra = { ...o, [k]: Object.hasOwn(o, k) ? [o[k] ?? null] : 1 };
        assert.equal(jsonEqual(o, extra), false);
        assert.equal(jsonEqual(extra, o), false);
        assert.equal(jsonEqual([o], [o, o]), false);
      }),
    );
  });

  it('counts a member holding undefined as absent, and an own __proto__ as a member', () => {
    const loose = { a: 1, b: undefined } as unknown as JsonValue;
    assert.equal(jsonEqual(loose, { a: 1 }), true);
    assert.equal(jsonEqual({ a: 1 }, loose), true);
    assert.equal(
      jsonEqual({ a: undefined } as unknown as JsonValue, { b: undefined } as unknown as JsonValue),
      true,
    );
    const proto = JSON.parse('{"__proto__":{"x":1}}') as JsonValue;
    assert.equal(jsonEqual(proto, {}), false);
    assert.equal(jsonEqual(proto, JSON.parse('{"__proto__":{"x":1}}') as JsonValue), true);
    assert.equal(jsonEqual([], {}), false);
    assert.equal(jsonEqual(null, {}), false);
  });
});
