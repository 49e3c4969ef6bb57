/**
 * Composition root of `flotilla sim`: a fleet of simulated clusters behind one HTTPS listener,
 * with its own CA, serving certificate and token in the data directory, and a kubeconfig with one
 * context per cluster (`https://host:port/clusters/<name>`). Cluster state is kept in
 * `<dir>/clusters/<name>.db` (sqlite) or in memory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../base/clock.js';
import { SystemClock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { HttpServer } from '../apiserver/http/http-server.js';
import { renderKubeconfig } from '../apiserver/http/kubeconfig.js';
import { ApiMetrics } from '../apiserver/http/metrics.js';
import { ensurePki } from '../apiserver/http/pki.js';
import { buildMember } from '../simulator/cluster/member-profile.js';
import type { MemberTiming } from '../simulator/cluster/member-profile.js';
import { Fleet, innerClusterPath } from '../simulator/fleet/fleet.js';
import type { FleetSpec } from '../simulator/fleet/fleet-spec.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';

/** Options of `startSim`. */
export interface SimOptions {
  dataDir: string;
  host: string;
  port: number;
  spec: FleetSpec;
  storage: 'sqlite' | 'memory';
  log: Logger;
  clock?: Clock;
  /** Record Events in the clusters (default true). */
  events?: boolean;
  /** Kubelet and controller timings (defaults: realistic). */
  timing?: MemberTiming;
}

/** A running fleet. */
export interface RunningSim {
  /** `https://host:port` */
  url: string;
  port: number;
  kubeconfigPath: string;
  token: string;
  caPem: string;
  fleet: Fleet;
  /** The kubeconfig server URL of cluster `name`. */
  clusterUrl(name: string): string;
  /** Stops every cluster, stops serving and closes the stores. */
  stop(): Promise<void>;
}

/** Starts the fleet and resolves once every cluster answers. */
export async function startSim(options: SimOptions): Promise<RunningSim> {
  const clock = options.clock ?? new SystemClock();
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const pki = await ensurePki(options.dataDir, options.host);
  const stores: Store[] = [];
  if (options.storage === 'sqlite') await mkdir(join(options.dataDir, 'clusters'), { recursive: true });
  const members = options.spec.clusters.map((spec, index) => {
    const store =
      options.storage === 'memory'
        ? new MemoryStore()
        : SqliteStore.open(join(options.dataDir, 'clusters', `${spec.name}.db`));
    stores.push(store);
    return buildMember(spec, {
      store,
      clock,
      log: options.log,
      events: options.events ?? true,
      index,
      ...(options.timing ? { timing: options.timing } : {}),
    });
  });
  const fleet = new Fleet({ spec: options.spec, clock, log: options.log, members });
  const stopping = new AbortController();
  const running = fleet.start(stopping.signal).catch((err: unknown) => {
    options.log.error({ err: err instanceof Error ? err.message : String(err) }, 'fleet failed');
  });
  await fleet.ready();
  const http = new HttpServer({
    handle: (req) => fleet.handle(req),
    innerPath: innerClusterPath,
    gate: fleet.faults,
    tls: pki,
    token: pki.token,
    metrics: new ApiMetrics(),
    log: options.log,
  });
  // A cluster that goes down or gets partitioned loses its open connections (watches) at once.
  fleet.faults.onChange((cluster, fault) => {
    if (fault?.kind === 'down' || fault?.kind === 'partition')
      http.dropWhere((path) => path === `/clusters/${cluster}` || path.startsWith(`/clusters/${cluster}/`));
  });
  const addr = await http.listen(options.host, options.port);
  const hostForUrl = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  const url = `https://${hostForUrl}:${addr.port}`;
  const clusterUrl = (name: string): string => `${url}/clusters/${name}`;
  const kubeconfigPath = join(options.dataDir, 'kubeconfig');
  await writeFile(
    kubeconfigPath,
    renderKubeconfig(
      options.spec.clusters.map((c) => ({
        name: c.name,
        server: clusterUrl(c.name),
        caPem: pki.caPem,
        token: pki.token,
      })),
    ),
    { mode: 0o600 },
  );
  await writeFile(
    join(options.dataDir, 'sim.json'),
    `${JSON.stringify({ url, pid: process.pid }, null, 2)}\n`,
  );
  options.log.info({ url, clusters: options.spec.clusters.length }, 'fleet serving');
  return {
    url,
    port: addr.port,
    kubeconfigPath,
    token: pki.token,
    caPem: pki.caPem,
    fleet,
    clusterUrl,
    stop: async () => {
      stopping.abort();
      await http.close();
      await running;
      for (const store of stores) await store.close();
    },
  };
}
