/**
 * `propagation`: a hub (SQLite, its own process) with a simulated fleet (default 100 clusters of 2
 * nodes, in this process) joined in push mode; Deployments (default 1,000) applied to the hub, each
 * propagated to the 10 clusters of its group by one of 10 PropagationPolicies. Measures, per
 * Deployment, the time from sending its create until it exists in all 10 members and until its
 * binding is FullyApplied. Two phases: a burst (all Deployments, 32 creates in flight: throughput,
 * Works per second, the hub's CPU, the fleet process's CPU) and then, with the burst in place, a
 * paced phase (PROP_BENCH_PACED Deployments at PROP_BENCH_PACED_RATE per second: the latency one
 * change sees in a loaded fleet, which is what Karmada's published P99 measures). Peak hub RSS over
 * both. Deployments have 0 replicas: this measures the control plane, not the simulated kubelets.
 * Goals (issue 5, at 10,000 Deployments): paced p99 < 1 s to every member; hub RSS < 2 GiB.
 * Scale with PROP_BENCH_CLUSTERS and PROP_BENCH_DEPLOYMENTS (e.g. 1000,10000). With
 * FLOTILLA_BENCH_FLEET_PROFILE=FILE, this process (the fleet) is CPU-profiled in the paced phase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../src/api/meta.js';
import { noopLogger } from '../src/base/logger.js';
import { ApiClient } from '../src/client/api-client.js';
import { PROPAGATION_POLICIES } from '../src/client/flotilla-resources.js';
import { HttpsTransport } from '../src/client/https-transport.js';
import { startSim } from '../src/cmd/sim.js';
import { generatedFleet } from '../src/simulator/fleet/fleet-spec.js';
import { followBindings } from './lib/binding-watch.js';
import { joinFleet, sampleProcess, until } from './lib/fleet.js';
import { spawnHub } from './lib/hub-process.js';
import { startCpuProfile } from './lib/cpu-profile.js';
import { forceGc, latencyStats, printTable, round, writeResult } from './lib/report.js';

const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const CLUSTER_COUNT = Number(env('PROP_BENCH_CLUSTERS', '100'));
const DEPLOYMENT_COUNTS = env('PROP_BENCH_DEPLOYMENTS', '1000').split(',').map(Number);
const GROUPS = 10;
const IN_FLIGHT = 32;
const LIMIT_MS = Number(env('PROP_BENCH_LIMIT_S', '1800')) * 1000;
const PACED_COUNT = Number(env('PROP_BENCH_PACED', '100'));
const PACED_RATE = Number(env('PROP_BENCH_PACED_RATE', '2'));
const PROGRESS_MS = Number(env('PROP_BENCH_PROGRESS_S', '30')) * 1000;

type Row = Record<string, string | number>;

/** Runs the benchmark; prints and records it. */
export async function runPropagation(): Promise<void> {
  // Each group's policy places on the clusters of that group: a group without one never propagates.
  if (!Number.isInteger(CLUSTER_COUNT) || CLUSTER_COUNT < GROUPS)
    throw new Error(
      `PROP_BENCH_CLUSTERS must be at least ${GROUPS} (one cluster per group), got ${CLUSTER_COUNT}`,
    );
  const rows: Row[] = [];
  for (const n of DEPLOYMENT_COUNTS) {
    rows.push(await once(n));
    process.stdout.write(`  ${n} deployments: ${JSON.stringify(rows.at(-1))}\n`);
  }
  printTable(
    `propagation: ${CLUSTER_COUNT} clusters, ${Math.ceil(CLUSTER_COUNT / GROUPS)} per Deployment`,
    rows,
  );
  const biggest = rows.at(-1);
  writeResult('propagation', {
    description:
      'Deployments applied to the hub until present in the 10 members of their group (push mode, simulated members, 0 replicas): a burst of N with 32 creates in flight, then paced Deployments at a steady rate with the burst in place; latencies from sending the create',
    clusters: CLUSTER_COUNT,
    rows,
    goals: {
      p99UnderOneSecond: biggest ? Number(biggest['paced p99 ms to members']) < 1000 : null,
      hubRssUnder2GiB: biggest ? Number(biggest['hub RSS MiB']) < 2048 : null,
      measuredAt10000: DEPLOYMENT_COUNTS.includes(10_000),
    },
  });
}

