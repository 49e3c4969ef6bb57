/**
 * Maps a resource request (method × route) to a verb handler and encodes its answer.
 */
import type { JsonObject, JsonValue, KubeObject, WatchEventType } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { badRequest, invalid, methodNotAllowed, notFound, pathNotFound } from '../../api/status.js';
import type { Status } from '../../api/status.js';
import type { ServerContext, WriteOptions } from '../context.js';
import { managerFor } from '../field-manager.js';
import {
  encodedObjectResponse,
  negotiate,
  objectBody,
  objectResponse,
  storedListResponse,
  storedObjectResponse,
} from '../negotiate.js';
import { decodeKv } from '../codec.js';
import type { Output } from '../negotiate.js';
import type { ApiRequest, ApiResponse } from '../request.js';
import { bodyJson, bodyText } from '../request.js';
import type { ResourceRoute } from '../router.js';
import { toTable } from '../tables/table.js';
import { bindPod } from './binding.js';
import { checkBodyIdentity, decodeObjectBody } from './body.js';
import { deleteCollection } from './delete-collection.js';
import { deleteObject, parseDeleteOptions } from './delete.js';
import { patchDocument, parsePatchBody, patchObject, mediaType, APPLY_PATCH } from './patch.js';
import { getObject, getStored, listObjects } from './read.js';
import { scaleOf, updateScale } from './scale.js';
import type { Scale } from './scale.js';
import { jsonEventLine, watchObjects } from './watch.js';
import { createObject, guaranteedUpdate } from './write.js';
import { cloneJson } from '../../base/json-clone.js';

/** Handles a request addressed to a resource collection, object or subresource. */
export async function handleResource(
  ctx: ServerContext,
  route: ResourceRoute,
  req: ApiRequest,
): Promise<ApiResponse> {
  const info = ctx.registry.lookup(route.group, route.version, route.plural);
  if (!info) throw pathNotFound();
  if (route.namespace !== undefined && !info.namespaced) throw pathNotFound();
  const out = negotiate(req.headers['accept'], req.query);
  const opts = writeOptions(req);
  const ns = info.namespaced ? route.namespace : undefined;
  if (route.name === undefined) return collection(ctx, info, { ns, req, out, opts });
  if (route.subresource === undefined) return item(ctx, info, { ns, name: route.name, req, out, opts });
  return subresource(ctx, info, { ns, name: route.name, sub: route.subresource, req, out, opts });
}

interface Call {
  ns: string | undefined;
  req: ApiRequest;
  out: Output;
  opts: WriteOptions;
}

function writeOptions(req: ApiRequest): WriteOptions {
  const dryRun = req.query.getAll('dryRun');
  for (const d of dryRun)
    if (d !== 'All') throw badRequest(`Invalid dry run value: "${d}": supported values: "All"`);
  const fv = req.query.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw badRequest(
      `fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`,
    );
  }
  const explicit = req.query.get('fieldManager');
  return {
    dryRun: dryRun.length > 0,
    manager: managerFor(req.query, req.headers['user-agent']),
    explicitManager: explicit !== null && explicit !== '',
    fieldValidation: fv,
    warnings: [],
  };
}

function now(ctx: ServerContext): number {
  return ctx.clock.now();
}

async function collection(ctx: ServerContext, info: ResourceInfo, c: Call): Promise<ApiResponse> {
  const { req, out } = c;
  switch (req.method) {
    case 'GET': {
      const w = req.query.get('watch');
      if (w === 'true' || w === '1') return watch(ctx, info, c);
      const result = await listObjects(ctx, info, c.ns, req.query);
      if (!out.table) return storedListResponse(info, result);
      const { metadata } = result;
      const table = toTable(info, result.list().items, {
        now: now(ctx),
        includeObject: out.includeObject,
        resourceVersion: metadata.resourceVersion ?? '',
        ...(metadata.continue !== undefined ? { continue: metadata.continue } : {}),
        ...(metadata.remainingItemCount !== undefined
          ? { remainingItemCount: metadata.remainingItemCount }
          : {}),
      });
      return objectResponse(200, table, []);
    }
    case 'POST': {
      if (info.namespaced && c.ns === undefined) throw methodNotAllowed('create', info.plural);
      const obj = decodeObjectBody(req);
      checkBodyIdentity(info, obj, { namespace: c.ns });
      const created = await createObject(ctx, info, { object: obj }, c.opts);
      // The create already encoded the object for storage; its response text comes from that.
      if (created.json !== undefined && !out.table)
        return encodedObjectResponse(201, created.json, c.opts.warnings);
      return objectResponse(201, objectBody(info, created.object, out, now(ctx)), c.opts.warnings);
    }
    case 'DELETE': {
      const list = await deleteCollection(
        ctx,
        info,
        { namespace: c.ns, options: parseDeleteOptions(req), query: req.query },
        c.opts,
      );
      return objectResponse(200, list, c.opts.warnings);
    }
    default:
      throw methodNotAllowed(req.method.toLowerCase(), info.plural);
  }
}

