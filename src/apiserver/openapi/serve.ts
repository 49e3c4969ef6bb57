/**
 * The `/openapi/v2` and `/openapi/v3` handlers as a pure function from a request to a response,
 * reproducing kube-openapi's caching contract (kube-api.md §4): `?hash=` URLs are immutable,
 * a stale hash redirects to the current one, and `/openapi/v2` answers protobuf clients with an
 * empty body, which decodes as a valid empty document.
 */
import type { OpenAPIV3Build } from './build-v3.js';

/** What the handler needs from an HTTP request. */
export interface OpenAPIRequest {
  /** URL path without the query, e.g. `/openapi/v3/apis/apps/v1`. */
  path: string;
  query: URLSearchParams;
  /** The Accept header, if any. */
  accept?: string;
  /** The If-None-Match header, if any. */
  ifNoneMatch?: string;
  /** Current time, for `Expires` (defaults to now). */
  now?: Date;
}

/** A complete response: status, headers and body. */
export interface OpenAPIResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export const PROTOBUF_V2_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const JSON_TYPE = 'application/json';
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

const EMPTY_SWAGGER = JSON.stringify({
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'unversioned' },
  paths: {},
});

function notFound(): OpenAPIResponse {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  };
  return { status: 404, headers: { 'Content-Type': JSON_TYPE }, body: JSON.stringify(status) };
}

function serveV2(accept: string | undefined): OpenAPIResponse {
  // kubectl asks for `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`; zero bytes is a
  // valid, empty openapi_v2.Document, which is all kubectl 1.27–1.28 needs once v3 is served.
  if (accept !== undefined && accept.includes('protobuf')) {
    return { status: 200, headers: { 'Content-Type': PROTOBUF_V2_CONTENT_TYPE }, body: new Uint8Array(0) };
  }
  return { status: 200, headers: { 'Content-Type': JSON_TYPE }, body: EMPTY_SWAGGER };
}

/**
 * Answers a request for `/openapi/v2`, `/openapi/v3` or `/openapi/v3/<group-version>`; any other
 * path under `/openapi` is a 404 Status. Never throws.
 */
export function serveOpenAPI(request: OpenAPIRequest, docs: OpenAPIV3Build): OpenAPIResponse {
  const path = request.path.replace(/\/+$/, '');
  if (path === '/openapi/v2') return serveV2(request.accept);
  if (path === '/openapi/v3') {
    return {
      status: 200,
      headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-cache, private' },
      body: JSON.stringify(docs.index),
    };
  }
  const prefix = '/openapi/v3/';
  if (!path.startsWith(prefix)) return notFound();
  const key = path.slice(prefix.length);
  const doc = docs.documents.get(key);
  if (!doc) return notFound();

  const etag = `"${doc.hash}"`;
  const wanted = request.query.get('hash');
  if (wanted !== null && wanted !== doc.hash) {
    return {
      status: 301,
      headers: { Location: `${prefix}${key}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private' },
      body: '',
    };
  }
  const headers: Record<string, string> = { 'Content-Type': JSON_TYPE, ETag: etag };
  if (wanted !== null) {
    headers['Cache-Control'] = 'public, immutable';
    headers['Expires'] = new Date((request.now ?? new Date()).getTime() + YEAR_MS).toUTCString();
  } else {
    headers['Cache-Control'] = 'no-cache, private';
  }
  if (request.ifNoneMatch === etag) return { status: 304, headers, body: '' };
  return { status: 200, headers, body: doc.body };
}
