import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noopLogger } from '../../src/base/logger.js';
import type { KubeObject } from '../../src/api/meta.js';
import { isConflict, isNotFound } from '../../src/api/status.js';
import { discoverResources, resourceForKind } from '../../src/client/discovery.js';
import { Informer } from '../../src/client/informer.js';
import { eventually, newEnv } from './harness.js';

const CM = { apiVersion: 'v1', plural: 'configmaps', namespace: 'default' };

function cm(name: string, data: Record<string, string> = { a: '1' }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

describe('ApiClient over the in-process transport', () => {
  it('does CRUD and decodes failures into StatusError', async (t) => {
    const { client } = await newEnv(t);
    const created = await client.create(CM, cm('one'));
    assert.equal(created.metadata.name, 'one');
    const got = await client.get(CM, 'one');
    assert.equal(got.metadata.uid, created.metadata.uid);
    await assert.rejects(client.get(CM, 'missing'), (err) => isNotFound(err));
    await assert.rejects(
      client.create(CM, cm('one')),
      (err: { reason?: string }) => err.reason === 'AlreadyExists',
    );
    const updated = await client.update(CM, { ...got, data: { a: '2' } });
    await assert.rejects(client.update(CM, { ...got, data: { a: '3' } }), (err) => isConflict(err));
    const patched = await client.patch(CM, 'one', { body: { data: { b: 'x' } }, options: { type: 'merge' } });
    assert.deepEqual(patched['data'], { a: '2', b: 'x' });
    assert.notEqual(updated.metadata.resourceVersion, patched.metadata.resourceVersion);
    const applied = await client.patch(CM, 'applied', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { k: 'v' } },
      options: { type: 'apply', fieldManager: 'test', force: true },
    });
    assert.equal(applied.metadata.name, 'applied');
    const list = await client.list(CM, { fieldSelector: 'metadata.name=one' });
    assert.deepEqual(
      list.items.map((i) => i.metadata.name),
      ['one'],
    );
    await client.delete(CM, 'one');
    await assert.rejects(client.get(CM, 'one'), (err) => isNotFound(err));
    const removed = await client.deleteCollection(CM);
    assert.deepEqual(
      removed.items.map((i) => i.metadata.name),
      ['applied'],
    );
  });

  it('discovers served resources with verbs and scope', async (t) => {
    const { client } = await newEnv(t);
    const { resources, failed } = await discoverResources(client);
    assert.deepEqual(failed, []);
    const deploy = resourceForKind(resources, 'apps/v1', 'Deployment');
    assert.equal(deploy?.plural, 'deployments');
    assert.equal(deploy?.namespaced, true);
    assert.ok(deploy?.verbs.includes('deletecollection'));
    assert.equal(resourceForKind(resources, 'v1', 'Namespace')?.namespaced, false);
    assert.ok(!resources.some((r) => r.plural.includes('/')), 'subresources are left out');
  });
});

describe('Informer', () => {
  it('lists, then follows adds, updates and deletes from the list resourceVersion', async (t) => {
    const { client, clock } = await newEnv(t);
    const stop = new AbortController();
    const signal = stop.signal;
    await client.create(CM, cm('before'));
    const informer = new Informer({ client, resource: CM, clock, log: noopLogger, pageSize: 1 });
    const seen: string[] = [];
    informer.addHandlers({
      onAdd: (o) => seen.push(`add:${o.metadata.name}`),
      onUpdate: (_old, o) => seen.push(`update:${o.metadata.name}`),
      onDelete: (o) => seen.push(`delete:${o.metadata.name}`),
    });
    await client.create(CM, cm('before-2'));
    const running = informer.start(signal);
    assert.ok(await informer.waitForSync(signal));
    assert.ok(informer.hasSynced);
    assert.deepEqual(
      informer
        .list()
        .map((o) => o.metadata.name)
        .sort(),
      ['before', 'before-2'],
    );
    const live = await client.get(CM, 'before');
    await client.update(CM, { ...live, data: { a: 'changed' } });
    await client.create(CM, cm('after'));
    await client.delete(CM, 'before-2');
    await eventually(() => seen.length === 5, { what: 'five events' });
    assert.deepEqual(seen, ['add:before', 'add:before-2', 'update:before', 'add:after', 'delete:before-2']);
    assert.deepEqual(informer.get('default/before')?.['data'], { a: 'changed' });
    assert.equal(informer.get('default/before-2'), undefined);
    const late: string[] = [];
    informer.addHandlers({ onAdd: (o) => late.push(o.metadata.name ?? '') });
    assert.deepEqual(late.sort(), ['after', 'before'], 'late handlers get the cache replayed');
    stop.abort();
    await running;
  });
});
