import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Channel } from '../base/channel.js';
import { FakeClock } from '../base/fake-clock.js';
import { noopLogger } from '../base/logger.js';
import type { KubeObject } from '../api/meta.js';
import { ApiClient } from './api-client.js';
import { Informer, stripManagedFields } from './informer.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

function obj(name: string, rv: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: rv } };
}

/** A scripted server: each LIST answers the next snapshot, each WATCH the next channel. */
class ScriptedTransport implements Transport {
  readonly requests: string[] = [];
  readonly lists: { rv: string; items: KubeObject[] }[] = [];
  readonly watches: Channel<string>[] = [];

  request(req: TransportRequest): Promise<TransportResponse> {
    const watching = req.query?.get('watch') === 'true';
    this.requests.push(`${watching ? 'watch' : 'list'}@${req.query?.get('resourceVersion') ?? ''}`);
    if (watching) {
      const ch = this.watches.shift();
      if (!ch) return Promise.resolve({ status: 500, headers: {}, body: '' });
      req.signal?.addEventListener('abort', () => ch.close(), { once: true });
      return Promise.resolve({ status: 200, headers: {}, stream: ch });
    }
    const list = this.lists.shift();
    if (!list) return Promise.resolve({ status: 500, headers: {}, body: '' });
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMapList',
      metadata: { resourceVersion: list.rv },
      items: list.items,
    });
    return Promise.resolve({ status: 200, headers: {}, body });
  }
}

/** An informer of ConfigMaps served by `transport`. */
function configMapInformer(transport: Transport): Informer {
  return new Informer({
    client: new ApiClient(transport),
    resource: { apiVersion: 'v1', plural: 'configmaps' },
    clock: new FakeClock(),
    log: noopLogger,
  });
}

function line(type: string, object: unknown): string {
  return `${JSON.stringify({ type, object })}\n`;
}

describe('Informer', () => {
  it('relists after a 410 Expired ERROR event and reports the difference', async () => {
    const transport = new ScriptedTransport();
    transport.lists.push({ rv: '10', items: [obj('a', '5'), obj('b', '6')] });
    transport.lists.push({ rv: '30', items: [obj('a', '25'), obj('c', '28')] });
    const first = new Channel<string>();
    const second = new Channel<string>();
    transport.watches.push(first, second);
    const informer = configMapInformer(transport);
    const events: string[] = [];
    informer.addHandlers({
      onAdd: (o) => events.push(`add:${o.metadata.name}`),
      onUpdate: (_o, n) => events.push(`update:${n.metadata.name}@${n.metadata.resourceVersion}`),
      onDelete: (o) => events.push(`delete:${o.metadata.name}`),
    });
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    assert.ok(await informer.waitForSync(stop.signal));
    first.push(line('MODIFIED', obj('a', '11')));
    // Two lines in one chunk, as a network transport may deliver them.
    first.push(
      line('BOOKMARK', { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '12' } }) +
        line('ERROR', {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          reason: 'Expired',
          code: 410,
        }),
    );
    while (transport.requests.length < 4) await new Promise((r) => setImmediate(r));
    assert.deepEqual(transport.requests, ['list@', 'watch@10', 'list@', 'watch@30']);
    assert.deepEqual(events, ['add:a', 'add:b', 'update:a@11', 'update:a@25', 'add:c', 'delete:b']);
    second.push(line('DELETED', obj('c', '31')));
    second.close();
    transport.watches.push(new Channel<string>());
    while (transport.requests.length < 5) await new Promise((r) => setImmediate(r));
    assert.equal(
      transport.requests[4],
      'watch@31',
      'a cleanly ended watch resumes from the last resourceVersion',
    );
    assert.deepEqual(
      informer.list().map((o) => o.metadata.name),
      ['a'],
    );
    stop.abort();
    await running;
  });

  it('keeps indexes current through list, update and delete, and shares one run between owners', async () => {
    const transport = new ScriptedTransport();
    const labelled = (name: string, rv: string, shard: string): KubeObject => ({
      ...obj(name, rv),
      metadata: { ...obj(name, rv).metadata, labels: { shard } },
    });
    transport.lists.push({ rv: '10', items: [labelled('a', '1', 'x'), labelled('b', '2', 'x')] });
    const watch = new Channel<string>();
    transport.watches.push(watch);
    const informer = configMapInformer(transport);
    const shard = (o: KubeObject): string[] => [o.metadata.labels?.['shard'] ?? ''];
    const names = (value: string): string[] =>
      informer
        .byIndex('shard', value)
        .map((o) => o.metadata.name ?? '')
        .sort();
    const seenInHandler: string[][] = [];
    informer.addHandlers({ onUpdate: () => seenInHandler.push(names('y')) });
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    assert.equal(informer.start(stop.signal), running, 'a second owner shares the first run');
    assert.ok(await informer.waitForSync(stop.signal));
    informer.addIndex('shard', shard);
    assert.deepEqual(names('x'), ['a', 'b']);
    watch.push(line('MODIFIED', labelled('a', '11', 'y')));
    watch.push(line('DELETED', labelled('b', '12', 'x')));
    watch.push(line('ADDED', labelled('c', '13', 'y')));
    while (informer.list().length !== 2 || !informer.get('ns/c')) await new Promise((r) => setImmediate(r));
    assert.deepEqual(names('x'), []);
    assert.deepEqual(names('y'), ['a', 'c']);
    assert.deepEqual(seenInHandler, [['a']], 'handlers see the index already updated');
    assert.throws(() => informer.byIndex('missing', 'x'), /no index missing/);
    stop.abort();
    await running;
  });
});

