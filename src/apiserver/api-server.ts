/**
 * The API server core: routes a socket-free `ApiRequest` to discovery, version/health, OpenAPI or
 * resource handlers and turns every failure into a Kubernetes `Status` response. The HTTP layer
 * adds TLS, authentication and metrics around `handle`.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { errorMessage } from '../base/errors.js';
import { builtinResources } from '../api/builtin-resources.js';
import { builtinMergeSchema } from '../api/builtin-merge-schemas.js';
import { builtinObjectSchema } from '../api/builtin-schemas/builtin-object-schema.js';
import { PROTOBUF_MEDIA_TYPE } from '../api/protobuf/decode.js';
import type { ResourceInfo } from '../api/resource-info.js';
import {
  StatusError,
  internalError,
  methodNotAllowed,
  pathNotFound,
  unsupportedMediaType,
} from '../api/status.js';
import type { Store } from '../storage/store.js';
import type { ServerContext } from './context.js';
import { CrdLifecycle } from './crd-lifecycle.js';
import { NamespaceCache } from './namespace-cache.js';
import {
  aggregatedDiscovery,
  aggregatedFormat,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery.js';
import { handleResource } from './handlers/resource.js';
import { OpenAPIDocuments } from './openapi-cache.js';
import { ResourceRegistry } from './registry.js';
import type { ApiRequest, ApiResponse } from './request.js';
import { jsonResponse } from './request.js';
import { hasBodyOfType, protobufRequestAsJson } from './protobuf-body.js';
import { parseRoute } from './router.js';
import type { Route } from './router.js';
import type { AdmissionPlugin } from './admission.js';

export interface ApiServerOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Reported by /version (e.g. `v1.33.0`). */
  kubernetesVersion?: string;
  /** Default watch lifetime base in seconds (kube's --min-request-timeout; default 1800). */
  minRequestTimeoutSeconds?: number;
  /** Mutating admission plugins, run on every create and update (see admission.ts). */
  admission?: readonly AdmissionPlugin[];
  /** Resources served besides the built-in kinds (e.g. `compiledInResources`: the hub's own kinds). */
  resources?: readonly ResourceInfo[];
}

/** Attaches schemas, merge schemas and OpenAPI definitions to the built-in resources. */
export function builtinResourceInfos(): ResourceInfo[] {
  return builtinResources().map((r) => {
    const schema = builtinObjectSchema(r.group, r.version, r.kind);
    const merge = builtinMergeSchema(r.group, r.kind);
    return { ...r, ...(schema ? { schema } : {}), ...(merge ? { mergeSchema: merge } : {}) };
  });
}

export class ApiServer {
  readonly context: ServerContext;
  readonly #crds: CrdLifecycle;
  readonly #openapi: OpenAPIDocuments;
  readonly #version: string;

  constructor(options: ApiServerOptions) {
    const registry = new ResourceRegistry([...builtinResourceInfos(), ...(options.resources ?? [])]);
    const namespaceInfo = registry.lookup('', 'v1', 'namespaces');
    if (!namespaceInfo) throw new Error('namespaces must be served');
    this.context = {
      namespaces: new NamespaceCache(options.store, namespaceInfo, options.log),
      admission: options.admission ?? [],
      store: options.store,
      registry,
      clock: options.clock,
      log: options.log,
      minRequestTimeoutSeconds: options.minRequestTimeoutSeconds ?? 1800,
    };
    this.#crds = new CrdLifecycle(this.context);
    this.#openapi = new OpenAPIDocuments(registry);
    this.#version = options.kubernetesVersion ?? 'v1.33.0';
  }

