/**
 * A `Transport` over HTTPS (node:https) for remote API servers: trusts the given CA, sends a
 * bearer token, buffers ordinary bodies and streams watch bodies chunk by chunk (the client
 * splits them into lines). Aborting the request's signal destroys the socket and ends a watch.
 * Each transport keeps its own connections alive between requests and builds its TLS context
 * (CA and client certificate) once: the hub talks to every member many times a second, and a new
 * connection with a freshly parsed CA costs more CPU than the request it carries.
 */
import { Agent, request as httpsRequest } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { SecureContext } from 'node:tls';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';
import { requestText } from './transport.js';

/** Options of `HttpsTransport`. */
export interface HttpsTransportOptions {
  /** `https://host:port`, optionally with a path prefix. */
  server: string;
  /** PEM of the CA that signed the server certificate; omit to use the system roots. */
  caPem?: string;
  token?: string;
  /** A client certificate and its key (PEM), for servers that authenticate by certificate. */
  certPem?: string;
  keyPem?: string;
  /** Do not verify the server certificate (a kubeconfig's `insecure-skip-tls-verify`). */
  insecureSkipTlsVerify?: boolean;
  userAgent?: string;
}

/** Sends requests to one API server over HTTPS. */
export class HttpsTransport implements Transport {
  readonly #base: URL;
  readonly #o: HttpsTransportOptions;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #tls: SecureContext | undefined;

  constructor(options: HttpsTransportOptions) {
    this.#base = new URL(options.server);
    this.#o = options;
    const withCert = options.certPem !== undefined && options.keyPem !== undefined;
    this.#tls =
      options.caPem !== undefined || withCert
        ? createSecureContext({
            ...(options.caPem !== undefined ? { ca: options.caPem } : {}),
            ...(withCert ? { cert: options.certPem, key: options.keyPem } : {}),
          })
        : undefined;
  }

  /** Rejects on network failure or abort; any HTTP status resolves. */
  request(req: TransportRequest): Promise<TransportResponse> {
    const url = new URL(this.#base.pathname.replace(/\/$/, '') + req.path, this.#base);
    if (req.query) url.search = req.query.toString();
    const headers: Record<string, string> = { 'user-agent': this.#o.userAgent ?? 'flotilla', ...req.headers };
    if (this.#o.token !== undefined) headers['authorization'] = `Bearer ${this.#o.token}`;
    const body = requestText(req);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const streaming = isWatch(req.query);
    return new Promise<TransportResponse>((resolve, reject) => {
      const r = httpsRequest(
        url,
        {
          method: req.method,
          headers,
          agent: this.#agent,
          ...(this.#tls !== undefined ? { secureContext: this.#tls } : {}),
          ...(this.#o.insecureSkipTlsVerify ? { rejectUnauthorized: false } : {}),
          ...(req.signal ? { signal: req.signal } : {}),
        },
        (res) => {
          res.setEncoding('utf8');
          const status = res.statusCode ?? 0;
          const out = { status, headers: flattenHeaders(res.headers) };
          if (streaming && status === 200) {
            resolve({ ...out, stream: chunksOf(res, req.signal) });
            return;
          }
          let text = '';
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ ...out, body: text }));
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      if (body !== undefined) r.write(body);
      r.end();
    });
  }
}

function isWatch(query: URLSearchParams | undefined): boolean {
  const w = query?.get('watch');
  return w === 'true' || w === '1' || query?.get('follow') === 'true';
}

async function* chunksOf(res: IncomingMessage, signal: AbortSignal | undefined): AsyncGenerator<string> {
  try {
    for await (const chunk of res) yield chunk as string;
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  } finally {
    res.destroy();
  }
}

function flattenHeaders(h: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = v;
  return out;
}
