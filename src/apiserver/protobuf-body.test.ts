import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { k8sEnvelope, proto } from '../api/protobuf/testing/encoder.js';
import { StatusError } from '../api/status.js';
import { FakeClock } from '../base/fake-clock.js';
import { noopLogger } from '../base/logger.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { ApiServer } from './api-server.js';
import { decodeProtobufBody, protobufRequestAsJson } from './protobuf-body.js';
import type { ApiRequest, ApiResponse } from './request.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

function configMapBytes(name: string): Uint8Array {
  const raw = proto((w) =>
    w
      .message(1, (m) => m.string(1, name).string(2, '').varint(7, 0))
      .message(2, (e) => e.string(1, 'k').string(2, 'v')),
  );
  return k8sEnvelope('v1', 'ConfigMap', raw);
}

function request(method: string, path: string, contentType: string, body: Uint8Array): ApiRequest {
  return {
    method,
    path,
    query: new URLSearchParams(),
    headers: { 'content-type': contentType, accept: `${PROTOBUF},application/json` },
    body,
    signal: new AbortController().signal,
  };
}

function json(res: ApiResponse): Record<string, unknown> {
  assert.equal(typeof res.body, 'string');
  return JSON.parse(res.body as string) as Record<string, unknown>;
}

describe('decodeProtobufBody', () => {
  it('decodes a known kind into JSON with apiVersion and kind', () => {
    assert.deepEqual(decodeProtobufBody(configMapBytes('cfg')), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg' },
      data: { k: 'v' },
    });
  });

  it('answers 415 for kinds without a schema and 400 for malformed bytes', () => {
    const unknownKind = k8sEnvelope('example.com/v1', 'Widget', new Uint8Array());
    assert.throws(
      () => decodeProtobufBody(unknownKind),
      (err: unknown) => err instanceof StatusError && err.code === 415 && /Kind=Widget/.test(err.message),
    );
    assert.throws(
      () => decodeProtobufBody(Uint8Array.of(1, 2, 3)),
      (err: unknown) => err instanceof StatusError && err.code === 400 && err.status.reason === 'BadRequest',
    );
  });
});

describe('protobufRequestAsJson', () => {
  it('rewrites protobuf bodies as JSON and leaves every other request alone', () => {
    const req = request(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      `${PROTOBUF}; charset=binary`,
      configMapBytes('a'),
    );
    const out = protobufRequestAsJson(req);
    assert.equal(out.headers['content-type'], 'application/json');
    assert.deepEqual(
      JSON.parse(Buffer.from(out.body ?? []).toString('utf8')),
      decodeProtobufBody(configMapBytes('a')),
    );
    const jsonReq = request('POST', '/x', 'application/json', Buffer.from('{}'));
    assert.equal(protobufRequestAsJson(jsonReq), jsonReq);
    const empty = request('DELETE', '/x', PROTOBUF, new Uint8Array());
    assert.equal(protobufRequestAsJson(empty), empty);
  });
});

describe('ApiServer with protobuf bodies', () => {
  let server: ApiServer;
  before(async () => {
    server = new ApiServer({ store: new MemoryStore(), clock: new FakeClock(), log: noopLogger });
    await server.start();
  });

  it('creates an object sent as protobuf and serves it as JSON', async () => {
    const res = await server.handle(
      request('POST', '/api/v1/namespaces/default/configmaps', PROTOBUF, configMapBytes('pb')),
    );
    assert.equal(res.status, 201, String(res.body));
    const created = json(res);
    assert.deepEqual(created['data'], { k: 'v' });
    assert.equal((created['metadata'] as { name: string }).name, 'pb');
  });

  it('rejects undecodable protobuf with 400, unknown kinds and CBOR with 415', async () => {
    const bad = await server.handle(
      request('POST', '/api/v1/namespaces/default/configmaps', PROTOBUF, Uint8Array.of(9)),
    );
    assert.equal(bad.status, 400);
    const unknown = await server.handle(
      request(
        'POST',
        '/api/v1/namespaces/default/configmaps',
        PROTOBUF,
        k8sEnvelope('x/v1', 'Widget', new Uint8Array()),
      ),
    );
    assert.equal(unknown.status, 415);
    const cbor = await server.handle(
      request('POST', '/api/v1/namespaces/default/configmaps', 'application/cbor', Uint8Array.of(0xa0)),
    );
    assert.equal(cbor.status, 415);
    const patch = await server.handle(
      request('PATCH', '/api/v1/namespaces/default/configmaps/pb', PROTOBUF, configMapBytes('pb')),
    );
    assert.equal(patch.status, 415);
  });
});
