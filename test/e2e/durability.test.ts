/**
 * Durability of the SQLite store: 50 ConfigMaps written over HTTPS survive a SIGKILL of the hub, keep
 * their resourceVersions, and a write after the restart gets a higher resourceVersion. Both kubectl
 * versions read the surviving objects back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configMap, namespace } from './fixtures.js';
import { hubRequest, KUBECTL_VERSIONS, Kubectl, readCredentials, startHubProcess } from './harness.js';
import type { Hub, HubCredentials } from './harness.js';

interface ConfigMap {
  metadata: { name: string; uid: string; resourceVersion: string };
  data?: Record<string, string>;
}

const NS = 'durable';
const COUNT = 50;

async function listConfigMaps(
  creds: HubCredentials,
): Promise<{ items: ConfigMap[]; resourceVersion: string }> {
  const r = await hubRequest(creds, { method: 'GET', path: `/api/v1/namespaces/${NS}/configmaps` });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const body = r.body as { items: ConfigMap[]; metadata: { resourceVersion: string } };
  return { items: body.items, resourceVersion: body.metadata.resourceVersion };
}

describe('durability (sqlite)', () => {
  let hub: Hub;
  const before50 = new Map<string, ConfigMap>();
  let maxRv = 0n;

  before(async () => {
    hub = await startHubProcess({ storage: 'sqlite' });
  });
  after(async () => {
    const died = hub?.exitStatus();
    await hub?.stop();
    assert.equal(died, undefined, `the hub exited during the tests (${died ?? ''}):\n${hub?.logs() ?? ''}`);
  });

  it(`writes ${COUNT} ConfigMaps over HTTPS`, async () => {
    const creds = readCredentials(hub.kubeconfig);
    const ns = await hubRequest(creds, { method: 'POST', path: '/api/v1/namespaces', body: namespace(NS) });
    assert.equal(ns.status, 201, JSON.stringify(ns.body));
    for (let i = 0; i < COUNT; i++) {
      const r = await hubRequest(creds, {
        method: 'POST',
        path: `/api/v1/namespaces/${NS}/configmaps`,
        body: configMap(NS, `cm-${i}`, { data: { i: String(i) } }),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const obj = r.body as ConfigMap;
      before50.set(obj.metadata.name, obj);
      const rv = BigInt(obj.metadata.resourceVersion);
      assert.ok(rv > maxRv, `resourceVersion ${rv} not above ${maxRv}`);
      maxRv = rv;
    }
    assert.equal((await listConfigMaps(creds)).items.length, COUNT);
  });

  it('survives SIGKILL and a restart on the same data directory', async () => {
    await hub.stop('SIGKILL');
    assert.equal(hub.proc.signalCode, 'SIGKILL');
    hub = await startHubProcess({ dir: hub.dir, storage: 'sqlite' });
    const creds = readCredentials(hub.kubeconfig);
    const { items, resourceVersion } = await listConfigMaps(creds);
    assert.equal(items.length, COUNT);
    for (const item of items) {
      const old = before50.get(item.metadata.name);
      assert.ok(old, `unexpected ${item.metadata.name}`);
      assert.equal(item.metadata.resourceVersion, old.metadata.resourceVersion, item.metadata.name);
      assert.equal(item.metadata.uid, old.metadata.uid, item.metadata.name);
      assert.deepEqual(item.data, old.data);
    }
    assert.ok(BigInt(resourceVersion) >= maxRv, `list resourceVersion ${resourceVersion} below ${maxRv}`);

    const r = await hubRequest(creds, {
      method: 'POST',
      path: `/api/v1/namespaces/${NS}/configmaps`,
      body: configMap(NS, 'after-restart', { data: { a: '1' } }),
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const rv = BigInt((r.body as ConfigMap).metadata.resourceVersion);
    assert.ok(rv > maxRv, `new resourceVersion ${rv} not above ${maxRv} from before the restart`);

    const update = await hubRequest(creds, {
      method: 'PUT',
      path: `/api/v1/namespaces/${NS}/configmaps/cm-0`,
      body: {
        ...configMap(NS, 'cm-0', { data: { i: 'changed' } }),
        metadata: {
          name: 'cm-0',
          namespace: NS,
          resourceVersion: before50.get('cm-0')?.metadata.resourceVersion,
        },
      },
    });
    assert.equal(update.status, 200, JSON.stringify(update.body));
    assert.ok(BigInt((update.body as ConfigMap).metadata.resourceVersion) > rv);
  });

  for (const version of KUBECTL_VERSIONS) {
    it(`kubectl ${version} reads the surviving objects`, async () => {
      const k = new Kubectl(version, hub.kubeconfig);
      try {
        const names = (await k.ok(['get', 'cm', '-n', NS, '-o', 'name'])).trim().split('\n');
        assert.equal(names.length, COUNT + 1);
        assert.ok(names.includes('configmap/cm-49'));
        assert.equal(await k.ok(['get', 'cm', 'cm-0', '-n', NS, '-o', 'jsonpath={.data.i}']), 'changed');
      } finally {
        k.cleanup();
      }
    });
  }
});