function watch(ctx: ServerContext, info: ResourceInfo, c: Call): ApiResponse {
  let first = true;
  const encode = (type: WatchEventType, object: KubeObject | Status): string => {
    let payload: unknown = object;
    if (c.out.table && type !== 'ERROR' && type !== 'BOOKMARK') {
      payload = toTable(info, [object as KubeObject], {
        now: now(ctx),
        includeObject: c.out.includeObject,
        noHeaders: !first,
      });
      first = false;
    }
    return jsonEventLine(type, JSON.stringify(payload));
  };
  const stream = watchObjects(ctx, info, {
    namespace: c.ns,
    query: c.req.query,
    signal: c.req.signal,
    encode,
    shared: !c.out.table,
  });
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    stream,
  };
}

/** GET of an object (or its status subresource, which answers the whole object). */
async function getResponse(
  ctx: ServerContext,
  info: ResourceInfo,
  c: Call & { name: string },
): Promise<ApiResponse> {
  const kv = await getStored(ctx, info, c.ns, c.name);
  if (!c.out.table) return storedObjectResponse(info, kv);
  return objectResponse(200, objectBody(info, decodeKv(info, kv), c.out, now(ctx)), []);
}

async function item(
  ctx: ServerContext,
  info: ResourceInfo,
  c: Call & { name: string },
): Promise<ApiResponse> {
  const { req, out, ns, name } = c;
  switch (req.method) {
    case 'GET':
      return getResponse(ctx, info, c);
    case 'PUT': {
      const obj = decodeObjectBody(req);
      checkBodyIdentity(info, obj, { namespace: ns, name });
      if (!info.builtin && (obj.metadata.resourceVersion ?? '') === '') {
        throw unconditionalUpdate(info, name);
      }
      const { object } = await guaranteedUpdate(
        ctx,
        info,
        {
          namespace: ns,
          name,
          scope: 'main',
          compute: () => ({ object: cloneJson(obj) }),
          leavesCurrent: true,
        },
        c.opts,
      );
      return objectResponse(200, objectBody(info, object, out, now(ctx)), c.opts.warnings);
    }
    case 'PATCH': {
      const { object, created } = await patchObject(
        ctx,
        info,
        {
          namespace: ns,
          name,
          contentType: req.headers['content-type'] ?? '',
          ...patchBody(req),
          force: forceParam(req.query),
          scope: 'main',
        },
        c.opts,
      );
      return objectResponse(created ? 201 : 200, objectBody(info, object, out, now(ctx)), c.opts.warnings);
    }
    case 'DELETE': {
      const options = parseDeleteOptions(req);
      const outcome = await deleteObject(ctx, info, { namespace: ns, name, options }, c.opts);
      if (outcome.kind === 'pending')
        return objectResponse(200, objectBody(info, outcome.object, out, now(ctx)), c.opts.warnings);
      return objectResponse(200, outcome.status, c.opts.warnings);
    }
    default:
      throw methodNotAllowed(req.method.toLowerCase(), info.plural);
  }
}

/** Custom resources refuse unconditional updates (kube: AllowUnconditionalUpdate is false for CRs). */
function unconditionalUpdate(info: ResourceInfo, name: string): Error {
  return invalid(info.group, info.kind, name, [
    {
      field: 'metadata.resourceVersion',
      type: 'FieldValueInvalid',
      value: 0,
      detail: 'must be specified for an update',
    },
  ]);
}

