/**
 * `flotilla sim …`: run a simulated fleet, or inject faults into a running one through its
 * control API (`/fleet/v1`, authenticated with the fleet's token, verified with its CA).
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ScaledClock, SystemClock } from '../base/clock.js';
import { FleetSpecError, generatedFleet, parseFleetSpec } from '../simulator/fleet/fleet-spec.js';
import type { FleetSpec } from '../simulator/fleet/fleet-spec.js';
import { FaultActionError, parseFaultAction } from '../simulator/faults/faults.js';
import { formatTable } from '../cli/table.js';
import { UsageError, buildLogger, count, parseListen } from './flags.js';
import { startSim } from './sim.js';

export const SIM_HELP = `Usage: flotilla sim [--clusters N | --fleet FILE] [flags]
       flotilla sim fault CLUSTER down|partition|slow=MS|heal [--data-dir DIR]
       flotilla sim fault CLUSTER node NODE down|up [--data-dir DIR]
       flotilla sim status [--data-dir DIR]

Runs a fleet of simulated Kubernetes clusters in one process. Each cluster has its own endpoint,
https://HOST:PORT+1+i for the i-th cluster (any free port when PORT is 0), and is also served at
https://HOST:PORT/clusters/<name>. DIR/kubeconfig has one context per cluster (its own endpoint).

Flags:
  --clusters N          N clusters over us-east, us-west and eu-west, mixed sizes (default 3)
  --fleet FILE          clusters, regions, zones, providers and node pools from a YAML file
  --data-dir DIR        certificates, kubeconfig and cluster state (default .flotilla/sim)
  --listen HOST:PORT    address to serve HTTPS on (default 127.0.0.1:7444; port 0 = any free port)
  --storage KIND        sqlite (default: clusters keep their state across restarts) or memory
  --speed X             run simulated time X times faster than the wall clock (default 1)
  --no-events           do not record Events (large fleets)
  --log-level LEVEL     trace|debug|info|warn|error (default info)

Faults: down = connections refused (dropped on the shared port); partition = requests hang until the client gives up;
slow=MS = MS ms of added latency; heal = back to normal. A node that is down stops its kubelet.
`;

/** Runs `flotilla sim` with `args` (after "sim"); resolves with the exit code. */
export async function runSim(args: string[]): Promise<number> {
  if (args[0] === 'fault') return fault(args.slice(1));
  if (args[0] === 'status') return status(args.slice(1));
  const { values } = parseArgs({
    args,
    options: {
      clusters: { type: 'string' },
      fleet: { type: 'string' },
      'data-dir': { type: 'string', default: join('.flotilla', 'sim') },
      listen: { type: 'string', default: '127.0.0.1:7444' },
      storage: { type: 'string', default: 'sqlite' },
      speed: { type: 'string', default: '1' },
      'no-events': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(SIM_HELP);
    return 0;
  }
  const { host, port } = parseListen(values.listen);
  if (values.storage !== 'sqlite' && values.storage !== 'memory')
    throw new UsageError(`--storage must be sqlite or memory, got "${values.storage}"`);
  const speed = Number(values.speed);
  if (!/^\d+(\.\d+)?$/.test(values.speed) || !(speed > 0))
    throw new UsageError(`--speed must be a positive number, got "${values.speed}"`);
  const spec = await fleetSpec(values);
  const log = buildLogger(values['log-level']);
  const sim = await startSim({
    dataDir: values['data-dir'],
    host,
    port,
    spec,
    storage: values.storage,
    log,
    clock: speed === 1 ? new SystemClock() : new ScaledClock(speed),
    events: !values['no-events'],
  });
  const width = Math.max(...spec.clusters.map((c) => c.name.length));
  process.stdout.write(
    `flotilla sim serving ${spec.clusters.length} cluster(s) on ${sim.url} (under /clusters/<name>) and on their own endpoints:\n` +
      spec.clusters.map((c) => `  ${c.name.padEnd(width)}  ${sim.clusterUrl(c.name)}\n`).join('') +
      `kubeconfig: ${sim.kubeconfigPath} (one context per cluster)\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sim.stop();
  return 0;
}

/** The fleet `--clusters N` or `--fleet FILE` asks for (3 generated clusters by default). */
export async function fleetSpec(values: {
  clusters?: string | undefined;
  fleet?: string | undefined;
}): Promise<FleetSpec> {
  if (values.clusters !== undefined && values.fleet !== undefined)
    throw new UsageError('--clusters and --fleet cannot be used together');
  if (values.fleet === undefined) {
    const n = count('--clusters', values.clusters ?? '3');
    if (n < 1) throw new UsageError('--clusters must be at least 1');
    return generatedFleet(n);
  }
  let text: string;
  try {
    text = await readFile(values.fleet, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read fleet file ${values.fleet}: ${(err as Error).message}`);
  }
  try {
    return parseFleetSpec(parseYaml(text));
  } catch (err) {
    if (err instanceof FleetSpecError) throw new UsageError(`${values.fleet}: ${err.problems.join('; ')}`);
    throw new UsageError(`${values.fleet}: not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
}

async function fault(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: join('.flotilla', 'sim') },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help === true) {
    process.stdout.write(SIM_HELP);
    return 0;
  }
  const [cluster, second, node, nodeAction] = positionals;
  if (cluster === undefined || second === undefined)
    throw new UsageError('usage: flotilla sim fault CLUSTER down|partition|slow=MS|heal');
  let path: string;
  let action: string;
  if (second === 'node') {
    if (node === undefined || (nodeAction !== 'down' && nodeAction !== 'up') || positionals.length !== 4)
      throw new UsageError('usage: flotilla sim fault CLUSTER node NODE down|up');
    path = `/fleet/v1/clusters/${encodeURIComponent(cluster)}/nodes/${encodeURIComponent(node)}/fault`;
    action = nodeAction;
  } else {
    if (positionals.length !== 2)
      throw new UsageError('usage: flotilla sim fault CLUSTER down|partition|slow=MS|heal');
    try {
      parseFaultAction(second);
    } catch (err) {
      if (err instanceof FaultActionError) throw new UsageError(err.message);
      throw err;
    }
    path = `/fleet/v1/clusters/${encodeURIComponent(cluster)}/fault`;
    action = second;
  }
  await control(values['data-dir'], { method: 'POST', path, body: { action } });
  process.stdout.write(
    second === 'node'
      ? `node ${node ?? ''} of cluster ${cluster}: ${action}\n`
      : `cluster ${cluster}: ${action}\n`,
  );
  return 0;
}

async function status(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string', default: join('.flotilla', 'sim') } },
    strict: true,
  });
  const answer = (await control(values['data-dir'], { method: 'GET', path: '/fleet/v1/clusters' })) as {
    clusters: {
      name: string;
      region: string;
      kubernetesVersion: string;
      url: string;
      fault: string;
      nodes: { down: boolean }[];
    }[];
  };
  const rows = answer.clusters.map((c) => [
    c.name,
    c.region,
    c.kubernetesVersion,
    `${c.nodes.filter((n) => !n.down).length}/${c.nodes.length}`,
    c.fault || 'healthy',
    c.url,
  ]);
  process.stdout.write(formatTable([['CLUSTER', 'REGION', 'VERSION', 'NODES UP', 'FAULT', 'URL'], ...rows]));
  return 0;
}

/** Calls the running fleet's control API; a 4xx answer is a usage error (unknown cluster or node). */
async function control(
  dataDir: string,
  req: { method: string; path: string; body?: unknown },
): Promise<unknown> {
  let url: string;
  let token: string;
  let ca: string;
  try {
    url = (JSON.parse(await readFile(join(dataDir, 'sim.json'), 'utf8')) as { url: string }).url;
    token = (await readFile(join(dataDir, 'token'), 'utf8')).trim();
    ca = await readFile(join(dataDir, 'ca.crt'), 'utf8');
  } catch {
    throw new UsageError(`no simulated fleet found in ${dataDir} (start one with 'flotilla sim')`);
  }
  const target = new URL(req.path, url);
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  const { status: code, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const r = request(
      target,
      {
        method: req.method,
        ca,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: data }));
      },
    );
    r.on('error', (err) => reject(new Error(`cannot reach the fleet at ${url}: ${err.message}`)));
    r.end(body);
  });
  const parsed = (text.startsWith('{') ? JSON.parse(text) : {}) as { message?: string };
  if (code >= 400 && code < 500) throw new UsageError(parsed.message ?? `fleet answered ${code}`);
  if (code >= 300) throw new Error(`fleet answered ${code}: ${parsed.message ?? text}`);
  return parsed;
}
