/**
 * Composition root of `flotilla hub`: SQLite store (or memory), API server, HTTPS edge, PKI and
 * admin kubeconfig in the data directory, history compaction.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../base/logger.js';
import { SystemClock } from '../base/clock.js';
import type { Clock } from '../base/clock.js';
import { ApiServer } from '../apiserver/api-server.js';
import { HttpServer } from '../apiserver/http/http-server.js';
import { renderKubeconfig } from '../apiserver/http/kubeconfig.js';
import { ApiMetrics, instrumentStore } from '../apiserver/http/metrics.js';
import { ensurePki } from '../apiserver/http/pki.js';
import { Compactor } from '../storage/compactor.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';

export interface HubOptions {
  dataDir: string;
  host: string;
  port: number;
  storage: 'sqlite' | 'memory';
  log: Logger;
  clock?: Clock;
}

export interface RunningHub {
  /** `https://host:port` */
  url: string;
  port: number;
  kubeconfigPath: string;
  token: string;
  caPem: string;
  server: ApiServer;
  /** Stops serving and closes storage. */
  stop(): Promise<void>;
}

/** Starts a hub and resolves once it accepts connections. */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const clock = options.clock ?? new SystemClock();
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const pki = await ensurePki(options.dataDir, options.host);
  const metrics = new ApiMetrics();
  const raw: Store =
    options.storage === 'memory' ? new MemoryStore() : SqliteStore.open(join(options.dataDir, 'state.db'));
  const store = instrumentStore(raw, metrics);
  const server = new ApiServer({ store, clock, log: options.log });
  await server.start();
  const http = new HttpServer({
    handle: (req) => server.handle(req),
    tls: pki,
    token: pki.token,
    metrics,
    log: options.log,
  });
  const addr = await http.listen(options.host, options.port);
  const hostForUrl = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  const url = `https://${hostForUrl}:${addr.port}`;
  const kubeconfigPath = join(options.dataDir, 'kubeconfig');
  await writeFile(
    kubeconfigPath,
    renderKubeconfig([{ name: 'flotilla', server: url, caPem: pki.caPem, token: pki.token }]),
    { mode: 0o600 },
  );
  const stopping = new AbortController();
  const compactor = new Compactor(store, { clock, logger: options.log });
  const compaction = compactor.start(stopping.signal);
  options.log.info({ url, dataDir: options.dataDir, storage: options.storage }, 'hub serving');
  return {
    url,
    port: addr.port,
    kubeconfigPath,
    token: pki.token,
    caPem: pki.caPem,
    server,
    stop: async () => {
      stopping.abort();
      await http.close();
      await compaction;
      await raw.close();
    },
  };
}
