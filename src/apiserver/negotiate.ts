/**
 * Response encoding: JSON objects, or `meta.k8s.io/v1 Table`s when the client's Accept asks for
 * them (kubectl's human-readable `get`), and Status errors.
 */
import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';
import { notAcceptable } from '../api/status.js';
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
