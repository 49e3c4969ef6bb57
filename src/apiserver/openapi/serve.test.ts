import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinOpenAPISchemas } from '../../api/builtin-schemas/builtin-openapi-schemas.js';
import { builtinResources } from '../../api/builtin-resources.js';
import { buildOpenAPIV3 } from './build-v3.js';
import type { OpenAPIRequest } from './serve.js';
import { PROTOBUF_V2_CONTENT_TYPE, serveOpenAPI } from './serve.js';

const docs = buildOpenAPIV3(
  builtinResources().filter((r) => r.group === 'apps' || r.kind === 'Namespace'),
  builtinOpenAPISchemas().schemas,
);
const appsHash = docs.documents.get('apis/apps/v1')?.hash ?? '';
const now = new Date('2025-01-01T00:00:00Z');

function req(path: string, query = '', extra: Partial<OpenAPIRequest> = {}): OpenAPIRequest {
  return { path, query: new URLSearchParams(query), now, ...extra };
}

describe('serveOpenAPI', () => {
  it('serves the v3 index', () => {
    for (const path of ['/openapi/v3', '/openapi/v3/']) {
      const res = serveOpenAPI(req(path), docs);
      assert.equal(res.status, 200);
      assert.equal(res.headers['Content-Type'], 'application/json');
      const index = JSON.parse(String(res.body)) as { paths: Record<string, { serverRelativeURL: string }> };
      assert.deepEqual(Object.keys(index.paths).sort(), ['api/v1', 'apis/apps/v1']);
      assert.equal(
        index.paths['apis/apps/v1']?.serverRelativeURL,
        `/openapi/v3/apis/apps/v1?hash=${appsHash}`,
      );
    }
  });

  it('serves a document as immutable when the hash matches', () => {
    const res = serveOpenAPI(req('/openapi/v3/apis/apps/v1', `hash=${appsHash}`), docs);
    assert.equal(res.status, 200);
    assert.equal(res.headers['Cache-Control'], 'public, immutable');
    assert.equal(res.headers['Expires'], 'Thu, 01 Jan 2026 00:00:00 GMT');
    assert.equal(res.headers['ETag'], `"${appsHash}"`);
    assert.equal(res.body, docs.documents.get('apis/apps/v1')?.body);
    assert.equal((JSON.parse(res.body) as { openapi: string }).openapi, '3.0.0');
  });

  it('serves a document without a hash as non-cacheable, and 304 on a matching ETag', () => {
    const res = serveOpenAPI(req('/openapi/v3/apis/apps/v1'), docs);
    assert.equal(res.status, 200);
    assert.equal(res.headers['Cache-Control'], 'no-cache, private');
    const cached = serveOpenAPI(req('/openapi/v3/apis/apps/v1', '', { ifNoneMatch: `"${appsHash}"` }), docs);
    assert.equal(cached.status, 304);
    assert.equal(cached.body, '');
  });

  it('redirects a stale hash to the current one', () => {
    const res = serveOpenAPI(req('/openapi/v3/apis/apps/v1', 'hash=DEADBEEF'), docs);
    assert.equal(res.status, 301);
    assert.equal(res.headers['Location'], `/openapi/v3/apis/apps/v1?hash=${appsHash}`);
  });

  it('answers 404 Status for unknown group-versions and paths', () => {
    const table = [
      '/openapi/v3/apis/example.com/v1',
      '/openapi/v3/apis/apps/v2',
      '/openapi/v4',
      '/openapi/v3/api',
    ];
    for (const path of table) {
      const res = serveOpenAPI(req(path), docs);
      assert.equal(res.status, 404, path);
      assert.equal((JSON.parse(String(res.body)) as { reason: string }).reason, 'NotFound', path);
    }
  });

  it('serves /openapi/v2 as an empty protobuf document or an empty swagger', () => {
    const proto = serveOpenAPI(
      req('/openapi/v2', '', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' }),
      docs,
    );
    assert.equal(proto.status, 200);
    assert.equal(proto.headers['Content-Type'], PROTOBUF_V2_CONTENT_TYPE);
    assert.ok(proto.body instanceof Uint8Array);
    assert.equal(proto.body.length, 0);
    for (const accept of [undefined, 'application/json']) {
      const json = serveOpenAPI(req('/openapi/v2', '', accept === undefined ? {} : { accept }), docs);
      assert.equal(json.status, 200);
      assert.equal(json.headers['Content-Type'], 'application/json');
      const body = JSON.parse(String(json.body)) as { swagger: string; paths: object };
      assert.equal(body.swagger, '2.0');
      assert.deepEqual(body.paths, {});
    }
  });
});
