/**
 * Composition root of `flotilla up`: the hub (SQLite in DIR) and a simulated fleet (DIR/sim) in
 * one process, every simulated cluster joined to the hub in push mode over HTTPS as a real member
 * would be, and DIR/kubeconfig holding a context `flotilla` for the hub plus one per member. It
 * resolves once the hub reports every member Ready from a probe made by this process (not a
 * status left from an earlier run).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cluster } from '../api/flotilla/cluster.js';
import { conditionStatus, isClusterReady } from '../api/flotilla/cluster.js';
import { SystemClock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { renderKubeconfig } from '../apiserver/http/kubeconfig.js';
import { ApiClient } from '../client/api-client.js';
import { CLUSTERS } from '../client/flotilla-resources.js';
import { localTransport } from '../client/local-transport.js';
import type { FleetSpec } from '../simulator/fleet/fleet-spec.js';
import { CommandError } from './flags.js';
import { lockDataDir, startHub } from './hub.js';
import type { HubOptions, RunningHub } from './hub.js';
import { joinCluster } from './join-cluster.js';
import { startSim } from './sim.js';
import type { RunningSim } from './sim.js';

/** The steps `up` reports as it goes. */
export type UpStep = 'fleet' | 'hub' | 'join' | 'ready';

export interface UpOptions {
  dataDir: string;
  host: string;
  /** The hub's port; the fleet listens on the next one and its clusters after it (0: any free ports). */
  port: number;
  spec: FleetSpec;
  log: Logger;
  /** Called when a step starts and when it has finished (with its duration). */
  progress?: (step: UpStep, done?: { ms: number }) => void;
  /** How long to wait for every member to be Ready (default 60 s). */
  readyTimeoutMs?: number;
  /** Member health checks (ms; default every 10 s, 40 s of grace before NotReady). */
  clusterStatus?: HubOptions['clusterStatus'];
  /** Rebalancing (default: 30 s of recovery before workloads move back). */
  rebalance?: HubOptions['rebalance'];
  /** Aborts a hub still standing by for another one on the same data directory. */
  signal?: AbortSignal;
  /** Another `up` or hub is active on the data directory: this one stands by. */
  onStandby?: () => void;
}

export interface RunningUp {
  hub: RunningHub;
  sim: RunningSim;
  /** DIR/kubeconfig: context `flotilla` (the hub, current) and one context per member. */
  kubeconfigPath: string;
  /** The members as the hub reports them, in fleet order. */
  clusters: Cluster[];
  /** Stops the hub's controllers first (so nothing marks members lost), then the fleet. */
  stop(): Promise<void>;
}

/** Starts the hub and the fleet, joins the fleet, waits until it is Ready. */
export async function startUp(o: UpOptions): Promise<RunningUp> {
  const step = async <T>(name: UpStep, fn: () => Promise<T>): Promise<T> => {
    o.progress?.(name);
    const started = performance.now();
    const result = await fn();
    o.progress?.(name, { ms: performance.now() - started });
    return result;
  };
  const startedAt = Date.now();
  // The data directory first (one `up` or hub at a time), then the fleet, so that a hub resuming
  // earlier state finds its members answering at once.
  const lock = await lockDataDir(o, new SystemClock());
  let sim: RunningSim;
  try {
    sim = await step('fleet', () =>
      startSim({
        dataDir: join(o.dataDir, 'sim'),
        host: o.host,
        port: o.port === 0 ? 0 : o.port + 1,
        spec: o.spec,
        storage: 'sqlite',
        log: o.log,
      }),
    );
  } catch (err) {
    lock.release();
    throw err;
  }
  let hub: RunningHub | undefined;
  try {
    hub = await step('hub', () =>
      startHub({
        dataDir: o.dataDir,
        host: o.host,
        port: o.port,
        storage: 'sqlite',
        log: o.log,
        ...(o.clusterStatus ? { clusterStatus: o.clusterStatus } : {}),
        ...(o.rebalance ? { rebalance: o.rebalance } : {}),
        lock,
      }),
    );
    const running = sim;
    const started = hub;
    const client = new ApiClient(localTransport(started.server));
    await step('join', async () => {
      for (const c of o.spec.clusters)
        await joinCluster(client, {
          name: c.name,
          member: { server: running.clusterUrl(c.name), caPem: running.caPem, token: running.token },
          region: c.region,
          zones: c.zones,
          provider: c.provider,
          labels: c.labels,
        });
    });
    const clusters = await step('ready', () =>
      untilReady(client, {
        names: o.spec.clusters.map((c) => c.name),
        since: startedAt,
        timeoutMs: o.readyTimeoutMs ?? 60_000,
      }),
    );
    const kubeconfigPath = join(o.dataDir, 'kubeconfig');
    await writeFile(
      kubeconfigPath,
      renderKubeconfig([
        { name: 'flotilla', server: started.url, caPem: started.caPem, token: started.token },
        ...o.spec.clusters.map((c) => ({
          name: c.name,
          server: running.clusterUrl(c.name),
          caPem: running.caPem,
          token: running.token,
        })),
      ]),
      { mode: 0o600 },
    );
    return {
      hub: started,
      sim: running,
      kubeconfigPath,
      clusters,
      stop: async () => {
        await started.stop();
        await running.stop();
      },
    };
  } catch (err) {
    if (hub) await hub.stop();
    else lock.release();
    await sim.stop();
    throw err;
  }
}

/**
 * Waits until every cluster of `names` is Ready with a heartbeat at or after `since` (a probe of
 * this run); a `CommandError` naming the laggards and why when `timeoutMs` passes.
 */
async function untilReady(
  client: ApiClient,
  w: { names: readonly string[]; since: number; timeoutMs: number },
): Promise<Cluster[]> {
  const deadline = Date.now() + w.timeoutMs;
  const fresh = (c: Cluster): boolean =>
    isClusterReady(c) && Date.parse(c.status?.lastHeartbeatTime ?? '') >= w.since;
  for (;;) {
    const byName = new Map(
      (await client.list<Cluster>(CLUSTERS)).items.map((c) => [c.metadata.name ?? '', c]),
    );
    const clusters = w.names.map((n) => byName.get(n));
    if (clusters.every((c) => c && fresh(c))) return clusters as Cluster[];
    if (Date.now() >= deadline) {
      const laggards = w.names
        .filter((n) => {
          const c = byName.get(n);
          return !c || !fresh(c);
        })
        .map((n) => {
          const ready = byName.get(n) && conditionStatus(byName.get(n) as Cluster, 'Ready');
          return ready?.message ? `${n} (${ready.message})` : n;
        });
      throw new CommandError(`not Ready after ${Math.round(w.timeoutMs / 1000)} s: ${laggards.join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