describe('Informer.list', () => {
  it('answers the same array until the cache changes, then one with the change', async () => {
    const transport = new ScriptedTransport();
    transport.lists.push({ rv: '10', items: [obj('a', '1'), obj('b', '2')] });
    const watch = new Channel<string>();
    transport.watches.push(watch);
    const informer = configMapInformer(transport);
    const inHandler: string[][] = [];
    const versions = (): string[] => informer.list().map((o) => o.metadata.resourceVersion ?? '');
    informer.addHandlers({
      onUpdate: () => inHandler.push(versions()),
      onDelete: () => inHandler.push(versions()),
    });
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    assert.ok(await informer.waitForSync(stop.signal));
    const first = informer.list();
    assert.equal(informer.list(), first);
    watch.push(line('MODIFIED', obj('a', '11')));
    watch.push(line('DELETED', obj('b', '12')));
    while (informer.list().length !== 1) await new Promise((r) => setImmediate(r));
    assert.notEqual(informer.list(), first);
    assert.deepEqual(versions(), ['11']);
    assert.deepEqual(
      first.map((o) => o.metadata.resourceVersion),
      ['1', '2'],
      'an earlier answer is left as it was',
    );
    assert.deepEqual(inHandler, [['11', '2'], ['11']], 'handlers see the cache already changed');
    stop.abort();
    await running;
  });
});

describe('stripManagedFields', () => {
  it('drops managedFields and keeps the rest of the metadata, in order', () => {
    const obj = JSON.parse(
      '{"kind":"X","metadata":{"name":"a","managedFields":[{"manager":"m"}],"labels":{"k":"v"},"resourceVersion":"7"}}',
    ) as KubeObject;
    const kept = stripManagedFields(obj);
    assert.equal(kept, obj, 'the same object, its metadata replaced');
    assert.deepEqual(Object.keys(obj.metadata), ['name', 'labels', 'resourceVersion']);
    assert.deepEqual(obj.metadata.labels, { k: 'v' });
  });

  it('leaves metadata without managedFields as it is', () => {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a' } };
    const metadata = obj.metadata;
    stripManagedFields(obj);
    assert.equal(obj.metadata, metadata);
  });
});
