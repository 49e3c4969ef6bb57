/**
 * Response encoding: JSON objects, or `meta.k8s.io/v1 Table`s when the client's Accept asks for
 * them (kubectl's human-readable `get`), and Status errors.
 */
import type { KubeList, KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';
import { apiVersionOf } from '../api/resource-info.js';
import { notAcceptable } from '../api/status.js';
import type { KeyValue } from '../storage/store.js';
import { decodeKv, storedJson } from './codec.js';
import type { ApiResponse } from './request.js';
import { jsonTextResponse, ownedJsonResponse } from './request.js';
import { toTable } from './tables/table.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface Output {
  table: boolean;
  includeObject: IncludeObject;
}

/** Decides between JSON and Table output; 406 when only protobuf is acceptable. */
export function negotiate(accept: string | undefined, query: URLSearchParams): Output {
  const parts = (accept ?? '').split(',').map((p) => p.trim().toLowerCase());
  const table = parts.some(
    (p) => p.startsWith('application/json') && p.includes('as=table') && p.includes('g=meta.k8s.io'),
  );
  const jsonOk =
    accept === undefined ||
    accept === '' ||
    parts.some((p) => /^(application\/json|application\/\*|\*\/\*|application\/yaml)/.test(p));
  if (!table && !jsonOk)
    throw notAcceptable('only the following media types are accepted: application/json, application/yaml');
  const inc = query.get('includeObject');
  const includeObject: IncludeObject = inc === 'None' || inc === 'Object' ? inc : 'Metadata';
  return { table, includeObject };
}

/** An object, or a one-row Table. */
export function objectBody(info: ResourceInfo, obj: KubeObject, out: Output, now: number): unknown {
  if (!out.table) return obj;
  return toTable(info, [obj], {
    now,
    includeObject: out.includeObject,
    resourceVersion: obj.metadata.resourceVersion ?? '',
  });
}

export function objectResponse(status: number, body: unknown, warnings: readonly string[]): ApiResponse {
  // Every caller answers an object decoded or built for this request alone.
  return ownedJsonResponse(status, body, warningHeaders(warnings));
}

/**
 * A 200 answering a stored object as JSON. Nothing is decoded or encoded until asked: an HTTP
 * client gets the stored text with the revision spliced in (codec.ts `stampedText`), an in-process
 * one the decoded object, made for it alone.
 */
export function storedObjectResponse(info: ResourceInfo, kv: KeyValue): ApiResponse {
  return lazyJsonResponse(
    () => decodeKv(info, kv),
    () => storedJson(info, kv),
  );
}

/** A LIST's answer before encoding: the selected objects as stored, and the list they decode to. */
export interface StoredList {
  /** The list's metadata: resourceVersion, and continue and remainingItemCount for a page. */
  metadata: KubeList['metadata'];
  /** The selected objects as stored, in key order. */
  stored: readonly KeyValue[];
  /** The list, its objects decoded (each at most once, whatever the number of calls). */
  list(): KubeList;
}

/**
 * A 200 answering a LIST as JSON, lazily like `storedObjectResponse`: an HTTP client gets the
 * stored texts of the items, each with its revision spliced in, joined into the list's JSON.
 */
export function storedListResponse(info: ResourceInfo, result: StoredList): ApiResponse {
  return lazyJsonResponse(
    () => result.list(),
    () => listText(info, result),
  );
}

/**
 * A 200 JSON response whose value (`decode()`, made for it alone) and body are computed when first
 * read. The body is `text()`, which must equal `JSON.stringify(decode())`, unless the value was
 * taken first: its taker may have changed it, and the body then encodes it as it is.
 */
function lazyJsonResponse(decode: () => unknown, text: () => string): ApiResponse {
  let value: unknown;
  let taken = false;
  let body: string | undefined;
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    get value(): unknown {
      if (!taken) value = decode();
      taken = true;
      return value;
    },
    get body(): string {
      body ??= taken ? JSON.stringify(value) : text();
      return body;
    },
  };
}

/** `JSON.stringify(result.list())`, from the stored texts where they need no decoding. */
function listText(info: ResourceInfo, result: StoredList): string {
  const items = result.stored.map((kv) => storedJson(info, kv));
  const head = `{"apiVersion":${JSON.stringify(apiVersionOf(info))},"kind":${JSON.stringify(`${info.kind}List`)}`;
  return `${head},"metadata":${JSON.stringify(result.metadata)},"items":[${items.join(',')}]}`;
}

/** `objectResponse` for a body already encoded as JSON. */
export function encodedObjectResponse(
  status: number,
  json: string,
  warnings: readonly string[],
): ApiResponse {
  return jsonTextResponse(status, json, warningHeaders(warnings));
}

function warningHeaders(warnings: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  if (warnings.length > 0) headers['warning'] = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  return headers;
}
