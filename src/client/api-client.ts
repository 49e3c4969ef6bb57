/**
 * A REST client for Kubernetes-compatible API servers over any `Transport`. Objects are plain
 * JSON (`KubeObject`); every non-2xx answer becomes a `StatusError` so callers branch with
 * `isNotFound` / `isConflict`. Watches are async iterables of `{ type, object }` that end when the
 * server closes the stream or the caller's signal aborts.
 */
import type { KubeList, KubeObject, WatchEvent } from '../api/meta.js';
import { StatusError } from '../api/status.js';
import type { Status, StatusReason } from '../api/status.js';
import { resourcePath } from './resource-path.js';
import type { ResourceRef } from './resource-path.js';
import type { Transport, TransportResponse } from './transport.js';
import { splitLines } from './watch-lines.js';

/** Options every call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Query options of LIST. */
export interface ListOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

/** Query options of WATCH. */
export interface WatchOptions extends CallOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version; omit for synthetic ADDED events of the current state. */
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
}

/** Options of writes. */
export interface WriteOptions extends CallOptions {
  fieldManager?: string;
  dryRun?: boolean;
  /** Write to a subresource (`status`, `scale`, `finalize`) instead of the object. */
  subresource?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

/** Options of PATCH. `apply` requires `fieldManager`. */
export interface PatchOptions extends WriteOptions {
  type: PatchType;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

/** The DeleteOptions body. */
export interface DeleteOptions extends CallOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Options of DELETE on a collection. */
export interface DeleteCollectionOptions extends DeleteOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** Typed-enough REST access. Thread-safe in the JS sense: calls share nothing but the transport. */
export class ApiClient {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** GETs one object; throws `StatusError` (404 → `isNotFound`). */
  async get<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    options: CallOptions = {},
  ): Promise<T> {
    return this.#json<T>('GET', resourcePath(ref, name), { signal: options.signal });
  }

  /** LISTs one page (all of it when `limit` is unset). */
  async list<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    options: ListOptions = {},
  ): Promise<KubeList<T>> {
    const query = queryOf({
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
      resourceVersion: options.resourceVersion,
      resourceVersionMatch: options.resourceVersionMatch,
    });
    return this.#json<KubeList<T>>('GET', resourcePath(ref), { query, signal: options.signal });
  }

