/**
 * The `flotilla` command: parses the command line, builds real dependencies (pino logger, system
 * clock) and runs a subcommand. Exit codes: 0 ok, 1 runtime failure, 2 bad usage.
 */
import { parseArgs } from 'node:util';
import {
  CLUSTER_HEALTH_HELP,
  HEAP_GROWTH_HELP,
  CommandError,
  HUB_PROCESS_OPTIONS,
  UsageError,
  buildLogger,
  clusterHealthOptions,
  heapGrowthPercent,
  rebalanceOptions,
  count,
  parseListen,
  seconds,
} from './flags.js';
import { runJoin, runUnjoin } from './join-command.js';
import { HubStoppedError, startHub } from './hub.js';
import { limitHeapGrowth } from './heap-growth.js';
import { runExplain } from './explain-command.js';
import { runSim } from './sim-command.js';
import { runUp } from './up-command.js';
import { runGet } from './get-command.js';
import { runDescribe } from './describe-command.js';
import { runCordon, runTaint } from './cluster-commands.js';
import { runRebalance } from './rebalance-command.js';

const HELP = `flotilla — a multi-cluster Kubernetes control plane

Usage: flotilla <command> [flags]

Commands:
  hub       run the hub API server (Kubernetes-compatible; kubectl works against it)
  up        run the hub and a simulated fleet, joined and Ready (what \`npm start\` runs)
  sim       run a fleet of simulated Kubernetes clusters; inject faults into it
  explain   show where the scheduler would place a workload, and why (dry run)
  join      register a member cluster with the hub (unjoin removes it)
  get       list clusters, bindings or works (tables, -o wide|json|yaml)
  describe  show one cluster or binding in detail, with its events
  cordon    stop new placements on a member cluster (uncordon allows them again)
  taint     add or remove taints of a member cluster
  rebalance move workloads to the placement the scheduler would choose now, new copies first

Run 'flotilla <command> --help' for a command's flags.
`;

const HUB_HELP = `Usage: flotilla hub [--data-dir DIR] [--listen HOST:PORT] [--storage sqlite|memory] [--log-level LEVEL]

Runs the hub API server. On first start it creates a CA, a serving certificate, an admin token
and DIR/kubeconfig (context "flotilla"); later starts reuse them and the stored state.

Flags:
  --data-dir DIR        state, certificates and kubeconfig (default .flotilla)
  --listen HOST:PORT    address to serve HTTPS on (default 127.0.0.1:7443; port 0 = any free port)
  --storage KIND        sqlite (default, durable) or memory (lost on exit)
  --log-level LEVEL     trace|debug|info|warn|error (default info)
  --min-request-timeout S   watches without timeoutSeconds end after S×[1,2) seconds (default 1800)
  --history-retention S     seconds of change history kept for watches and lists (default 300)
  --compaction-interval S   seconds between history compactions (default 60)
  --history-min-revisions N revisions always kept, whatever their age (default 1000)
${HEAP_GROWTH_HELP}${CLUSTER_HEALTH_HELP}`;

async function runHub(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...HUB_PROCESS_OPTIONS,
      storage: { type: 'string', default: 'sqlite' },
      'min-request-timeout': { type: 'string', default: '1800' },
      'history-retention': { type: 'string', default: '300' },
      'compaction-interval': { type: 'string', default: '60' },
      'history-min-revisions': { type: 'string', default: '1000' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(HUB_HELP);
    return 0;
  }
  const { host, port } = parseListen(values.listen);
  if (values.storage !== 'sqlite' && values.storage !== 'memory')
    throw new UsageError(`--storage must be sqlite or memory, got "${values.storage}"`);
  const log = buildLogger(values['log-level']);
  limitHeapGrowth(heapGrowthPercent(values['heap-growth']));
  const stop = new AbortController();
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (): void => {
      stop.abort();
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  let hub;
  try {
    hub = await startHub({
      signal: stop.signal,
      onStandby: () =>
        process.stdout.write(
          `flotilla hub standing by: another hub is active on ${values['data-dir']}; taking over when it stops\n`,
        ),
      dataDir: values['data-dir'],
      host,
      port,
      storage: values.storage,
      log,
      minRequestTimeoutSeconds: seconds('--min-request-timeout', values['min-request-timeout']),
      compaction: {
        retention: seconds('--history-retention', values['history-retention']) * 1000,
        interval: seconds('--compaction-interval', values['compaction-interval']) * 1000,
        minRetainRevisions: count('--history-min-revisions', values['history-min-revisions']),
      },
      clusterStatus: clusterHealthOptions(values),
      rebalance: rebalanceOptions(values),
    });
  } catch (err) {
    if (err instanceof HubStoppedError) return 0;
    throw err;
  }
  process.stdout.write(
    `flotilla hub serving on ${hub.url}\nkubeconfig: ${hub.kubeconfigPath} (context "flotilla")\n`,
  );
  await stopped;
  await hub.stop();
  return 0;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      case 'hub':
        return await runHub(rest);
      case 'sim':
        return await runSim(rest);
      case 'explain':
        return await runExplain(rest);
      case 'join':
        return await runJoin(rest);
      case 'unjoin':
        return await runUnjoin(rest);
      case 'up':
        return await runUp(rest);
      case 'get':
        return await runGet(rest);
      case 'describe':
        return await runDescribe(rest);
      case 'cordon':
        return await runCordon(rest, true);
      case 'uncordon':
        return await runCordon(rest, false);
      case 'taint':
        return await runTaint(rest);
      case 'rebalance':
        return await runRebalance(rest);
      default:
        throw new UsageError(`unknown command "${command}"; run 'flotilla --help'`);
    }
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`flotilla: ${err.message}\n`);
      return 2;
    }
    if (err instanceof CommandError) {
      process.stderr.write(`flotilla: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
