/**
 * Prometheus metrics of the API server, named after kube-apiserver's: request counts and latencies
 * by verb/resource/code, open watches, and storage operation latency.
 */
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