  /** POSTs a new object into `ref` (namespace from `ref`, else from the object). */
  async create<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    obj: NoInfer<T>,
    options: WriteOptions = {},
  ): Promise<T> {
    const path = resourcePath(withNamespace(ref, obj));
    return this.#json<T>('POST', path, {
      query: writeQuery(options),
      json: obj,
      signal: options.signal,
    });
  }

  /** PUTs the whole object (optimistic concurrency through `metadata.resourceVersion`; 409 on conflict). */
  async update<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    obj: NoInfer<T>,
    options: WriteOptions = {},
  ): Promise<T> {
    const path = resourcePath(withNamespace(ref, obj), obj.metadata.name ?? '', options.subresource);
    return this.#json<T>('PUT', path, {
      query: writeQuery(options),
      json: obj,
      signal: options.signal,
    });
  }

  /** PUTs the status subresource. */
  async updateStatus<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    obj: NoInfer<T>,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.update<T>(ref, obj, { ...options, subresource: 'status' });
  }

  /**
   * POSTs `body` to a subresource of object `name` (`pods/<name>/binding`, `pods/<name>/eviction`);
   * answers what the server returns (often a `Status`).
   */
  async post<T = KubeObject | Status>(
    ref: ResourceRef,
    target: { name: string; subresource: string; body: unknown },
    options: CallOptions = {},
  ): Promise<T> {
    return this.#json<T>('POST', resourcePath(ref, target.name, target.subresource), {
      json: target.body,
      signal: options.signal,
    });
  }

  /** PATCHes one object with the given patch type (`apply` = server-side apply). */
  async patch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    name: string,
    patch: { body: unknown; options: PatchOptions },
  ): Promise<T> {
    const { options } = patch;
    const query = writeQuery(options);
    if (options.force !== undefined) query.set('force', String(options.force));
    // Apply configurations travel as text (the server reads them as YAML); other patches as values.
    const body =
      typeof patch.body === 'string'
        ? { body: patch.body }
        : options.type === 'apply'
          ? { body: JSON.stringify(patch.body) }
          : { json: patch.body };
    return this.#json<T>('PATCH', resourcePath(ref, name, options.subresource), {
      query,
      ...body,
      contentType: PATCH_CONTENT_TYPES[options.type],
      signal: options.signal,
    });
  }

  /** DELETEs one object. Answers the object when it stays (finalizers), else a Success `Status`. */
  async delete(ref: ResourceRef, name: string, options: DeleteOptions = {}): Promise<KubeObject | Status> {
    return this.#json<KubeObject | Status>('DELETE', resourcePath(ref, name), {
      json: deleteBody(options),
      signal: options.signal,
    });
  }

  /** DELETEs every selected object of a collection; answers the list of what was deleted or marked. */
  async deleteCollection(ref: ResourceRef, options: DeleteCollectionOptions = {}): Promise<KubeList> {
    const query = queryOf({ labelSelector: options.labelSelector, fieldSelector: options.fieldSelector });
    return this.#json<KubeList>('DELETE', resourcePath(ref), {
      query,
      json: deleteBody(options),
      signal: options.signal,
    });
  }

  /**
   * Opens a watch. Throws `StatusError` when the server refuses it; afterwards yields events
   * (including `ERROR` events carrying a `Status`, e.g. 410 Expired) until the stream ends.
   */
  async watch<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    options: WatchOptions = {},
  ): Promise<AsyncIterable<WatchEvent<T | Status>>> {
    const query = queryOf({
      watch: 'true',
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      resourceVersion: options.resourceVersion,
      timeoutSeconds: options.timeoutSeconds,
      allowWatchBookmarks: options.allowWatchBookmarks,
    });
    const res = await this.#transport.request({
      method: 'GET',
      path: resourcePath(ref),
      query,
      headers: { accept: 'application/json' },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (res.status < 200 || res.status > 299) throw statusErrorOf(res);
    return decodeEvents<T>(res, options.signal);
  }

  /** GETs any path as text, whatever the status (health checks such as `/readyz`). */
  async getText(path: string, options: CallOptions = {}): Promise<{ status: number; body: string }> {
    const res = await this.#transport.request({
      method: 'GET',
      path,
      headers: { accept: 'text/plain, */*' },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { status: res.status, body: res.body ?? '' };
  }

  /** GETs any path as JSON (discovery documents, `/version`). */
  async getPath<T>(path: string, options: CallOptions = {}): Promise<T> {
    return this.#json<T>('GET', path, { signal: options.signal });
  }

  async #json<T>(
    method: string,
    path: string,
    o: {
      query?: URLSearchParams;
      body?: string;
      json?: unknown;
      contentType?: string;
      signal?: AbortSignal | undefined;
    },
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.body !== undefined || o.json !== undefined)
      headers['content-type'] = o.contentType ?? 'application/json';
    const res = await this.#transport.request({
      method,
      path,
      headers,
      ...(o.query ? { query: o.query } : {}),
      ...(o.body !== undefined ? { body: o.body } : {}),
      ...(o.json !== undefined ? { json: o.json } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (res.status < 200 || res.status > 299) throw statusErrorOf(res);
    if (res.json !== undefined) return res.json as T;
    const text = res.body ?? '';
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new StatusError(
        {
          reason: 'InternalError',
          code: res.status,
          message: `invalid JSON in response to ${method} ${path}`,
        },
        { cause: err },
      );
    }
  }
}

async function* decodeEvents<T>(
  res: TransportResponse,
  signal: AbortSignal | undefined,
): AsyncGenerator<WatchEvent<T | Status>> {
  const chunks = res.stream ?? oneChunk(res.body ?? '');
  try {
    for await (const line of splitLines(chunks)) {
      yield JSON.parse(line) as WatchEvent<T | Status>;
    }
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
}

async function* oneChunk(text: string): AsyncGenerator<string> {
  await Promise.resolve();
  yield text;
}

/** Decodes a non-2xx response into a `StatusError` (synthesising a Status when the body is not one). */
export function statusErrorOf(res: TransportResponse): StatusError {
  const text = res.body ?? '';
  try {
    const parsed = JSON.parse(text) as Partial<Status>;
    if (parsed.kind === 'Status' && typeof parsed.code === 'number') {
      return new StatusError({
        code: parsed.code,
        ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
        ...(parsed.message !== undefined ? { message: parsed.message } : {}),
        ...(parsed.details !== undefined ? { details: parsed.details } : {}),
      });
    }
  } catch {
    // Not JSON: fall through to a Status synthesised from the HTTP code, as client-go does.
  }
  return new StatusError({
    code: res.status,
    reason: reasonForCode(res.status),
    message: text || `HTTP ${res.status}`,
  });
}

function reasonForCode(code: number): StatusReason {
  const reasons: Record<number, StatusReason> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    406: 'NotAcceptable',
    409: 'Conflict',
    410: 'Gone',
    413: 'RequestEntityTooLarge',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? 'InternalError';
}

function withNamespace(ref: ResourceRef, obj: KubeObject): ResourceRef {
  if (ref.namespace !== undefined || obj.metadata.namespace === undefined) return ref;
  return { ...ref, namespace: obj.metadata.namespace };
}

function writeQuery(options: WriteOptions): URLSearchParams {
  return queryOf({ fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined });
}

function deleteBody(options: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (options.propagationPolicy !== undefined) body['propagationPolicy'] = options.propagationPolicy;
  if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
  if (options.preconditions !== undefined) body['preconditions'] = options.preconditions;
  if (options.dryRun) body['dryRun'] = ['All'];
  return body;
}

function queryOf(values: Record<string, string | number | boolean | undefined>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q;
}
