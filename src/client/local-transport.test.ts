import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/meta.js';
import { ApiClient } from './api-client.js';
import type { LocalRequest, LocalServer } from './local-transport.js';
import { localTransport } from './local-transport.js';

/** Answers every request with its own body as `value`, after changing what it was given. */
class EchoServer implements LocalServer {
  readonly seen: LocalRequest[] = [];

  handle(req: LocalRequest): ReturnType<LocalServer['handle']> {
    this.seen.push(req);
    const obj = req.bodyJson as KubeObject;
    obj.metadata.uid = 'set-by-server';
    return Promise.resolve({
      status: 201,
      headers: { 'content-type': 'application/json' },
      value: obj,
      get body(): string {
        return JSON.stringify(obj);
      },
    });
  }
}

describe('localTransport', () => {
  it('hands a write over as the value an HTTP client would send, leaving the caller’s object alone', async () => {
    const server = new EchoServer();
    const client = new ApiClient(localTransport(server));
    const mine = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', labels: undefined },
      data: { k: 'v' },
    } as unknown as KubeObject;
    const created = await client.create({ apiVersion: 'v1', plural: 'configmaps', namespace: 'ns' }, mine);

    const sent = server.seen[0];
    assert.equal(sent?.body, undefined, 'no text is encoded');
    assert.ok(!Object.hasOwn((sent?.bodyJson as KubeObject).metadata, 'labels'), 'undefined members dropped');
    assert.equal(mine.metadata.uid, undefined, 'the server changed its own copy');
    assert.equal(created.metadata.uid, 'set-by-server');
    assert.equal(created, sent?.bodyJson, 'the response value is taken as is, not re-parsed');
  });

  it('still offers the response text to whoever reads it', async () => {
    const transport = localTransport(new EchoServer());
    const res = await transport.request({
      method: 'POST',
      path: '/api/v1/namespaces/ns/configmaps',
      json: { metadata: { name: 'b' } },
    });
    assert.deepEqual(JSON.parse(res.body ?? ''), res.json);
  });
});
