import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StringInterner } from './intern.js';
import { cloneJson } from './json-clone.js';

describe('StringInterner', () => {
  it('interns every short string value of JSON data in place and changes no value', () => {
    const interner = new StringInterner();
    const parsed = JSON.parse(
      '{"kind":"Work","metadata":{"name":"web","labels":{"app":"web"}},' +
        '"spec":{"items":["web",["a",{"reason":"Ready"}],3,true,null]},"status":{"reason":"Ready"}}',
    ) as Record<string, unknown>;
    const before = cloneJson(parsed);
    assert.equal(interner.internDeep(parsed), parsed);
    assert.deepEqual(parsed, before);
    // Distinct values: Work, web, a, Ready.
    assert.equal(interner.size, 4);
  });

  it('keeps one entry for equal strings built separately', () => {
    const interner = new StringInterner();
    assert.equal(interner.intern(['x', 'y'].join('')), 'xy');
    assert.equal(interner.intern(['x', 'y'].join('')), 'xy');
    assert.equal(interner.size, 1);
  });

  it('leaves long strings out of the table', () => {
    const interner = new StringInterner();
    const long = 'm'.repeat(65);
    assert.equal(interner.intern(long), long);
    assert.equal(interner.internDeep({ message: long }).message, long);
    assert.equal(interner.size, 0);
  });

  it('starts again empty when full, so unique values cannot grow it without limit', () => {
    const interner = new StringInterner(3);
    for (const s of ['a', 'b', 'c']) interner.intern(s);
    assert.equal(interner.size, 3);
    assert.equal(interner.intern('d'), 'd');
    assert.equal(interner.size, 1);
    for (let i = 0; i < 100; i++) interner.intern(`uid-${i}`);
    assert.ok(interner.size <= 3);
  });
});
