/**
 * `failover`: a hub (SQLite, its own process) with a simulated fleet (default 50 clusters of 4
 * nodes, in this process) joined in push mode, and workloads (default 2,000 Deployments of 5
 * replicas, one per cluster of a group of 5 clusters). Then 5 clusters, one per group, go down at
 * once. For every affected workload it measures, from the fault:
 *   detection   — its cluster turns NotReady/Unknown on the hub (probe interval + grace period),
 *   eviction    — the binding is evicted from it (+ eviction delay),
 *   rescheduled — the binding's decision places all replicas on live clusters again,
 *   applied     — the live members' Deployments ask for all its replicas (the hub's part is done),
 *   ready       — the members hold all its replicas Ready again (member start included).
 * Goal (issue 7): every affected replica Ready elsewhere within detection + eviction delay + 5 s.
 * Scale with FAIL_BENCH_CLUSTERS, FAIL_BENCH_WORKLOADS, FAIL_BENCH_DOWN; delays (s) with
 * FAIL_BENCH_PROBE, FAIL_BENCH_GRACE, FAIL_BENCH_EVICTION. FLOTILLA_BENCH_PROFILE=FILE profiles the
 * hub over the failover, FLOTILLA_BENCH_FLEET_PROFILE=FILE this process (the fleet).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceBinding } from '../src/api/flotilla/binding.js';
import type { Cluster } from '../src/api/flotilla/cluster.js';
import { isClusterReady } from '../src/api/flotilla/cluster.js';
import type { KubeObject } from '../src/api/meta.js';
import { noopLogger } from '../src/base/logger.js';
import { ApiClient } from '../src/client/api-client.js';
import { CLUSTERS, PROPAGATION_POLICIES, RESOURCE_BINDINGS } from '../src/client/flotilla-resources.js';
import { HttpsTransport } from '../src/client/https-transport.js';
import { startSim } from '../src/cmd/sim.js';
import { generatedFleet } from '../src/simulator/fleet/fleet-spec.js';
import { joinFleet, sampleProcess, until } from './lib/fleet.js';
import { startCpuProfile } from './lib/cpu-profile.js';
import { spawnHub } from './lib/hub-process.js';
import { requestCounts, requestsBetween } from './lib/request-counts.js';
import { latencyStats, printTable, round, writeResult } from './lib/report.js';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const CLUSTER_COUNT = env('FAIL_BENCH_CLUSTERS', 50);
const WORKLOADS = env('FAIL_BENCH_WORKLOADS', 2000);
const DOWN = env('FAIL_BENCH_DOWN', 5);
const GROUP_SIZE = 5;
/** Nodes per cluster: with 110 pods each, room for the replicas a failed group member had. */
const NODES = env('FAIL_BENCH_NODES', 4);
const GROUPS = Math.floor(CLUSTER_COUNT / GROUP_SIZE);
const PROBE_S = env('FAIL_BENCH_PROBE', 1);
const GRACE_S = env('FAIL_BENCH_GRACE', 3);
const EVICTION_S = env('FAIL_BENCH_EVICTION', 5);
const IN_FLIGHT = 32;
const DEPLOYMENTS = { apiVersion: 'apps/v1', plural: 'deployments' };

type MemberDeployment = KubeObject & { spec?: { replicas?: number }; status?: { readyReplicas?: number } };

