/**
 * `scheduler`: scheduling throughput and per-binding latency, for 100 and 1,000 clusters and
 * 10,000 workloads, for Duplicated, static weights and dynamic weights with spread constraints.
 * - in-process: the engine of core/schedule.ts (what the scheduler and `flotilla explain` run),
 *   one binding after another, reporting every cluster's fate as explain asks (the scheduler
 *   itself skips those reports, so it is somewhat faster than this);
 * - through the hub API: a hub (SQLite) with its scheduler in its own process; bindings created
 *   over HTTPS (32 in flight), latency = from the create's answer to the decision stored (seen on
 *   a watch). That saturated phase gives the rate and the hub's CPU per binding; its latencies are
 *   mostly the backlog's. Then SCHED_BENCH_PACED (default 2,000) more bindings are created at
 *   half the rate the hub reached ("paced" columns), for the latency of one binding when the hub
 *   keeps up.
 * Goals: >= 5,000 bindings/s in-process and >= 500/s through the API at 100 clusters.
 * Scale with SCHED_BENCH_WORKLOADS (default 10000) and SCHED_BENCH_CLUSTERS (default 100,1000);
 * SCHED_BENCH_STRATEGIES (e.g. duplicated,static-weights) picks strategies; SCHED_BENCH_API=0 skips
 * the API runs. With FLOTILLA_BENCH_PROFILE=FILE the hub writes a CPU profile of each API run's
 * measured phase to FILE (the last run's survives).
 */
import type { ResourceBinding } from '../src/api/flotilla/binding.js';
import type { Cluster } from '../src/api/flotilla/cluster.js';
import type { Placement } from '../src/api/flotilla/policy.js';
import { ApiClient } from '../src/client/api-client.js';
import { HttpsTransport } from '../src/client/https-transport.js';
import { schedule } from '../src/scheduler/core/schedule.js';
import { CLUSTERS, RESOURCE_BINDINGS } from '../src/scheduler/binding-refs.js';
import { unitFromBinding } from '../src/scheduler/framework/unit.js';
import { followBindings } from './lib/binding-watch.js';
import type { BindingWatch } from './lib/binding-watch.js';
import { sampleProcess } from './lib/fleet.js';
import { spawnHub } from './lib/hub-process.js';
import { latencyStats, printTable, round, writeResult } from './lib/report.js';
import { requestCounts, requestsBetween, writeCount } from './lib/request-counts.js';

const WORKLOADS = Number(process.env['SCHED_BENCH_WORKLOADS'] ?? 10_000);
const WITH_API = process.env['SCHED_BENCH_API'] !== '0';
const CLUSTER_COUNTS = (process.env['SCHED_BENCH_CLUSTERS'] ?? '100,1000').split(',').map(Number);
const IN_FLIGHT = 32;
const REGIONS = ['us-east', 'us-west', 'eu-west', 'eu-central', 'ap-south'];

const PLACEMENTS: Record<string, Placement> = {
  duplicated: { clusterAffinity: { labelSelector: { matchLabels: { tier: 'gold' } } } },
  'static-weights': {
    replicaScheduling: {
      replicaSchedulingType: 'Divided',
      replicaDivisionPreference: 'Weighted',
      weightPreference: {
        staticWeightList: [
          {
            targetCluster: {
              fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['us-east'] }] },
            },
            weight: 3,
          },
          {
            targetCluster: {
              fieldSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['eu-west'] }] },
            },
            weight: 1,
          },
        ],
      },
    },
  },
  'dynamic+spread': {
    spreadConstraints: [
      { spreadByField: 'region', minGroups: 2, maxGroups: 3 },
      { spreadByField: 'cluster', minGroups: 3, maxGroups: 6 },
    ],
    replicaScheduling: {
      replicaSchedulingType: 'Divided',
      replicaDivisionPreference: 'Weighted',
      weightPreference: { dynamicWeight: 'AvailableReplicas' },
    },
  },
};

function cluster(i: number): Cluster {
  const region = REGIONS[i % REGIONS.length] ?? 'us-east';
  const nodes = 10 + (i % 7) * 15;
  return {
    apiVersion: 'cluster.flotilla.io/v1alpha1',
    kind: 'Cluster',
    metadata: {
      name: `member-${String(i).padStart(4, '0')}`,
      labels: { tier: i % 4 === 0 ? 'gold' : 'silver' },
    },
    spec: {
      syncMode: 'Push',
      region,
      zones: [`${region}-${'abc'[i % 3] ?? 'a'}`],
      provider: i % 2 ? 'aws' : 'gcp',
    },
    status: {
      kubernetesVersion: 'v1.31.4',
      conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady' }],
      resourceSummary: {
        allocatable: { cpu: String(nodes * 16), memory: `${nodes * 64}Gi`, pods: String(nodes * 110) },
        allocated: { cpu: String(nodes * 4), memory: `${nodes * 16}Gi`, pods: String(nodes * 20) },
        continuous: { cpu: '12', memory: '48Gi', pods: '90' },
      },
    },
  };
}

