import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/base/fake-clock.js';
import { noopLogger } from '../../src/base/logger.js';
import type { KubeObject } from '../../src/api/meta.js';
import { ApiServer } from '../../src/apiserver/api-server.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { ApiClient } from '../../src/client/api-client.js';
import { localTransport } from '../../src/client/local-transport.js';

const CONFIGMAPS = { apiVersion: 'v1', plural: 'configmaps', namespace: 'default' };

async function server(): Promise<ApiServer> {
  const s = new ApiServer({ store: new MemoryStore(), clock: new FakeClock(), log: noopLogger });
  await s.start();
  return s;
}

function managers(obj: KubeObject): string[] {
  return (obj.metadata.managedFields ?? []).map((e) => e.manager ?? '');
}

describe('field managers of in-process writes', () => {
  it('are the user agent’s product name: the hub’s controllers, a simulated cluster’s kube names', async () => {
    const s = await server();
    const hub = new ApiClient(localTransport(s));
    const sim = new ApiClient(
      localTransport(s, 'system:kube-controller-manager', 'kube-controller-manager/v1.31.4 (linux/amd64)'),
    );
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } };
    await hub.create(CONFIGMAPS, cm);
    const patched = await sim.patch(CONFIGMAPS, 'a', {
      body: { data: { y: '2' } },
      options: { type: 'merge' },
    });
    assert.deepEqual(managers(patched), ['flotilla-controller-manager', 'kube-controller-manager']);
  });

  it('yield to a fieldManager the request names', async () => {
    const s = await server();
    const client = new ApiClient(localTransport(s));
    const created = await client.create(
      CONFIGMAPS,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { x: '1' } },
      { fieldManager: 'someone' },
    );
    assert.deepEqual(managers(created), ['someone']);
  });
});
