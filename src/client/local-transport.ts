/**
 * A `Transport` that calls an API server core in the same process, without sockets: how the
 * hub's and the simulated clusters' own controllers talk to their servers. `LocalServer` is the
 * shape of `ApiServer.handle` restated here, so the client layer stays free of apiserver imports.
 */
import type { Transport, TransportResponse } from './transport.js';

/** One socket-free request, as `ApiServer.handle` takes it. */
export interface LocalRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | undefined>>;
  body?: Uint8Array;
  user?: string;
  signal: AbortSignal;
}

/** Anything that answers socket-free requests (`ApiServer`). */
export interface LocalServer {
  handle(req: LocalRequest): Promise<{
    status: number;
    headers: Record<string, string | string[]>;
    body?: string | Uint8Array;
    stream?: AsyncIterable<string>;
  }>;
}

const NEVER = new AbortController().signal;

/** Wraps `server.handle` as a `Transport`; requests run as `user` (default `system:controllers`). */
export function localTransport(server: LocalServer, user = 'system:controllers'): Transport {
  return {
    async request(req): Promise<TransportResponse> {
      const res = await server.handle({
        method: req.method,
        path: req.path,
        query: req.query ?? new URLSearchParams(),
        headers: lowerCased(req.headers ?? {}),
        ...(req.body !== undefined ? { body: Buffer.from(req.body) } : {}),
        user,
        signal: req.signal ?? NEVER,
      });
      const out: TransportResponse = { status: res.status, headers: res.headers };
      if (res.stream) out.stream = res.stream;
      if (res.body !== undefined)
        out.body = typeof res.body === 'string' ? res.body : Buffer.from(res.body).toString('utf8');
      return out;
    },
  };
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}