async function once(deployments: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-prop-'));
  const sim = await startSim({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    spec: generatedFleet(CLUSTER_COUNT, { nodesPerCluster: 2 }),
    storage: 'memory',
    log: noopLogger,
    events: false,
  });
  const hub = await spawnHub('sqlite');
  const client = new ApiClient(new HttpsTransport({ server: hub.url, caPem: hub.caPem, token: hub.token }));
  const sampler = sampleProcess(hub.pid);
  try {
    const members = sim.fleet.members();
    await joinFleet(client, sim, (i) => ({ group: `g${i % GROUPS}` }));
    for (let g = 0; g < GROUPS; g++)
      await client.create(
        { ...PROPAGATION_POLICIES, namespace: 'default' },
        {
          apiVersion: 'policy.flotilla.io/v1alpha1',
          kind: 'PropagationPolicy',
          metadata: { name: `g${g}`, namespace: 'default' },
          spec: {
            resourceSelectors: [
              {
                apiVersion: 'apps/v1',
                kind: 'Deployment',
                labelSelector: { matchLabels: { group: `g${g}` } },
              },
            ],
            placement: { clusterAffinity: { labelSelector: { matchLabels: { group: `g${g}` } } } },
          },
        },
      );

    const sent = new Map<string, number>();
    const seen = new Map<string, number>();
    const arrived = new Map<string, number>();
    const targets = Math.ceil(members.length / GROUPS);
    for (const m of members)
      m.cluster.informers.informer({ apiVersion: 'apps/v1', plural: 'deployments' }).addHandlers({
        onAdd: (d) => {
          const name = d.metadata.name ?? '';
          const count = (seen.get(name) ?? 0) + 1;
          seen.set(name, count);
          if (count === targets) arrived.set(name, performance.now());
        },
      });
    const applied = new Map<string, number>();
    const done = (name: string): boolean => arrived.has(name) && applied.has(name);
    const create = async (name: string, i: number): Promise<void> => {
      sent.set(name, performance.now());
      await client.create(
        { apiVersion: 'apps/v1', plural: 'deployments', namespace: 'default' },
        deployment(name, `g${i % GROUPS}`),
      );
    };
    const watching = await followBindings(client, (b) => {
      const name = b.spec?.resource?.name ?? '';
      if (
        !applied.has(name) &&
        b.status?.conditions?.some((c) => c.type === 'FullyApplied' && c.status === 'True')
      )
        applied.set(name, performance.now());
      return false; // followed until the run ends
    });
    const cpuBefore = sampler.cpuSeconds();
    const simCpuBefore = process.cpuUsage();
    hub.startProfile(); // the hub profiles the burst only
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < deployments) {
          const i = next++;
          await create(`app-${i}`, i);
        }
      }),
    );
    const burst = Array.from({ length: deployments }, (_, i) => `app-${i}`);
    const progress = reportProgress(
      () => `${arrived.size} in members, ${applied.size} FullyApplied`,
      sampler,
    );
    await until(async () => Promise.resolve(burst.every(done)), LIMIT_MS).finally(() =>
      clearInterval(progress),
    );
    const end = Math.max(...burst.map((n) => Math.max(arrived.get(n) ?? 0, applied.get(n) ?? 0)));
    const seconds = (end - t0) / 1000;
    const hubCpu = sampler.cpuSeconds() - cpuBefore;
    const fleetCpu = cpuSecondsSince(simCpuBefore);
    await hub.endProfile();

    // With the burst in place, Deployments one at a time at a steady rate: the latency one change
    // sees in a loaded fleet (Karmada's SLI, measured at 0.1 creates/s), not the burst's queue.
    const paced = Array.from({ length: PACED_COUNT }, (_, i) => `paced-${i}`);
    // The members and this measurement share one event loop: a long stall here (a full collection
    // of the fleet's heap) delays what is recorded as arrival, whatever the hub did. With 100
    // clusters' objects (about 2 GiB live at 10,000) such a collection pauses 0.1-2 s and comes
    // every 15-120 s, so whether one fell in this phase's 50 s was chance. The simulator's heap
    // (this process only; the hub's is untouched) is collected first, and the stall still recorded.
    forceGc();
    const endFleetProfile = await startCpuProfile(process.env['FLOTILLA_BENCH_FLEET_PROFILE']);
    const fleetStalls = monitorEventLoopDelay({ resolution: 20 });
    fleetStalls.enable();
    const p0 = performance.now();
    for (const [i, name] of paced.entries()) {
      await sleep(p0 + (i * 1000) / PACED_RATE - performance.now());
      await create(name, i);
    }
    await until(async () => Promise.resolve(paced.every(done)), LIMIT_MS);
    fleetStalls.disable();
    await endFleetProfile();
    watching.stop();
    await watching.done;
    const works = deployments * targets;
    const toMembers = (names: string[]) =>
      latencyStats(names.map((n) => (arrived.get(n) ?? NaN) - (sent.get(n) ?? NaN)));
    const toApplied = (names: string[]) =>
      latencyStats(names.map((n) => (applied.get(n) ?? NaN) - (sent.get(n) ?? NaN)));
    return {
      deployments,
      'burst p50 ms to members': toMembers(burst).p50Ms,
      'burst p99 ms to members': toMembers(burst).p99Ms,
      'burst p99 ms to FullyApplied': toApplied(burst).p99Ms,
      'burst s': round(seconds, 1),
      'Works/s': round(works / seconds, 0),
      'hub CPU %': round((hubCpu / seconds) * 100, 0),
      'hub CPU ms per Work': round((hubCpu * 1000) / works, 1),
      'fleet CPU %': round((fleetCpu / seconds) * 100, 0),
      'paced per s': PACED_RATE,
      'paced p50 ms to members': toMembers(paced).p50Ms,
      'paced p99 ms to members': toMembers(paced).p99Ms,
      'paced p50 ms to FullyApplied': toApplied(paced).p50Ms,
      'paced p99 ms to FullyApplied': toApplied(paced).p99Ms,
      'paced fleet max stall ms': round(fleetStalls.max / 1e6, 0),
      'hub RSS MiB': round(sampler.peakRssMiB(), 0),
    };
  } finally {
    sampler.stop();
    await hub.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds this process (the simulated fleet and the benchmark's watches) used since `before`. */
function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

function deployment(name: string, group: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { group } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
    },
  };
}

/** Every PROGRESS_MS, prints where the burst is: `what()`, the hub's CPU and RSS, this process's. */
function reportProgress(what: () => string, hub: ReturnType<typeof sampleProcess>): NodeJS.Timeout {
  const t0 = performance.now();
  let last = { at: t0, hub: hub.cpuSeconds(), fleet: process.cpuUsage() };
  return setInterval(() => {
    const now = { at: performance.now(), hub: hub.cpuSeconds(), fleet: process.cpuUsage() };
    const s = (now.at - last.at) / 1000;
    const pct = (cpu: number) => `${round((cpu / s) * 100, 0)}%`;
    process.stdout.write(
      `    ${round((now.at - t0) / 1000, 0)} s: ${what()}; hub CPU ${pct(now.hub - last.hub)}, RSS ${round(hub.peakRssMiB(), 0)} MiB peak; fleet CPU ${pct(cpuSecondsSince(last.fleet))}, RSS ${round(process.memoryUsage.rss() / 2 ** 20, 0)} MiB\n`,
    );
    last = now;
  }, PROGRESS_MS);
}
