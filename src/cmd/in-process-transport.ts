/**
 * A client `Transport` that calls the API server core directly, without sockets: how the hub's
 * own controllers talk to it. Lives in cmd because only the composition root may join the
 * client layer to the apiserver layer.
 */
import type { ApiRequest, ApiResponse } from '../apiserver/request.js';
import type { Transport, TransportResponse } from '../client/transport.js';

/** Anything that answers socket-free requests (`ApiServer`). */
export interface RequestHandler {
  handle(req: ApiRequest): Promise<ApiResponse>;
}

/** Wraps `server.handle` as a `Transport`; requests run as the given user (default `system:controllers`). */
export function inProcessTransport(server: RequestHandler, user = 'system:controllers'): Transport {
  return {
    async request(req): Promise<TransportResponse> {
      const res = await server.handle({
        method: req.method,
        path: req.path,
        query: req.query ?? new URLSearchParams(),
        headers: lowerCased(req.headers ?? {}),
        ...(req.body !== undefined ? { body: Buffer.from(req.body) } : {}),
        user,
        signal: req.signal ?? new AbortController().signal,
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
