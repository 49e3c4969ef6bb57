/**
 * @kubernetes/client-node against the real hub binary: typed CRUD, an informer that sees add,
 * update and delete, and a watch resumed from an old resourceVersion that replays history in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { eventually, startHubProcess } from './harness.js';
import type { Hub } from './harness.js';

// client-node's models are classes; build instances rather than object literals.
function meta(name: string): k8s.V1ObjectMeta {
  const m = new k8s.V1ObjectMeta();
  m.name = name;
  return m;
}

function cm(name: string, data: Record<string, string>): k8s.V1ConfigMap {
  const c = new k8s.V1ConfigMap();
  c.metadata = meta(name);
  c.data = data;
  return c;
}

describe('@kubernetes/client-node', () => {
  let hub: Hub;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  before(async () => {
    hub = await startHubProcess();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(hub.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => {
    const died = hub?.exitStatus();
    await hub?.stop();
    assert.equal(died, undefined, `the hub exited during the tests (${died ?? ''}):\n${hub?.logs() ?? ''}`);
  });

  const createNamespace = async (name: string): Promise<void> => {
    const body = new k8s.V1Namespace();
    body.metadata = meta(name);
    await core.createNamespace({ body });
  };

  it('CRUD through the typed API, NotFound as an ApiException with code 404', async () => {
    const namespace = 'cn-crud';
    await createNamespace(namespace);
    const created = await core.createNamespacedConfigMap({ namespace, body: cm('one', { a: '1' }) });
    assert.ok(created.metadata?.uid);
    const read = await core.readNamespacedConfigMap({ namespace, name: 'one' });
    assert.deepEqual(read.data, { a: '1' });
    const list = await core.listNamespacedConfigMap({ namespace });
    assert.deepEqual(
      list.items.map((i) => i.metadata?.name),
      ['one'],
    );
    assert.ok(list.metadata?.resourceVersion);
    await core.deleteNamespacedConfigMap({ namespace, name: 'one' });
    await assert.rejects(
      core.readNamespacedConfigMap({ namespace, name: 'one' }),
      (err: unknown) => err instanceof k8s.ApiException && err.code === 404,
    );
  });

  it('an informer sees add, update and delete', async () => {
    const namespace = 'cn-informer';
    await createNamespace(namespace);
    await core.createNamespacedConfigMap({ namespace, body: cm('before', { a: '0' }) });
    const informer = k8s.makeInformer<k8s.V1ConfigMap>(kc, `/api/v1/namespaces/${namespace}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace }),
    );
    const events: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (o) => events.push(`add ${o.metadata?.name} ${JSON.stringify(o.data)}`));
    informer.on('update', (o) => events.push(`update ${o.metadata?.name} ${JSON.stringify(o.data)}`));
    informer.on('delete', (o) => events.push(`delete ${o.metadata?.name}`));
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    try {
      await eventually(() => events.includes('add before {"a":"0"}'), {
        what: `initial add; events=${events.join(', ')}`,
      });
      await core.createNamespacedConfigMap({ namespace, body: cm('x', { a: '1' }) });
      await eventually(() => events.includes('add x {"a":"1"}'), {
        what: `add x; events=${events.join(', ')}`,
      });
      await core.replaceNamespacedConfigMap({ namespace, name: 'x', body: cm('x', { a: '2' }) });
      await eventually(() => events.includes('update x {"a":"2"}'), {
        what: `update x; events=${events.join(', ')}`,
      });
      assert.deepEqual(informer.get('x', namespace)?.data, { a: '2' });
      await core.deleteNamespacedConfigMap({ namespace, name: 'x' });
      await eventually(() => events.includes('delete x'), { what: `delete x; events=${events.join(', ')}` });
      assert.deepEqual(
        informer.list(namespace).map((o) => o.metadata?.name),
        ['before'],
      );
      assert.deepEqual(errors, []);
    } finally {
      await informer.stop();
    }
  });

  it('a watch from resourceVersion=1 replays every change in order, then continues live', async () => {
    const namespace = 'cn-watch';
    await createNamespace(namespace);
    await core.createNamespacedConfigMap({ namespace, body: cm('a', { v: '1' }) });
    await core.createNamespacedConfigMap({ namespace, body: cm('b', { v: '1' }) });
    // Many unrelated writes elsewhere, so resourceVersion 1 is far behind the current one.
    await createNamespace('cn-noise');
    for (let i = 0; i < 30; i++)
      await core.createNamespacedConfigMap({ namespace: 'cn-noise', body: cm(`n${i}`, { i: String(i) }) });
    await core.replaceNamespacedConfigMap({ namespace, name: 'a', body: cm('a', { v: '2' }) });
    await core.deleteNamespacedConfigMap({ namespace, name: 'b' });

    const seen: string[] = [];
    let ended: unknown = 'open';
    const controller = await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { resourceVersion: '1' },
      (phase: string, obj: k8s.V1ConfigMap) => {
        seen.push(`${phase} ${obj.metadata?.name ?? ''} ${obj.data?.['v'] ?? ''}`);
      },
      (err: unknown) => {
        ended = err ?? 'closed';
      },
    );
    try {
      const history = ['ADDED a 1', 'ADDED b 1', 'MODIFIED a 2', 'DELETED b 1'];
      await eventually(() => seen.length >= history.length, {
        what: `history replay; seen=${seen.join(', ')} ended=${String(ended)}`,
      });
      assert.deepEqual(seen.slice(0, history.length), history);
      await core.createNamespacedConfigMap({ namespace, body: cm('c', { v: '3' }) });
      await eventually(() => seen.includes('ADDED c 3'), { what: `live event; seen=${seen.join(', ')}` });
      assert.deepEqual(seen, [...history, 'ADDED c 3']);
      assert.equal(ended, 'open');
    } finally {
      controller.abort();
    }
  });
});

describe('@kubernetes/client-node against a hub with a short history', () => {
  let hub: Hub;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  before(async () => {
    // Watches end after 2-4 s and history older than 1 s is compacted every second, so an
    // informer that re-watches from its last resourceVersion meets a 410 and must relist.
    hub = await startHubProcess({
      args: [
        '--min-request-timeout',
        '2',
        '--history-retention',
        '1',
        '--compaction-interval',
        '1',
        '--history-min-revisions',
        '0',
      ],
    });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(hub.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => {
    const died = hub?.exitStatus();
    await hub?.stop();
    assert.equal(died, undefined, `the hub exited during the tests (${died ?? ''}):\n${hub?.logs() ?? ''}`);
  });

  it('an informer recovers after its resourceVersion is compacted (410) by relisting', async () => {
    const namespace = 'cn-expired';
    const other = 'cn-busy';
    for (const name of [namespace, other]) {
      const body = new k8s.V1Namespace();
      body.metadata = meta(name);
      await core.createNamespace({ body });
    }
    let lists = 0;
    const informer = k8s.makeInformer<k8s.V1ConfigMap>(
      kc,
      `/api/v1/namespaces/${namespace}/configmaps`,
      () => {
        lists++;
        return core.listNamespacedConfigMap({ namespace });
      },
    );
    const added: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (o) => added.push(o.metadata?.name ?? ''));
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace, body: cm('first', { a: '1' }) });
      await eventually(() => added.includes('first'), { what: 'first add' });
      // Move history on elsewhere until the informer has had to relist after a 410.
      let i = 0;
      await eventually(
        async () => {
          await core.createNamespacedConfigMap({ namespace: other, body: cm(`busy-${i++}`, { a: '1' }) });
          return lists >= 2;
        },
        { timeoutMs: 30_000, what: `a relist after 410 (lists=${lists})` },
      );
      await core.createNamespacedConfigMap({ namespace, body: cm('second', { a: '2' }) });
      await eventually(() => added.includes('second'), {
        what: `add after relist; added=${added.join(',')}`,
      });
      assert.deepEqual(
        informer
          .list(namespace)
          .map((o) => o.metadata?.name)
          .sort(),
        ['first', 'second'],
      );
      assert.deepEqual(errors, []);
    } finally {
      await informer.stop();
    }
  });
});
