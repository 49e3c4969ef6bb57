/**
 * The seam between the REST client and whatever answers it: the API server in-process (wired in
 * src/cmd as `(req) => server.handle(...)`) or a remote server over HTTPS. The shapes mirror the
 * API server's socket-free request/response so no adapter logic lives in the client.
 */

/** One request as the client sends it. */
export interface TransportRequest {
  method: string;
  /** Path without query, e.g. `/api/v1/namespaces/default/configmaps`. */
  path: string;
  query?: URLSearchParams;
  /** Header names in lower case. */
  headers?: Record<string, string>;
  body?: string;
  /**
   * The body as a JSON value instead of text (`body` is then absent): an in-process transport
   * hands a copy over without encoding it; others send `requestText(req)`.
   */
  json?: unknown;
  /** Aborting ends the request; for a watch it also ends the stream. */
  signal?: AbortSignal;
}

/** One answer: either a complete `body` or, for watches, a `stream` of newline-terminated lines. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string;
  /** The decoded JSON body, when the transport has it without parsing `body` (in-process); the caller owns it. */
  json?: unknown;
  /** Chunks of newline-delimited JSON; a chunk may hold several lines or part of one. */
  stream?: AsyncIterable<string>;
}

/** Carries requests to an API server. Implementations reject only on transport failure, never on HTTP status. */
export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
}

/** The request body as text, encoding `json` when the body was given as a value. */
export function requestText(req: TransportRequest): string | undefined {
  return req.body ?? (req.json !== undefined ? JSON.stringify(req.json) : undefined);
}
