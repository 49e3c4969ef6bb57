/**
 * The socket-free request/response model of the API server core. The HTTP layer (`http-server.ts`)
 * only translates between Node's http objects and these; everything else is testable in-process.
 */

export interface ApiRequest {
  method: string;
  /** Path without query, e.g. `/apis/apps/v1/namespaces/default/deployments`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  body?: Uint8Array;
  /**
   * The body as a decoded JSON value, from an in-process caller that hands it over (the server
   * may keep and change it); takes the place of `body`.
   */
  bodyJson?: unknown;
  /** Authenticated user name (set by the HTTP layer). */
  user?: string;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** A complete body… */
  body?: string | Uint8Array;
  /**
   * The JSON value `body` encodes, when it was built for this response alone: an in-process
   * caller may take it as is (and `body` is then never encoded).
   */
  value?: unknown;
  /** …or a stream of chunks (watch, log follow); each chunk is written and flushed as it comes. */
  stream?: AsyncIterable<string>;
}

/** A JSON response. */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string | string[]> = {},
): ApiResponse {
  return jsonTextResponse(status, JSON.stringify(value), headers);
}

/**
 * A JSON response carrying `value` itself, for a value made for this response alone: the body is
 * encoded only when something reads it (the HTTP edge), not for an in-process caller.
 */
export function ownedJsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string | string[]> = {},
): ApiResponse {
  let body: string | undefined;
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    value,
    get body(): string {
      body ??= JSON.stringify(value);
      return body;
    },
  };
}

/** A JSON response whose body is already encoded. */
export function jsonTextResponse(
  status: number,
  json: string,
  headers: Record<string, string | string[]> = {},
): ApiResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: json };
}

/**
 * The request body as a JSON value: the in-process caller's value, else the text decoded by
 * `parse` (which reports malformed text in the error the endpoint answers with).
 */
export function bodyJson(req: ApiRequest, parse: (text: string) => unknown): unknown {
  return req.bodyJson !== undefined ? req.bodyJson : parse(bodyText(req));
}

/** Reads the request body as UTF-8 text ('' when absent). */
export function bodyText(req: ApiRequest): string {
  const b = req.body;
  // A Buffer view over the same memory: Buffer.from(Uint8Array) would copy the body first.
  return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8') : '';
}
