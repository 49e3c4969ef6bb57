/**
 * `sim`: one process, a fleet of simulated clusters (default 100 clusters x 100 nodes), 100,000
 * pods created through Deployments (10 per cluster). Measures pods per second reaching Running,
 * time until all are Ready, peak RSS, and the latency of the hub-facing API of the clusters while
 * it happens (PROBERS probers each GET a random cluster's pods, `limit=1`, over HTTPS, 50 ms
 * after their last answer, on connections opened before the load, as the hub keeps its own open;
 * several, so that the p99 of a run of 15 s rests on some 500 samples rather than 100).
 * Goals: >= 2,000 pods/s to Running; RSS < 4 GiB; prober p99 < 200 ms.
 * Scale with SIM_BENCH_CLUSTERS, SIM_BENCH_NODES, SIM_BENCH_PODS (e.g. 10 / 100 / 10000 for a quick run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopLogger } from '../src/base/logger.js';
import type { KubeObject } from '../src/api/meta.js';
import { ApiClient } from '../src/client/api-client.js';
import { HttpsTransport } from '../src/client/https-transport.js';
import { startSim } from '../src/cmd/sim.js';
import { generatedFleet } from '../src/simulator/fleet/fleet-spec.js';
import { latencyStats, printTable, round, writeResult } from './lib/report.js';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const CLUSTERS = env('SIM_BENCH_CLUSTERS', 100);
const NODES = env('SIM_BENCH_NODES', 100);
const PODS = env('SIM_BENCH_PODS', 100_000);
const DEPLOYMENTS_PER_CLUSTER = 10;
const PROBERS = 4;
const TIME_LIMIT_MS = env('SIM_BENCH_LIMIT_S', 900) * 1000;
const PODS_REF = { apiVersion: 'v1', plural: 'pods' };

function deployment(name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } },
          ],
        },
      },
    },
  };
}

/** Runs the benchmark; prints and records it. */
export async function runSimFleet(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-sim-'));
  const rss: number[] = [];
  const sampleRss = (): number => {
    const v = process.memoryUsage().rss / 2 ** 20;
    rss.push(v);
    return v;
  };
  const t0 = performance.now();
  const sim = await startSim({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    spec: generatedFleet(CLUSTERS, { nodesPerCluster: NODES }),
    storage: 'memory',
    log: noopLogger,
    events: false,
    timing: { kubelet: { readinessDelayMs: 0 }, endpointBatchMs: 1000 },
  });
  const members = sim.fleet.members();
  const ready = await waitFor(() => members.every((m) => nodeCount(m.cluster) === NODES), 600_000);
  const fleetUpMs = performance.now() - t0;
  process.stdout.write(
    `fleet up: ${members.length} clusters x ${NODES} nodes in ${(fleetUpMs / 1000).toFixed(1)} s (${ready ? 'ok' : 'timed out'})\n`,
  );
  const latencies: number[] = [];
  const stopProbe = new AbortController();
  // Each prober its own connections: two requests at once on one client would open a second one.
  const probers: Map<string, ApiClient>[] = [];
  for (let i = 0; i < PROBERS; i++) probers.push(await probeClients(sim));
  const probe = Promise.all(probers.map((clients) => runProber(clients, latencies, stopProbe.signal)));
  const rssTimer = setInterval(sampleRss, 1000);
  const perCluster = Math.floor(PODS / CLUSTERS);
  const start = performance.now();
  for (const m of members) {
    const client = m.cluster.client;
    for (let d = 0; d < DEPLOYMENTS_PER_CLUSTER; d++) {
      const replicas =
        Math.floor(perCluster / DEPLOYMENTS_PER_CLUSTER) + (d < perCluster % DEPLOYMENTS_PER_CLUSTER ? 1 : 0);
      await client.create(
        { apiVersion: 'apps/v1', plural: 'deployments', namespace: 'default' },
        deployment(`app-${d}`, replicas),
      );
    }
  }
  const total = perCluster * CLUSTERS;
  const progress: { s: number; running: number; ready: number }[] = [];
  let runningAt: number | undefined;
  let readyAt: number | undefined;
  while (performance.now() - start < TIME_LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 1000));
    let running = 0;
    let readyCount = 0;
    for (const m of members)
      for (const p of m.cluster.informers.informer(PODS_REF).list()) {
        const status = p['status'] as
          { phase?: string; conditions?: { type: string; status: string }[] } | undefined;
        if (status?.phase === 'Running') {
          running++;
          if (status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) readyCount++;
        }
      }
    const s = (performance.now() - start) / 1000;
    progress.push({ s: round(s, 1), running, ready: readyCount });
    if (progress.length % 10 === 0)
      process.stdout.write(
        `  ${s.toFixed(0)} s: ${running} running, ${readyCount} ready, rss ${sampleRss().toFixed(0)} MiB\n`,
      );
    if (runningAt === undefined && running >= total) runningAt = s;
    if (readyAt === undefined && readyCount >= total) readyAt = s;
    if (runningAt !== undefined && readyAt !== undefined) break;
  }
  clearInterval(rssTimer);
  stopProbe.abort();
  await probe;
  const lat = latencyStats(latencies);
  const last = progress.at(-1);
  const podsPerSec = runningAt !== undefined ? total / runningAt : (last?.running ?? 0) / (last?.s ?? 1);
  const peakRss = Math.max(...rss, sampleRss());
  const result = {
    clusters: CLUSTERS,
    nodesPerCluster: NODES,
    pods: total,
    fleetUpSeconds: round(fleetUpMs / 1000, 1),
    allRunningSeconds: runningAt ?? null,
    allReadySeconds: readyAt ?? null,
    podsPerSecondToRunning: round(podsPerSec, 0),
    peakRssMiB: round(peakRss, 0),
    probe: lat,
    goals: {
      podsPerSecond2000: podsPerSec >= 2000,
      rssUnder4GiB: peakRss < 4096,
      probeP99Under200ms: lat.p99Ms < 200,
    },
    progress,
  };
  printTable(`sim: ${CLUSTERS} clusters x ${NODES} nodes, ${total} pods through Deployments`, [
    {
      'pods/s to Running': result.podsPerSecondToRunning,
      'all Running s': runningAt ?? 'not reached',
      'all Ready s': readyAt ?? 'not reached',
      'peak RSS MiB': result.peakRssMiB,
      'probe p50 ms': lat.p50Ms,
      'probe p99 ms': lat.p99Ms,
      'probe max ms': lat.maxMs,
    },
  ]);
  // The full-scale run is `sim`; smaller runs are kept beside it under their own scale.
  const full = CLUSTERS === 100 && NODES === 100 && total === 100_000;
  writeResult(full ? 'sim' : `sim-${CLUSTERS}x${NODES}x${total >= 1000 ? `${total / 1000}k` : total}`, {
    description: 'Simulated fleet in one process: pods to Running, RSS, API latency under load',
    ...result,
  });
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
}

