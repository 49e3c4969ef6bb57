import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageCountCache } from './page-count-cache.js';

describe('PageCountCache', () => {
  it('answers for the key right after the last served key, at the same prefix and revision', () => {
    const c = new PageCountCache();
    c.remember('/p/', 7, { lastKey: '/p/b', remaining: 3 });
    assert.equal(c.get('/p/', 8, '/p/b\u0000'), undefined);
    assert.equal(c.get('/q/', 7, '/p/b\u0000'), undefined);
    assert.equal(c.get('/p/', 7, '/p/b'), undefined);
    assert.equal(c.get('/p/', 7, '/p/b\u0000'), 3);
    assert.equal(c.get('/p/', 7, '/p/b\u0000'), undefined, 'an entry is used once');
  });

  it('evicts the oldest entry beyond its capacity', () => {
    const c = new PageCountCache(2);
    for (const k of ['a', 'b', 'c']) c.remember('/', 1, { lastKey: k, remaining: 1 });
    assert.equal(c.get('/', 1, 'a\u0000'), undefined);
    assert.equal(c.get('/', 1, 'b\u0000'), 1);
    assert.equal(c.get('/', 1, 'c\u0000'), 1);
  });
});
