/**
 * A `Transport` that calls an API server core in the same process, without sockets: how the
 * hub's and the simulated clusters' own controllers talk to their servers. `LocalServer` is the
 * shape of `ApiServer.handle` restated here, so the client layer stays free of apiserver imports.
 */
import { jsonCopy } from '../base/json-clone.js';
import type { Transport, TransportResponse } from './transport.js';

/** One socket-free request, as `ApiServer.handle` takes it. */
export interface LocalRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | undefined>>;
  body?: Uint8Array;
  /** The body as a JSON value the server may keep and change. */
  bodyJson?: unknown;
  user?: string;
  signal: AbortSignal;
}

/** Anything that answers socket-free requests (`ApiServer`). */
export interface LocalServer {
  handle(req: LocalRequest): Promise<{
    status: number;
    headers: Record<string, string | string[]>;
    body?: string | Uint8Array;
    /** The body's value, made for this response alone. */
    value?: unknown;
    stream?: AsyncIterable<string>;
  }>;
}

const NEVER = new AbortController().signal;

/**
 * Wraps `server.handle` as a `Transport`; requests run as `user` (default `system:controllers`)
 * and carry `userAgent`, whose product name becomes the field manager of their writes (kube's
 * `kube-controller-manager`, `kube-scheduler`) unless a request names one.
 */
export function localTransport(
  server: LocalServer,
  user = 'system:controllers',
  userAgent = 'flotilla-controller-manager',
): Transport {
  return {
    async request(req): Promise<TransportResponse> {
      const res = await server.handle({
        method: req.method,
        path: req.path,
        query: req.query ?? new URLSearchParams(),
        headers: { 'user-agent': userAgent, ...lowerCased(req.headers ?? {}) },
        ...(req.body !== undefined ? { body: Buffer.from(req.body) } : {}),
        // What an HTTP client would send, as a copy: the server keeps and changes what it is
        // given, the caller keeps its own.
        ...(req.json !== undefined ? { bodyJson: jsonCopy(req.json) } : {}),
        user,
        signal: req.signal ?? NEVER,
      });
      const out: TransportResponse = { status: res.status, headers: res.headers };
      if (res.stream) out.stream = res.stream;
      if (res.value !== undefined) {
        // Handed over without encoding; the text is made only if someone asks for it.
        out.json = res.value;
        Object.defineProperty(out, 'body', { get: () => textOf(res.body), enumerable: true });
      } else if (res.body !== undefined) out.body = textOf(res.body) ?? '';
      return out;
    },
  };
}

function textOf(body: string | Uint8Array | undefined): string | undefined {
  return body === undefined || typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}
