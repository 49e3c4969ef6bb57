/**
 * A simulated cluster's own HTTPS endpoint, as a real cluster's API server has one: the cluster's
 * API at the root of its own port. While the cluster is `down` the endpoint does not listen, so
 * clients get "connection refused" exactly as from a cluster whose API server is gone; it listens
 * again, on the same port, when the fault changes. Partitions and latency act through the fleet's
 * fault gate, as on the shared port.
 */
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { HttpServer } from '../../apiserver/http/http-server.js';
import type { ApiMetrics } from '../../apiserver/http/metrics.js';
import type { ApiRequest, ApiResponse } from '../../apiserver/request.js';
import type { FaultInjector } from '../faults/faults.js';

const RELISTEN_RETRY_MS = 1000;

/** Options of `ClusterEndpoint`. */
export interface ClusterEndpointOptions {
  name: string;
  handle: (req: ApiRequest) => Promise<ApiResponse>;
  faults: FaultInjector;
  tls: { certPem: string; keyPem: string };
  token: string;
  metrics: ApiMetrics;
  clock: Clock;
  log: Logger;
}

/** One cluster's listener, open unless the cluster is down. */
export class ClusterEndpoint {
  readonly #o: ClusterEndpointOptions;
  readonly #http: HttpServer;
  readonly #unsubscribe: () => void;
  #host = '';
  #port = 0;
  #listening = false;
  #stopped = false;
  /** Listen/close transitions run one at a time, in order. */
  #chain: Promise<void> = Promise.resolve();

  constructor(options: ClusterEndpointOptions) {
    this.#o = options;
    const { name, faults } = options;
    this.#http = new HttpServer({
      handle: options.handle,
      gate: { admit: (_path, signal) => faults.admitTo(name, signal) },
      tls: options.tls,
      token: options.token,
      metrics: options.metrics,
      log: options.log,
    });
    this.#unsubscribe = faults.onChange((cluster, fault) => {
      if (cluster !== name) return;
      if (fault?.kind === 'partition') this.#http.dropWhere(() => true);
      this.#reconcile();
    });
  }

  /** The port the endpoint serves on (0 before `listen`). */
  get port(): number {
    return this.#port;
  }

  /** Binds host:port (0 = any free port; the port is kept for later re-listens). */
  async listen(host: string, port: number): Promise<AddressInfo> {
    const addr = await this.#http.listen(host, port);
    this.#host = host;
    this.#port = addr.port;
    this.#listening = true;
    this.#reconcile();
    return addr;
  }

  /** Stops listening for good and closes open connections. */
  async close(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe();
    await this.#chain;
    if (this.#listening) await this.#http.close();
    this.#listening = false;
  }

  /** Moves toward the wanted state: listening unless down (or stopped). */
  #reconcile(): void {
    this.#chain = this.#chain.then(async () => {
      const want = !this.#stopped && this.#o.faults.get(this.#o.name)?.kind !== 'down';
      if (want === this.#listening) return;
      if (!want) {
        this.#listening = false;
        await this.#http.close();
        return;
      }
      try {
        await this.#http.listen(this.#host, this.#port);
        this.#listening = true;
      } catch (err) {
        this.#o.log.warn(
          { cluster: this.#o.name, port: this.#port, err: String(err) },
          'cluster endpoint cannot listen again; retrying',
        );
        await this.#o.clock.sleep(RELISTEN_RETRY_MS);
        this.#reconcile();
      }
    });
  }
}