async function subresource(
  ctx: ServerContext,
  info: ResourceInfo,
  c: Call & { name: string; sub: string },
): Promise<ApiResponse> {
  const { req, out, ns, name, sub } = c;
  if (sub === 'status' && info.subresources.status) {
    if (req.method === 'GET') return getResponse(ctx, info, c);
    if (req.method === 'PUT') {
      const obj = decodeObjectBody(req);
      checkBodyIdentity(info, obj, { namespace: ns, name });
      const { object } = await guaranteedUpdate(
        ctx,
        info,
        {
          namespace: ns,
          name,
          scope: 'status',
          compute: () => ({ object: cloneJson(obj) }),
          leavesCurrent: true,
        },
        c.opts,
      );
      return objectResponse(200, objectBody(info, object, out, now(ctx)), c.opts.warnings);
    }
    if (req.method === 'PATCH') {
      const { object } = await patchObject(
        ctx,
        info,
        {
          namespace: ns,
          name,
          contentType: req.headers['content-type'] ?? '',
          ...patchBody(req),
          force: forceParam(req.query),
          scope: 'status',
        },
        c.opts,
      );
      return objectResponse(200, objectBody(info, object, out, now(ctx)), c.opts.warnings);
    }
    throw methodNotAllowed(req.method.toLowerCase(), `${info.plural}/status`);
  }
  if (sub === 'scale' && info.subresources.scale) return scale(ctx, info, c);
  if (sub === 'binding' && info.subresources.binding) {
    if (req.method !== 'POST') throw methodNotAllowed(req.method.toLowerCase(), `${info.plural}/binding`);
    return bindPod(ctx, info, { namespace: ns ?? '', name, binding: decodeObjectBody(req) }, c.opts);
  }
  if (sub === 'finalize' && info.group === '' && info.kind === 'Namespace' && req.method === 'PUT') {
    const obj = decodeObjectBody(req);
    checkBodyIdentity(info, obj, { namespace: undefined, name });
    const { object } = await guaranteedUpdate(
      ctx,
      info,
      {
        namespace: undefined,
        name,
        scope: 'finalize',
        compute: () => ({ object: cloneJson(obj) }),
        leavesCurrent: true,
      },
      c.opts,
    );
    return objectResponse(200, object, c.opts.warnings);
  }
  if (sub === 'log' && info.subresources.log && req.method === 'GET') {
    await getObject(ctx, info, ns, name);
    throw badRequest(`pod ${name} does not have a host assigned`);
  }
  throw notFound(info.group, `${info.plural}/${sub}`, name);
}

async function scale(
  ctx: ServerContext,
  info: ResourceInfo,
  c: Call & { name: string },
): Promise<ApiResponse> {
  const { req, ns, name } = c;
  if (req.method === 'GET')
    return objectResponse(200, scaleOf(info, await getObject(ctx, info, ns, name)), []);
  if (req.method === 'PUT') {
    const body = decodeObjectBody(req) as unknown as Scale;
    const { scale: s } = await updateScale(
      ctx,
      info,
      { namespace: ns, name, computeScale: () => body },
      c.opts,
    );
    return objectResponse(200, s, c.opts.warnings);
  }
  if (req.method === 'PATCH') {
    const type = mediaType(req.headers['content-type']);
    if (type === APPLY_PATCH) throw badRequest('apply is not supported on the scale subresource');
    const patch = bodyJson(req, parsePatchBody) as JsonValue;
    const { scale: s } = await updateScale(
      ctx,
      info,
      {
        namespace: ns,
        name,
        computeScale: (current) =>
          patchDocument(info, type, current as unknown as JsonObject, patch) as unknown as Scale,
      },
      c.opts,
    );
    return objectResponse(200, s, c.opts.warnings);
  }
  throw methodNotAllowed(req.method.toLowerCase(), `${info.plural}/scale`);
}

function forceParam(query: URLSearchParams): boolean | undefined {
  return query.has('force') ? query.get('force') === 'true' : undefined;
}

/** A patch request's body: the text, and the in-process caller's decoded value when it sent one. */
function patchBody(req: ApiRequest): { body: string; json?: unknown } {
  return req.bodyJson !== undefined ? { body: '', json: req.bodyJson } : { body: bodyText(req) };
}
