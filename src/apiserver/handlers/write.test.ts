import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../base/fake-clock.js';
import { noopLogger } from '../../base/logger.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import type { TxnResult } from '../../storage/store.js';
import { ApiServer } from '../api-server.js';
import { call } from '../testing/call.js';

const CMS = '/api/v1/namespaces/default/configmaps';

/** A store where another writer gets in first once, between an update's read and its write. */
class RacingStore extends MemoryStore {
  rival: ((value: string) => string) | undefined;

  override async update(key: string, value: string, expectedRevision: number): Promise<TxnResult> {
    const rival = this.rival;
    this.rival = undefined;
    if (rival) {
      const current = await this.get(key);
      assert.ok(current);
      assert.equal((await super.update(key, rival(current.value), expectedRevision)).succeeded, true);
    }
    return super.update(key, value, expectedRevision);
  }
}

async function setUp(): Promise<{ server: ApiServer; store: RacingStore }> {
  const store = new RacingStore();
  const server = new ApiServer({ store, clock: new FakeClock(), log: noopLogger });
  await server.start();
  await call(server, 'POST', CMS, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } } });
  return { server, store };
}

/** The rival adds data key `rival`. */
const addRival = (value: string): string => {
  const obj = JSON.parse(value) as { data?: Record<string, string> };
  obj.data = { ...obj.data, rival: 'yes' };
  return JSON.stringify(obj);
};

describe('guaranteedUpdate after a lost race', () => {
  it('applies a patch again to the new object when the patch names no resourceVersion', async () => {
    const { server, store } = await setUp();
    store.rival = addRival;
    const patched = await call(server, 'PATCH', `${CMS}/a`, {
      body: { data: { mine: 'yes' } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.json['data'], { rival: 'yes', mine: 'yes' });
  });

  it('answers 409 when the client named the resourceVersion it read', async () => {
    const { server, store } = await setUp();
    const read = await call(server, 'GET', `${CMS}/a`);
    const rv = read.json.metadata?.['resourceVersion'] as string;
    store.rival = addRival;
    const put = await call(server, 'PUT', `${CMS}/a`, {
      body: { ...read.json, data: { mine: 'yes' } },
    });
    assert.equal(put.status, 409);
    store.rival = addRival;
    const patch = await call(server, 'PATCH', `${CMS}/a`, {
      body: { metadata: { resourceVersion: rv }, data: { mine: 'yes' } },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(patch.status, 409);
    const stored = await call(server, 'GET', `${CMS}/a`);
    assert.deepEqual(stored.json['data'], { rival: 'yes' }, 'only the rivals wrote');
  });
});
