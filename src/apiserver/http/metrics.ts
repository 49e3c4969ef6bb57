/**
 * Prometheus metrics of the API server, named after kube-apiserver's: request counts and latencies
 * by verb/resource/code, open watches, and storage operation latency.
 */
import { StatusError } from '../../api/status.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type {
  KeyValue,
  RangeOptions,
  RangeResult,
  Store,
  StoreEvent,
  TxnResult,
  WatchOptions,
} from '../../storage/store.js';
import type { ApiRequest, ApiResponse } from '../request.js';
import { parseRoute } from '../router.js';
import type { Route } from '../router.js';

export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Requests by verb, resource and HTTP code.',
    labelNames: ['verb', 'resource', 'code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Request latency by verb and resource (watches excluded).',
    labelNames: ['verb', 'resource'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly watches = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: 'Open watch streams by resource.',
    labelNames: ['resource'] as const,
    registers: [this.registry],
  });
  readonly storage = new Histogram({
    name: 'flotilla_storage_operation_duration_seconds',
    help: 'Storage operation latency by operation.',
    labelNames: ['operation'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

/** Wraps a store so each operation's latency is observed. */
export function instrumentStore(store: Store, metrics: ApiMetrics): Store {
  const time = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    const end = metrics.storage.startTimer({ operation });
    try {
      return await fn();
    } finally {
      end();
    }
  };
  return {
    currentRevision: () => store.currentRevision(),
    compactedRevision: () => store.compactedRevision(),
    get: (key: string, options?: { revision?: number }): Promise<KeyValue | undefined> =>
      time('get', () => store.get(key, options)),
    range: (prefix: string, options?: RangeOptions): Promise<RangeResult> =>
      time('list', () => store.range(prefix, options)),
    create: (key: string, value: string): Promise<TxnResult> =>
      time('create', () => store.create(key, value)),
    update: (key: string, value: string, rev: number): Promise<TxnResult> =>
      time('update', () => store.update(key, value, rev)),
    delete: (key: string, rev: number): Promise<TxnResult> => time('delete', () => store.delete(key, rev)),
    watch: (prefix: string, options: WatchOptions): AsyncIterable<StoreEvent> => store.watch(prefix, options),
    compact: (rev: number) => time('compact', () => store.compact(rev)),
    close: () => store.close(),
  };
}

/** The metric labels of a request: kube's verb names and the resource (or the path for non-resource URLs). */
export function requestLabels(
  method: string,
  path: string,
  query: URLSearchParams,
): { verb: string; resource: string } {
  let route: Route;
  try {
    route = parseRoute(path);
  } catch {
    return { verb: method.toLowerCase(), resource: 'invalid-path' };
  }
  if (route.type !== 'resource')
    return { verb: method.toLowerCase(), resource: route.type === 'other' ? path : 'discovery' };
  const resource = route.subresource ? `${route.plural}/${route.subresource}` : route.plural;
  const w = query.get('watch');
  const collection = route.name === undefined;
  const verbs: Record<string, string> = {
    GET: collection ? (w === 'true' || w === '1' ? 'watch' : 'list') : 'get',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: collection ? 'deletecollection' : 'delete',
  };
  return { verb: verbs[method] ?? method.toLowerCase(), resource };
}

/**
 * Wraps the API server's `handle` so requests that never cross HTTP (the hub's own controllers,
 * through a local transport) are counted in `apiserver_request_total` too, as kube-apiserver counts
 * its loopback clients' requests.
 */
export function countedHandle<R extends ApiRequest>(
  handle: (req: R) => Promise<ApiResponse>,
  metrics: ApiMetrics,
): (req: R) => Promise<ApiResponse> {
  return async (req) => {
    const { verb, resource } = requestLabels(req.method, req.path, req.query);
    let code = 500;
    try {
      const res = await handle(req);
      code = res.status;
      return res;
    } catch (err) {
      if (err instanceof StatusError) code = err.code;
      throw err;
    } finally {
      metrics.requests.inc({ verb, resource, code: String(code) });
    }
  };
}
