import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cloneJson, jsonCopy } from './json-clone.js';

describe('cloneJson', () => {
  it('copies nested objects and arrays deeply, as structuredClone does', () => {
    const src = { a: 1, b: 'x', c: null, d: true, e: [1, { f: [2, 3] }], g: { h: { i: 'j' } }, u: undefined };
    const out = cloneJson(src);
    // eslint-disable-next-line no-restricted-globals -- the reference behaviour
    assert.deepStrictEqual(out, structuredClone(src));
    assert.ok(Object.hasOwn(out, 'u'), 'a key holding undefined is kept');
    assert.deepEqual(Object.keys(out), Object.keys(src), 'key order kept');
    out.e[1] = { f: [9] };
    out.g.h.i = 'changed';
    assert.deepEqual(src.e[1], { f: [2, 3] });
    assert.equal(src.g.h.i, 'j');
  });

  it('returns primitives as they are', () => {
    for (const v of [0, -1.5, '', 'x', true, false, null, undefined]) assert.equal(cloneJson(v), v);
  });

  it('copies a parsed __proto__ key as an own property, never as the prototype', () => {
    const src = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const out = cloneJson(src);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.ok(Object.hasOwn(out, '__proto__'));
    assert.deepEqual(out['__proto__'], { polluted: true });
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('accepts null-prototype objects', () => {
    const src = Object.assign(Object.create(null) as Record<string, unknown>, { a: [1] });
    assert.deepEqual({ ...cloneJson(src) }, { a: [1] });
  });

  it('refuses what is not JSON data instead of copying it wrongly', () => {
    assert.throws(() => cloneJson({ when: new Date(0) }), TypeError);
    assert.throws(() => cloneJson([new Map()]), TypeError);
  });
});

describe('jsonCopy', () => {
  const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

  it('gives what a JSON round trip gives', () => {
    const date = new Date(0);
    const src = {
      keep: [1, 'a', null, { b: true }],
      gone: undefined,
      fn: () => 1,
      holes: [undefined, () => 2, Symbol('s')],
      bad: [Number.NaN, Number.POSITIVE_INFINITY],
      date,
      nested: { x: undefined, y: { z: 0 } },
    };
    const out = jsonCopy(src);
    assert.deepStrictEqual(out, roundTrip(src));
    assert.ok(!Object.hasOwn(out, 'gone'), 'a member holding undefined is dropped');
    assert.equal((out as unknown as { date: unknown }).date, '1970-01-01T00:00:00.000Z');
    assert.throws(() => jsonCopy({ n: 1n }), TypeError);
  });

  it('matches a round trip for any JSON-like value, and copies deeply', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const out = jsonCopy(v);
        assert.deepStrictEqual(out, roundTrip(v));
        if (typeof v === 'object' && v !== null && Object.keys(v).length > 0) assert.notEqual(out, v);
      }),
      { numRuns: 500 },
    );
  });
});
