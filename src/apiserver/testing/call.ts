/**
 * Test helper: drives an `ApiServer` in-process with socket-free requests.
 */
import type { ApiServer } from '../api-server.js';
import type { ApiResponse } from '../request.js';

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface CallResult {
  status: number;
  headers: ApiResponse['headers'];
  json: Record<string, unknown> & { metadata?: Record<string, unknown>; items?: Record<string, unknown>[] };
  response: ApiResponse;
}

/** Sends one request; a string body is sent verbatim, anything else as JSON. */
export async function call(
  server: ApiServer,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const body =
    options.body === undefined
      ? undefined
      : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
  const response = await server.handle({
    method,
    path,
    query: new URLSearchParams(options.query ?? {}),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(body ? { body } : {}),
    signal: options.signal ?? new AbortController().signal,
  });
  const text =
    typeof response.body === 'string'
      ? response.body
      : response.body
        ? Buffer.from(response.body).toString()
        : '';
  let json: CallResult['json'] = {};
  if (text.startsWith('{')) json = JSON.parse(text) as CallResult['json'];
  return { status: response.status, headers: response.headers, json, response };
}