/** Runs the benchmark; prints and records it. */
export async function runFailover(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-failover-'));
  const sim = await startSim({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    spec: generatedFleet(CLUSTER_COUNT, { nodesPerCluster: NODES }),
    storage: 'memory',
    log: noopLogger,
    events: false,
  });
  const hub = await spawnHub('sqlite', {
    clusterStatus: {
      probeIntervalMs: PROBE_S * 1000,
      gracePeriodMs: GRACE_S * 1000,
      evictionDelayMs: EVICTION_S * 1000,
    },
  });
  const client = new ApiClient(new HttpsTransport({ server: hub.url, caPem: hub.caPem, token: hub.token }));
  const sampler = sampleProcess(hub.pid);
  try {
    const members = sim.fleet.members();
    const names = members.map((m) => m.cluster.name);
    const groupOf = (i: number): string => `g${Math.floor(i / GROUP_SIZE) % GROUPS}`;
    await joinFleet(client, sim, (i) => ({ group: groupOf(i) }));
    for (let g = 0; g < GROUPS; g++)
      await client.create({ ...PROPAGATION_POLICIES, namespace: 'default' }, policy(`g${g}`));

    // Wanted (spec) and ready replicas of each Deployment per cluster, from the members' own informers.
    const ready = new Map<string, Map<string, number>>();
    const wanted = new Map<string, Map<string, number>>();
    for (const m of members)
      m.cluster.informers.informer<MemberDeployment>(DEPLOYMENTS).addHandlers({
        onAdd: (d) => note(d, m.cluster.name),
        onUpdate: (_, d) => note(d, m.cluster.name),
      });
    function note(d: MemberDeployment, cluster: string): void {
      const name = d.metadata.name ?? '';
      for (const [map, n] of [
        [ready, d.status?.readyReplicas ?? 0],
        [wanted, d.spec?.replicas ?? 0],
      ] as const) {
        let per = map.get(name);
        if (!per) map.set(name, (per = new Map<string, number>()));
        per.set(cluster, n);
      }
    }
    const sumOn = (
      map: Map<string, Map<string, number>>,
      name: string,
      clusters: ReadonlySet<string>,
    ): number => [...(map.get(name) ?? [])].reduce((n, [c, r]) => n + (clusters.has(c) ? r : 0), 0);
    const readyOn = (name: string, clusters: ReadonlySet<string>): number => sumOn(ready, name, clusters);

    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < WORKLOADS) {
          const i = next++;
          await client.create(
            { ...DEPLOYMENTS, namespace: 'default' },
            deployment(`app-${i}`, `g${i % GROUPS}`),
          );
        }
      }),
    );
    const all = new Set(names);
    await until(
      async () =>
        Promise.resolve([...Array(WORKLOADS).keys()].every((i) => readyOn(`app-${i}`, all) === GROUP_SIZE)),
      1_800_000,
    );
    const setupS = (performance.now() - t0) / 1000;
    process.stdout.write(
      `  ${WORKLOADS} workloads Ready on ${CLUSTER_COUNT} clusters in ${round(setupS, 1)} s\n`,
    );

    // One cluster of each of the first DOWN groups goes down.
    const down = Array.from({ length: DOWN }, (_, g) => names[g * GROUP_SIZE] ?? '');
    const alive = new Set(names.filter((n) => !down.includes(n)));
    const affected = [...Array(WORKLOADS).keys()].filter((i) => i % GROUPS < DOWN).map((i) => `app-${i}`);
    const detected = new Map<string, number>();
    const evicted = new Map<string, number>();
    const rescheduled = new Map<string, number>();
    const applied = new Map<string, number>();
    const back = new Map<string, number>();
    const stop = new AbortController();
    const watchClusters = (async () => {
      for await (const e of await client.watch<Cluster>(CLUSTERS, { signal: stop.signal }).catch(() => [])) {
        const c = e.object as Cluster;
        const name = c.metadata.name ?? '';
        if (down.includes(name) && !detected.has(name) && !isClusterReady(c))
          detected.set(name, performance.now());
      }
    })().catch(() => undefined);
    // Eviction and rescheduling are timed by the hub's own stamps (the eviction task's
    // creationTimestamp, status.lastScheduledTime; same host clock), not by when this watch
    // delivers them: this process also runs the fleet, and its watch lags when the fleet is busy.
    let faultAt = 0; // performance.now() and Date.now() at the fault, set when it happens
    let faultWall = 0;
    const hubTime = (stamp: string | undefined): number | undefined => {
      const ms = Date.parse(stamp ?? '');
      return Number.isFinite(ms) ? faultAt + (ms - faultWall) : undefined;
    };
    const watchBindings = (async () => {
      const events = await client.watch<ResourceBinding>(
        { ...RESOURCE_BINDINGS, namespace: 'default' },
        { signal: stop.signal },
      );
      for await (const e of events) {
        const b = e.object as ResourceBinding;
        const name = b.spec?.resource?.name ?? '';
        const task = (b.spec?.gracefulEvictionTasks ?? [])[0];
        if (!evicted.has(name) && task)
          evicted.set(name, hubTime(task.creationTimestamp) ?? performance.now());
        const targets = b.spec?.clusters ?? [];
        const scheduledAt = hubTime(b.status?.lastScheduledTime);
        if (
          evicted.has(name) &&
          !rescheduled.has(name) &&
          scheduledAt !== undefined &&
          scheduledAt >= (evicted.get(name) ?? Infinity) &&
          targets.every((t) => alive.has(t.name)) &&
          targets.reduce((n, t) => n + (t.replicas ?? 0), 0) === GROUP_SIZE
        )
          rescheduled.set(name, scheduledAt);
      }
    })().catch(() => undefined);
    const requestsBefore = await requestCounts(client);
    hub.startProfile(); // the hub profiles the failover only
    const endFleetProfile = await startCpuProfile(process.env['FLOTILLA_BENCH_FLEET_PROFILE']);
    faultAt = performance.now();
    faultWall = Date.now();
    for (const c of down) sim.fleet.faults.apply(c, { kind: 'down' });
    await until(async () => {
      const now = performance.now();
      for (const name of affected) {
        if (!applied.has(name) && sumOn(wanted, name, alive) >= GROUP_SIZE) applied.set(name, now);
        if (!back.has(name) && readyOn(name, alive) >= GROUP_SIZE) back.set(name, now);
      }
      return Promise.resolve(back.size === affected.length);
    }, 600_000);
    stop.abort();
    await Promise.all([watchClusters, watchBindings]);
    await hub.endProfile();
    await endFleetProfile();
    const requests = requestsBetween(requestsBefore, await requestCounts(client));
    process.stdout.write(
      `  hub requests during the failover: ${Object.entries(requests)
        .slice(0, 12)
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ')}\n`,
    );

    const since = (m: Map<string, number>): number[] => [...m.values()].map((t) => (t - faultAt) / 1000);
    const stats = (m: Map<string, number>): Record<string, number> => {
      const s = latencyStats(since(m).map((x) => x * 1000));
      return {
        p50: round(s.p50Ms / 1000, 2),
        p99: round(s.p99Ms / 1000, 2),
        max: round(Math.max(...since(m)), 2),
      };
    };
    const rows = [
      { stage: 'detection (cluster not Ready)', ...stats(detected) },
      { stage: 'eviction (task recorded)', ...stats(evicted) },
      { stage: 'rescheduled (decision on live clusters)', ...stats(rescheduled) },
      { stage: 'applied (members hold the new split)', ...stats(applied) },
      { stage: 'ready elsewhere (members)', ...stats(back) },
    ];
    printTable(
      `failover: ${DOWN} of ${CLUSTER_COUNT} clusters down, ${affected.length} of ${WORKLOADS} workloads affected (seconds since the fault; probe ${PROBE_S} s, grace ${GRACE_S} s, eviction delay ${EVICTION_S} s)`,
      rows,
    );
    const budget = PROBE_S + GRACE_S + EVICTION_S + 5;
    const worst = Math.max(...since(back));
    const file = writeResult('failover', {
      clusters: CLUSTER_COUNT,
      workloads: WORKLOADS,
      down: DOWN,
      affected: affected.length,
      delaysS: { probe: PROBE_S, grace: GRACE_S, eviction: EVICTION_S },
      setupS: round(setupS, 1),
      stages: rows,
      goal: { budgetS: budget, worstS: round(worst, 2), met: worst <= budget },
      hubPeakRssMiB: round(sampler.peakRssMiB(), 0),
      hubRequests: requests,
    });
    process.stdout.write(`hub peak RSS ${round(sampler.peakRssMiB(), 0)} MiB\nresults: ${file}\n`);
  } finally {
    sampler.stop();
    await hub.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function policy(group: string): KubeObject {
  return {
    apiVersion: 'policy.flotilla.io/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name: group, namespace: 'default' },
    spec: {
      resourceSelectors: [
        { apiVersion: 'apps/v1', kind: 'Deployment', labelSelector: { matchLabels: { group } } },
      ],
      placement: {
        clusterAffinity: { labelSelector: { matchLabels: { group } } },
        replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
      },
    },
  };
}

function deployment(name: string, group: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { group } },
    spec: {
      replicas: GROUP_SIZE,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m' } } }] },
      },
    },
  };
}
