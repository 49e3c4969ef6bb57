import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatestCache } from './latest-cache.js';

const kv = (key: string, rev: number) => ({ key, value: `v${rev}`, createRevision: 1, modRevision: rev });

describe('LatestCache', () => {
  it('tells a cached value, a cached absence and a miss apart', () => {
    const c = new LatestCache(4);
    c.set('/a', kv('/a', 1));
    c.set('/b', undefined);
    assert.deepEqual(c.get('/a'), kv('/a', 1));
    assert.equal(c.get('/b'), undefined);
    assert.equal(c.get('/c'), 'miss');
  });

  it('drops the least recently stored key past its capacity', () => {
    const c = new LatestCache(2);
    c.set('/a', kv('/a', 1));
    c.set('/b', kv('/b', 2));
    c.set('/a', kv('/a', 3)); // /a is now the most recent
    c.set('/c', kv('/c', 4));
    assert.equal(c.get('/b'), 'miss');
    assert.deepEqual(c.get('/a'), kv('/a', 3));
    assert.equal(c.size, 2);
  });

  it('holds nothing at capacity 0', () => {
    const c = new LatestCache(0);
    c.set('/a', kv('/a', 1));
    assert.equal(c.get('/a'), 'miss');
  });
});
