/**
 * The thin HTTPS edge of the API server: TLS, bearer-token authentication, body limits, metrics,
 * and the translation between Node's http objects and the socket-free `ApiRequest`/`ApiResponse`.
 * Streams (watch) get their headers flushed at once and each chunk written as it comes;
 * a client going away (`res` close) aborts the request's signal.
 *
 * A server may front several API servers under path prefixes (the simulated fleet): `innerPath`
 * maps a request path to the path its API server sees (for metrics and the public health paths),
 * and a `gate` may hold or drop requests before anything else happens (fault injection).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../base/logger.js';
import { StatusError, unauthorized } from '../../api/status.js';
import type { ApiRequest, ApiResponse } from '../request.js';
import { jsonResponse } from '../request.js';
import type { ApiMetrics } from './metrics.js';
import { requestLabels } from './metrics.js';

const MAX_BODY = 3 * 1024 * 1024;
const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/livez', '/version']);

/** What happens to a request before it is served. */
export type GateVerdict = 'serve' | 'drop';

/** Decides, before authentication, whether a request is served or its connection dropped. */
export interface RequestGate {
  /** May wait (added latency, a hang until `signal` aborts because the client gave up). */
  admit(path: string, signal: AbortSignal): Promise<GateVerdict>;
}

export interface HttpServerOptions {
  handle: (req: ApiRequest) => Promise<ApiResponse>;
  /** The path as the API server behind sees it (default: unchanged). */
  innerPath?: (path: string) => string;
  gate?: RequestGate;
  tls: { certPem: string; keyPem: string };
  token: string;
  metrics: ApiMetrics;
  log: Logger;
}

export class HttpServer {
  readonly #server: Server;
  readonly #o: HttpServerOptions;
  /** Requests being served (including open watches), by their socket. */
  readonly #active = new Map<IncomingMessage, string>();

  constructor(options: HttpServerOptions) {
    this.#o = options;
    this.#server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (req, res) => {
      void this.#serve(req, res);
    });
    this.#server.keepAliveTimeout = 65_000;
  }

  /**
   * Listens on host:port (port 0 = any free port) and resolves with the bound address. A closed
   * server may listen again.
   */
  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /** Destroys the connections of in-flight requests (watches included) whose path matches. */
  dropWhere(matches: (path: string) => boolean): void {
    for (const [req, path] of this.#active) if (matches(path)) req.socket.destroy();
  }

  /** Stops accepting connections and closes open ones (including watches). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'https://hub');
    const abort = new AbortController();
    res.on('close', () => {
      abort.abort();
      this.#active.delete(req);
    });
    this.#active.set(req, url.pathname);
    if (this.#o.gate && (await this.#o.gate.admit(url.pathname, abort.signal)) === 'drop') {
      req.socket.destroy();
      return;
    }
    const inner = this.#o.innerPath?.(url.pathname) ?? url.pathname;
    const { verb, resource } = requestLabels(req.method ?? 'GET', inner, url.searchParams);
    let response: ApiResponse;
    try {
      if (!PUBLIC_PATHS.has(inner) && !this.#authenticated(req)) throw unauthorized();
      if (url.pathname === '/metrics') {
        response = {
          status: 200,
          headers: { 'content-type': this.#o.metrics.registry.contentType },
          body: await this.#o.metrics.registry.metrics(),
        };
      } else {
        const body = await readBody(req);
        response = await this.#o.handle({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: flatHeaders(req),
          ...(body ? { body } : {}),
          user: 'admin',
          signal: abort.signal,
        });
      }
    } catch (err) {
      response =
        err instanceof StatusError
          ? jsonResponse(err.code, err.status)
          : jsonResponse(500, {
              kind: 'Status',
              apiVersion: 'v1',
              status: 'Failure',
              message: String(err),
              code: 500,
            });
    }
    this.#o.metrics.requests.inc({ verb, resource, code: String(response.status) });
    if (response.stream) {
      await this.#stream(res, response, resource, abort);
      return;
    }
    res.writeHead(response.status, response.headers);
    res.end(response.body ?? '');
    this.#o.metrics.latency.observe({ verb, resource }, (performance.now() - started) / 1000);
  }

  async #stream(
    res: ServerResponse,
    response: ApiResponse,
    resource: string,
    abort: AbortController,
  ): Promise<void> {
    const { 'transfer-encoding': _te, ...headers } = response.headers;
    res.writeHead(response.status, headers);
    res.flushHeaders();
    this.#o.metrics.watches.inc({ resource });
    try {
      for await (const chunk of response.stream ?? []) {
        if (abort.signal.aborted) break;
        if (!res.write(chunk)) await drainedOrClosed(res);
      }
    } catch (err) {
      this.#o.log.warn({ err: String(err) }, 'watch stream failed');
    } finally {
      this.#o.metrics.watches.dec({ resource });
      abort.abort();
      res.end();
    }
  }

  #authenticated(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m?.[1]) return false;
    const given = Buffer.from(m[1].trim());
    const want = Buffer.from(this.#o.token);
    return given.length === want.length && timingSafeEqual(given, want);
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) {
      throw new StatusError({
        reason: 'RequestEntityTooLarge',
        code: 413,
        message: 'Request entity too large: limit is 3145728',
      });
    }
    chunks.push(buf);
  }
  return chunks.length === 0 ? undefined : Buffer.concat(chunks);
}

/** Resolves when `res` can take more data or has closed; leaves no listener behind. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
