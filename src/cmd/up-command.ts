/**
 * `flotilla up`: what `npm start` runs. Starts the hub and a simulated fleet in this process (see
 * up.ts), shows progress while it does, prints a short summary (where the hub listens, the fleet
 * as a table, what to try next) and stays in the foreground until Ctrl-C, which stops everything.
 * The fleet it runs is kept in DIR/fleet.yaml, so running it again resumes the same fleet and
 * state; asking for a different fleet on a data directory that holds one is refused.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify } from 'yaml';
import type { Cluster } from '../api/flotilla/cluster.js';
import { parseQuantity } from '../api/quantity.js';
import { Progress, duration } from '../cli/progress.js';
import { formatTable } from '../cli/table.js';
import { FleetSpecError, parseFleetSpec } from '../simulator/fleet/fleet-spec.js';
import type { FleetSpec } from '../simulator/fleet/fleet-spec.js';
import {
  CLUSTER_HEALTH_HELP,
  HEAP_GROWTH_HELP,
  HUB_PROCESS_OPTIONS,
  UsageError,
  buildLogger,
  clusterHealthOptions,
  heapGrowthPercent,
  rebalanceOptions,
  logLevel,
  parseListen,
} from './flags.js';
import { fleetSpec } from './sim-command.js';
import { startUp } from './up.js';
import { limitHeapGrowth } from './heap-growth.js';
import type { RunningUp, UpStep } from './up.js';

export const UP_HELP = `Usage: flotilla up [--clusters N | --fleet FILE] [--data-dir DIR] [--listen HOST:PORT]

Runs the hub and a simulated fleet in this process, joins every simulated cluster to the hub and
waits until they are Ready; then prints where everything is and stays in the foreground until
Ctrl-C. DIR/kubeconfig has a context "flotilla" for the hub and one per member cluster. Running it
again on the same DIR resumes the same fleet, policies and workloads.

Flags:
  --clusters N          N simulated clusters over us-east, us-west and eu-west (default 3)
  --fleet FILE          the clusters, regions, zones, providers and node pools from a YAML file
                        (see examples/fleet.yaml)
  --data-dir DIR        state, certificates, kubeconfig and logs (default .flotilla)
  --listen HOST:PORT    the hub's address (default 127.0.0.1:7443); the fleet listens on the next
                        port and its clusters on the ports after it (port 0 = any free ports)
  --log-level LEVEL     trace|debug|info|warn|error (default info), written to DIR/flotilla.log
${HEAP_GROWTH_HELP}${CLUSTER_HEALTH_HELP}`;

const STEPS: Record<UpStep, { doing: string; done: (n: number) => string }> = {
  fleet: { doing: 'starting the simulated fleet', done: (n) => `${n} simulated cluster(s) started` },
  hub: { doing: 'starting the hub', done: () => 'hub started' },
  join: { doing: 'joining the clusters to the hub', done: (n) => `${n} cluster(s) joined` },
  ready: { doing: 'waiting until every cluster is Ready', done: () => 'every cluster Ready' },
};

/** Runs `flotilla up` with `args` (after "up"); resolves with the exit code. */
export async function runUp(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...HUB_PROCESS_OPTIONS,
      clusters: { type: 'string' },
      fleet: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(UP_HELP);
    return 0;
  }
  const dir = values['data-dir'];
  const { host, port } = parseListen(values.listen);
  const level = logLevel(values['log-level']);
  const clusterStatus = clusterHealthOptions(values);
  const rebalance = rebalanceOptions(values);
  const heapGrowth = heapGrowthPercent(values['heap-growth']);
  const spec = await resolveFleet(dir, values);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  limitHeapGrowth(heapGrowth);
  const log = buildLogger(level, join(dir, 'flotilla.log'));
  const out = new Progress(process.stdout, {
    terminal: process.stdout.isTTY && !process.env['NO_COLOR'],
  });
  const stop = new AbortController();
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  out.line(`Starting Flotilla in ${dir} …`);
  const started = performance.now();
  let up: RunningUp;
  try {
    up = await startUp({
      dataDir: dir,
      host,
      port,
      spec,
      log,
      clusterStatus,
      rebalance,
      signal: stop.signal,
      onStandby: () =>
        out.line(`another hub is active on ${dir}; waiting for it to stop (Ctrl-C to give up)`),
      progress: (step, done) =>
        done ? out.done(STEPS[step].done(spec.clusters.length), done.ms) : out.doing(STEPS[step].doing),
    });
  } catch (err) {
    out.fail();
    if (interrupted) return 130;
    throw err;
  }
  await writeFile(join(dir, 'fleet.yaml'), fleetFile(spec));
  out.line('');
  out.line(out.bold(`Flotilla is up (${duration(performance.now() - started)}).`));
  out.write(summary(up, dir));
  if (!interrupted)
    await new Promise<void>((resolve) =>
      stop.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  out.line('\nStopping …');
  await up.stop();
  out.line(`Stopped. Run it again to resume this fleet (state in ${dir}).`);
  return 0;
}