function nodeCount(cluster: {
  informers: { informer(ref: { apiVersion: string; plural: string }): { list(): readonly unknown[] } };
}): number {
  return cluster.informers.informer({ apiVersion: 'v1', plural: 'nodes' }).list().length;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

/**
 * One HTTPS client per cluster, each with its connection open (one GET before the load): the hub
 * keeps its connections to members alive, so the probe measures requests, not TLS handshakes.
 */
async function probeClients(sim: Awaited<ReturnType<typeof startSim>>): Promise<Map<string, ApiClient>> {
  const clients = new Map<string, ApiClient>();
  for (const m of sim.fleet.members()) {
    const name = m.cluster.name;
    const client = new ApiClient(
      new HttpsTransport({ server: sim.clusterUrl(name), caPem: sim.caPem, token: sim.token }),
    );
    await client.list({ ...PODS_REF, namespace: 'default' }, { limit: 1 });
    clients.set(name, client);
  }
  return clients;
}

/** GETs one pod of a random cluster over HTTPS, 50 ms after each answer, recording each latency. */
async function runProber(
  clients: Map<string, ApiClient>,
  into: number[],
  signal: AbortSignal,
): Promise<void> {
  const names = [...clients.keys()];
  while (!signal.aborted) {
    const name = names[Math.floor(Math.random() * names.length)] ?? '';
    const t = performance.now();
    try {
      await clients.get(name)?.list({ ...PODS_REF, namespace: 'default' }, { limit: 1 });
      into.push(performance.now() - t);
    } catch {
      into.push(performance.now() - t);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