function binding(i: number, placement: Placement): ResourceBinding {
  const name = `app-${i}`;
  return {
    apiVersion: 'work.flotilla.io/v1alpha1',
    kind: 'ResourceBinding',
    metadata: { name: `${name}-deployment`, namespace: 'default' },
    spec: {
      resource: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'default',
        name,
        uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      },
      replicas: 2 + (i % 19),
      replicaRequirements: {
        resourceRequest: { cpu: `${100 + (i % 5) * 200}m`, memory: `${128 * (1 + (i % 4))}Mi` },
      },
      placement,
    },
  };
}

const STRATEGIES = process.env['SCHED_BENCH_STRATEGIES']?.split(',') ?? Object.keys(PLACEMENTS);

interface Row {
  [k: string]: string | number;
  mode: string;
  clusters: number;
  strategy: string;
  bindings: number;
  'bindings/s': number;
  'p50 ms': number;
  'p99 ms': number;
  unschedulable: number;
}

function inProcess(clusters: readonly Cluster[], strategy: string): Row {
  const placement = PLACEMENTS[strategy] ?? {};
  const units = Array.from({ length: WORKLOADS }, (_, i) => unitFromBinding(binding(i, placement)).unit);
  for (const unit of units.slice(0, 200)) schedule({ unit, clusters, fresh: false }); // warm-up
  const latencies: number[] = [];
  let failed = 0;
  const t0 = performance.now();
  for (const unit of units) {
    const s = performance.now();
    if (!schedule({ unit, clusters, fresh: false }).scheduled) failed++;
    latencies.push(performance.now() - s);
  }
  const seconds = (performance.now() - t0) / 1000;
  const lat = latencyStats(latencies);
  return {
    mode: 'in-process',
    clusters: clusters.length,
    strategy,
    bindings: units.length,
    'bindings/s': round(units.length / seconds, 0),
    'p50 ms': lat.p50Ms,
    'p99 ms': lat.p99Ms,
    unschedulable: failed,
  };
}

/**
 * Bindings created after the saturated phase at half the rate it reached, to measure the latency of
 * one binding while the hub keeps up.
 */
const PACED = Number(process.env['SCHED_BENCH_PACED'] ?? 2_000);

/** When each binding's create was answered and when its decision was seen on the watch. */
interface Timings {
  acked: Map<string, number>;
  decided: Map<string, number>;
  failed: number;
}

/** Notes when each binding first has a `Scheduled` condition, until `expected` have one. */
function watchDecisions(client: ApiClient, t: Timings, expected: number): Promise<BindingWatch> {
  return followBindings(client, (b) => {
    const cond = b.status?.conditions?.find((c) => c.type === 'Scheduled');
    const name = b.metadata?.name ?? '';
    if (!cond || t.decided.has(name)) return false;
    t.decided.set(name, performance.now());
    if (cond.status !== 'True') t.failed++;
    return t.decided.size === expected;
  });
}

/** Creates bindings `from`..`to`-1: `inFlight` at a time, or one every 1/`perS` s when paced. */
async function createBindings(
  client: ApiClient,
  t: Timings,
  o: { from: number; to: number; placement: Placement; inFlight: number; perS?: number },
): Promise<void> {
  const ref = { ...RESOURCE_BINDINGS, namespace: 'default' };
  const create = async (i: number): Promise<void> => {
    const b = binding(i, o.placement);
    await client.create(ref, b);
    t.acked.set(b.metadata.name ?? '', performance.now());
  };
  if (o.perS !== undefined) {
    const start = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = o.from; i < o.to; i++) {
      const due = start + ((i - o.from) * 1000) / o.perS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(create(i));
    }
    await Promise.all(pending);
    return;
  }
  let next = o.from;
  await Promise.all(
    Array.from({ length: o.inFlight }, async () => {
      while (next < o.to) await create(next++);
    }),
  );
}

