/**
 * Composition root of `flotilla sim`: a fleet of simulated clusters, each with its own HTTPS
 * endpoint (port PORT+1+i, or any free port when PORT is 0) and all of them also behind the
 * fleet's listener at `https://host:PORT/clusters/<name>`, which serves the control API too. One
 * CA, serving certificate and token in the data directory; a kubeconfig with one context per
 * cluster (its own endpoint). Cluster state is kept in `<dir>/clusters/<name>.db` (sqlite) or in
 * memory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
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
import { ClusterEndpoint } from '../simulator/fleet/endpoint.js';
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
  /** `https://host:port`: the fleet's listener (control API, clusters under /clusters/<name>). */
  url: string;
  port: number;
  kubeconfigPath: string;
  token: string;
  caPem: string;
  fleet: Fleet;
  /** The URL of cluster `name`'s own endpoint (its kubeconfig server URL). */
  clusterUrl(name: string): string;
  /** Cluster `name` through the fleet's listener: `https://host:port/clusters/<name>`. */
  clusterPathUrl(name: string): string;
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
  const metrics = new ApiMetrics();
  const http = new HttpServer({
    handle: (req) => fleet.handle(req),
    innerPath: innerClusterPath,
    gate: fleet.faults,
    tls: pki,
    token: pki.token,
    metrics,
    log: options.log,
  });
  // A cluster that goes down or gets partitioned loses its open connections (watches) at once.
  fleet.faults.onChange((cluster, fault) => {
    if (fault?.kind === 'down' || fault?.kind === 'partition')
      http.dropWhere((path) => path === `/clusters/${cluster}` || path.startsWith(`/clusters/${cluster}/`));
  });
  const shutdown = async (endpoints: Iterable<ClusterEndpoint>): Promise<void> => {
    stopping.abort();
    for (const endpoint of endpoints) await endpoint.close();
    await http.close();
    await running;
    for (const store of stores) await store.close();
  };
  let addr: AddressInfo;
  const endpoints = new Map<string, ClusterEndpoint>();
  try {
    addr = await http.listen(options.host, options.port);
    for (const [i, member] of fleet.members().entries()) {
      const endpoint = new ClusterEndpoint({
        name: member.cluster.name,
        handle: (req) => member.cluster.handle(req),
        faults: fleet.faults,
        tls: pki,
        token: pki.token,
        metrics,
        clock,
        log: options.log,
      });
      endpoints.set(member.cluster.name, endpoint);
      await listenOrExplain(endpoint, {
        host: options.host,
        port: options.port === 0 ? 0 : addr.port + 1 + i,
        name: member.cluster.name,
      });
    }
  } catch (err) {
    await shutdown(endpoints.values());
    throw err;
  }
  const urlOf = (port: number): string =>
    `https://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${port}`;
  const url = urlOf(addr.port);
  for (const [name, endpoint] of endpoints) fleet.setUrl(name, urlOf(endpoint.port));
  const clusterPathUrl = (name: string): string => `${url}/clusters/${name}`;
  const clusterUrl = (name: string): string => urlOf(endpoints.get(name)?.port ?? addr.port);
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
    clusterPathUrl,
    stop: () => shutdown(endpoints.values()),
  };
}

/** Binds a cluster's endpoint; a port in use becomes an error that says what to change. */
async function listenOrExplain(
  endpoint: ClusterEndpoint,
  at: { host: string; port: number; name: string },
): Promise<void> {
  try {
    await endpoint.listen(at.host, at.port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(
        `port ${at.port} for cluster ${at.name} is in use (clusters listen on the ports after --listen's); ` +
          'choose another --listen port',
      );
    throw err;
  }
}