/**
 * The fleet to run: the one DIR already holds (DIR/fleet.yaml) unless flags ask for one; flags
 * that ask for a different fleet than DIR holds are refused.
 */
async function resolveFleet(
  dir: string,
  values: { clusters?: string | undefined; fleet?: string | undefined },
): Promise<FleetSpec> {
  const saved = await savedFleet(dir);
  if (values.clusters === undefined && values.fleet === undefined && saved) return saved;
  const wanted = await fleetSpec(values);
  if (saved) {
    const names = (f: FleetSpec): string => f.clusters.map((c) => c.name).join(',');
    if (names(saved) !== names(wanted))
      throw new UsageError(
        `${dir} already holds a fleet of ${saved.clusters.length} cluster(s) (${names(saved)}); ` +
          `run 'flotilla up' without --clusters/--fleet to resume it, or use another --data-dir`,
      );
  }
  return wanted;
}

async function savedFleet(dir: string): Promise<FleetSpec | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, 'fleet.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return parseFleetSpec(parseYaml(text));
  } catch (err) {
    const why = err instanceof FleetSpecError ? err.problems.join('; ') : (err as Error).message;
    throw new UsageError(`${join(dir, 'fleet.yaml')} is damaged (${why}); fix or delete it`);
  }
}

function fleetFile(spec: FleetSpec): string {
  return `# The fleet 'flotilla up' runs in this directory (written by it; read when it starts again).\n${stringify(spec)}`;
}

/** Where the hub is, the fleet as a table, and what to try next. */
function summary(up: RunningUp, dir: string): string {
  const rows = up.clusters.map((c) => clusterRow(c));
  const kubeconfig = up.kubeconfigPath;
  const first = up.clusters[0]?.metadata.name ?? 'us-east-1';
  return [
    '',
    `Hub         ${up.hub.url}   (state in ${dir})`,
    `Kubeconfig  ${kubeconfig}   (context "flotilla" is the hub; one context per member)`,
    '',
    formatTable([
      ['CLUSTER', 'REGION', 'PROVIDER', 'NODES', 'CPU', 'MEMORY', 'KUBERNETES', 'READY'],
      ...rows,
    ]),
    'Try next:',
    `  export KUBECONFIG=${kubeconfig.startsWith('/') ? kubeconfig : `$PWD/${kubeconfig}`}`,
    '  kubectl get clusters',
    '  kubectl apply -f examples/propagation/web.yaml && kubectl get rb,deploy',
    `  npx flotilla sim fault ${first} down${dir === '.flotilla' ? '' : ` --data-dir ${join(dir, 'sim')}`}   # then: kubectl get clusters -w`,
    '',
    'Ctrl-C stops everything; run it again to resume this fleet.',
    '',
  ].join('\n');
}

function clusterRow(c: Cluster): string[] {
  const allocatable = c.status?.resourceSummary?.allocatable ?? {};
  return [
    c.metadata.name ?? '',
    c.spec?.region ?? '-',
    c.spec?.provider ?? '-',
    String(c.status?.nodeSummary?.totalNum ?? '-'),
    allocatable['cpu'] === undefined ? '-' : String(Math.floor(parseQuantity(allocatable['cpu']))),
    allocatable['memory'] === undefined
      ? '-'
      : `${Math.floor(parseQuantity(allocatable['memory']) / 2 ** 30)}Gi`,
    c.status?.kubernetesVersion ?? '-',
    c.status?.conditions?.find((x) => x.type === 'Ready')?.status ?? 'Unknown',
  ];
}