async function until(t: Timings, expected: number): Promise<void> {
  const deadline = performance.now() + 600_000;
  while (t.decided.size < expected && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
}

const latenciesOf = (t: Timings, names: (name: string) => boolean): number[] =>
  [...t.decided].filter(([name]) => names(name)).map(([name, at]) => at - (t.acked.get(name) ?? at));

async function throughApi(clusters: readonly Cluster[], strategy: string): Promise<Row> {
  const hub = await spawnHub('sqlite');
  const client = new ApiClient(new HttpsTransport({ server: hub.url, caPem: hub.caPem, token: hub.token }));
  try {
    for (const c of clusters) {
      const { status, ...rest } = c;
      const created = await client.create<Cluster>(CLUSTERS, rest);
      await client.updateStatus<Cluster>(CLUSTERS, { ...created, ...(status ? { status } : {}) });
    }
    const placement = PLACEMENTS[strategy] ?? {};
    const t: Timings = { acked: new Map(), decided: new Map(), failed: 0 };
    const watching = await watchDecisions(client, t, WORKLOADS + PACED);
    const requestsBefore = await requestCounts(client);
    hub.startProfile(); // the hub profiles the measured phase only
    const sampler = sampleProcess(hub.pid);
    const cpu0 = sampler.cpuSeconds();
    const t0 = performance.now();
    // Saturated: as many as the hub takes, `IN_FLIGHT` creates at a time; rate and CPU per binding.
    await createBindings(client, t, { from: 0, to: WORKLOADS, placement, inFlight: IN_FLIGHT });
    await until(t, WORKLOADS);
    const hubCpuS = sampler.cpuSeconds() - cpu0;
    await hub.endProfile();
    // Writes per binding: the bench's create, the scheduler's patches and Events, anything else.
    const requests = requestsBetween(requestsBefore, await requestCounts(client));
    const writes = writeCount(requests);
    process.stdout.write(`  hub requests (${strategy}): ${JSON.stringify(requests)}\n`);
    const scheduled = t.decided.size;
    const unschedulable = t.failed;
    const end = Math.max(...t.decided.values());
    const saturated = latencyStats(latenciesOf(t, () => true));
    // Paced: a steady rate the hub keeps up with, so latency is the scheduler's, not the backlog's.
    const rate = scheduled / ((end - t0) / 1000);
    const paced = { from: WORKLOADS, to: WORKLOADS + PACED, placement, inFlight: 1, perS: rate / 2 };
    await createBindings(client, t, paced);
    await until(t, WORKLOADS + PACED);
    sampler.stop();
    await watching.done;
    const pacedNames = new Set(Array.from({ length: PACED }, (_, i) => `app-${WORKLOADS + i}-deployment`));
    const steady = latencyStats(latenciesOf(t, (name) => pacedNames.has(name)));
    return {
      mode: 'hub API',
      clusters: clusters.length,
      strategy,
      bindings: scheduled,
      'bindings/s': round(rate, 0),
      'p50 ms': saturated.p50Ms,
      'p99 ms': saturated.p99Ms,
      unschedulable,
      'paced p50 ms': steady.p50Ms,
      'paced p99 ms': steady.p99Ms,
      // What the hub spent on each binding (create, decision, its writes and everything they set
      // off): steadier across runs than the rate, which the machine's speed moves too.
      'hub CPU ms/binding': round((hubCpuS * 1000) / Math.max(1, scheduled), 2),
      'hub writes/binding': round(writes / Math.max(1, scheduled), 2),
    };
  } finally {
    await hub.stop();
  }
}

/** Runs the benchmark; prints and records it. */
export async function runScheduler(): Promise<void> {
  const unknown = STRATEGIES.filter((s) => !(s in PLACEMENTS));
  if (unknown.length > 0)
    throw new Error(
      `SCHED_BENCH_STRATEGIES: unknown ${unknown.join(', ')}; known: ${Object.keys(PLACEMENTS).join(', ')}`,
    );
  const rows: Row[] = [];
  for (const n of CLUSTER_COUNTS) {
    const clusters = Array.from({ length: n }, (_, i) => cluster(i));
    for (const strategy of STRATEGIES) {
      rows.push(inProcess(clusters, strategy));
      process.stdout.write(
        `  in-process ${n} clusters ${strategy}: ${rows.at(-1)?.['bindings/s']} bindings/s\n`,
      );
    }
    if (!WITH_API) continue;
    for (const strategy of STRATEGIES) {
      rows.push(await throughApi(clusters, strategy));
      process.stdout.write(
        `  hub API ${n} clusters ${strategy}: ${rows.at(-1)?.['bindings/s']} bindings/s\n`,
      );
    }
  }
  printTable(`scheduler: ${WORKLOADS} workloads`, rows);
  const at100 = rows.filter((r) => r.clusters === 100);
  /** The slowest strategy's rate at 100 clusters; undefined when not measured (no goal then). */
  const minOf = (mode: string): number | undefined => {
    const rates = at100.filter((r) => r.mode === mode).map((r) => r['bindings/s']);
    return rates.length > 0 ? Math.min(...rates) : undefined;
  };
  const atLeast = (rate: number | undefined, goal: number): boolean | null =>
    rate === undefined ? null : rate >= goal;
  writeResult('scheduler', {
    description: 'Scheduling throughput and latency per binding, in-process and through the hub API',
    workloads: WORKLOADS,
    rows,
    goals: {
      inProcess5000PerSecAt100: atLeast(minOf('in-process'), 5000),
      api500PerSecAt100: atLeast(minOf('hub API'), 500),
    },
  });
}