  /**
   * Loads what the server serves from storage (CRDs), starts its caches and creates the system
   * namespaces. `signal` stops the caches' watches.
   */
  async start(signal: AbortSignal = new AbortController().signal): Promise<void> {
    await this.context.namespaces.start(signal);
    await this.#crds.loadAll();
    void this.#crds.run(signal).catch((err: unknown) => {
      this.context.log.error({ err: errorMessage(err) }, 'CRD cleanup loop failed');
    });
    await ensureSystemNamespaces(this);
  }

  /** Answers one request. Never throws: failures become Status responses. */
  async handle(req: ApiRequest): Promise<ApiResponse> {
    try {
      const route = parseRoute(req.path);
      req = decodeRequestBody(req);
      const res = await this.#route(route, req);
      if (
        route.type === 'resource' &&
        route.group === 'apiextensions.k8s.io' &&
        route.plural === 'customresourcedefinitions'
      ) {
        await this.#afterCrdWrite(req, res, route.name);
      }
      return res;
    } catch (err) {
      return errorResponse(err, this.context.log);
    }
  }

  async #route(route: Route, req: ApiRequest): Promise<ApiResponse> {
    switch (route.type) {
      case 'resource':
        return handleResource(this.context, route, req);
      case 'api-root':
        return this.#discoveryRoot(req, true);
      case 'apis-root':
        return this.#discoveryRoot(req, false);
      case 'apis-group': {
        const g = this.context.registry.groups().find((x) => x.name === route.group);
        if (!g) throw pathNotFound();
        return jsonResponse(200, apiGroup(g.name, g.versions));
      }
      case 'group-version': {
        const list = apiResourceList(this.context.registry, route.group, route.version);
        if (!list) throw pathNotFound();
        return jsonResponse(200, list);
      }
      case 'other':
        return this.#nonResource(req);
    }
  }

  #discoveryRoot(req: ApiRequest, core: boolean): ApiResponse {
    if (req.method !== 'GET') throw methodNotAllowed(req.method.toLowerCase(), core ? 'api' : 'apis');
    const format = aggregatedFormat(req.headers['accept']);
    if (format) {
      // kube-apiserver's aggregated discovery carries an ETag and answers 304 to a matching If-None-Match.
      const text = JSON.stringify(aggregatedDiscovery(this.context.registry, core, format));
      const etag = `"${createHash('sha256').update(text).digest('hex').slice(0, 32)}"`;
      const headers = {
        'content-type': `application/json;g=apidiscovery.k8s.io;v=${format};as=APIGroupDiscoveryList`,
        vary: 'Accept',
        etag,
        'cache-control': 'public',
      };
      if (req.headers['if-none-match'] === etag) return { status: 304, headers };
      return { status: 200, headers, body: text };
    }
    return jsonResponse(200, core ? apiVersions() : apiGroupList(this.context.registry), { vary: 'Accept' });
  }

  #nonResource(req: ApiRequest): ApiResponse {
    const path = req.path.replace(/\/+$/, '') || '/';
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'ok' };
    }
    if (path === '/version') return jsonResponse(200, versionInfo(this.#version));
    if (path.startsWith('/openapi/')) return this.#openapi.serve(path, req.query, req.headers);
    throw pathNotFound();
  }

  async #afterCrdWrite(req: ApiRequest, res: ApiResponse, name: string | undefined): Promise<void> {
    if (req.method === 'GET' || res.status >= 300 || req.query.getAll('dryRun').length > 0) return;
    if (name !== undefined) {
      await this.#crds.reconcile(name);
      return;
    }
    if (req.method === 'POST' && typeof res.body === 'string') {
      const created = JSON.parse(res.body) as { metadata?: { name?: string } };
      if (created.metadata?.name) await this.#crds.reconcile(created.metadata.name);
      return;
    }
    await this.#crds.loadAll();
  }
}

/**
 * Bodies are JSON (or YAML for apply). Protobuf bodies, which kubectl's typed commands send without
 * a JSON fallback, are decoded and the request continues as JSON; CBOR bodies get a 415 so clients
 * fall back to JSON.
 */
function decodeRequestBody(req: ApiRequest): ApiRequest {
  if (
    hasBodyOfType(req, 'application/cbor') ||
    (req.method === 'PATCH' && hasBodyOfType(req, PROTOBUF_MEDIA_TYPE))
  ) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    throw unsupportedMediaType(type, 'this server', ['application/json', 'application/yaml']);
  }
  return protobufRequestAsJson(req);
}

function versionInfo(gitVersion: string): Record<string, string> {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '33',
    gitVersion: `${gitVersion}+flotilla`,
    gitCommit: 'flotilla',
    gitTreeState: 'clean',
    buildDate: '2026-11-22T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsx',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

/** Encodes a failure as a Status response; unexpected errors become 500s and are logged. */
export function errorResponse(err: unknown, log: Logger): ApiResponse {
  if (err instanceof StatusError) return jsonResponse(err.code, err.status);
  log.error(
    { err: errorMessage(err), stack: err instanceof Error ? err.stack : undefined },
    'unhandled error in request',
  );
  const wrapped = internalError(errorMessage(err), err);
  return jsonResponse(500, wrapped.status);
}

async function ensureSystemNamespaces(server: ApiServer): Promise<void> {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    const res = await server.handle({
      method: 'POST',
      path: '/api/v1/namespaces',
      query: new URLSearchParams({ fieldManager: 'kube-apiserver' }),
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
      signal: new AbortController().signal,
    });
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`creating namespace ${name} failed with ${res.status}: ${String(res.body)}`);
    }
  }
}
