/**
 * `npm run bench [-- name...]`: runs the named benchmarks (all when none are named), prints a
 * table per benchmark and writes `bench/results/<name>.json`. This process hosts the simulated
 * fleets (sim, failover, propagation), so it runs with the V8 flags `flotilla sim` starts with
 * (`NODE_FLAGS`; FLOTILLA_BENCH_NODE_FLAGS="…" gives others, "" none, here and to the hub
 * processes). A benchmark whose own process needs a bigger V8 heap than the default (about 4 GiB
 * here) gets it (`--max-old-space-size`). When either is missing, the run starts again in a child
 * process that has them.
 */
import { spawnSync } from 'node:child_process';
import { getHeapStatistics } from 'node:v8';
import { NODE_FLAGS } from '../src/cmd/heap-growth.js';
import { runApiThroughput } from './api-throughput.js';
import { runFailover } from './failover.js';
import { runList100k } from './list-100k.js';
import { runPropagation } from './propagation.js';
import { runRss100k } from './rss-100k.js';
import { runScheduler } from './scheduler.js';
import { runSimFleet } from './sim-fleet.js';
import { runUp } from './up.js';
import { runWatchFanout } from './watch-fanout.js';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  api: runApiThroughput,
  list: runList100k,
  watch: runWatchFanout,
  rss: runRss100k,
  sim: runSimFleet,
  scheduler: runScheduler,
  propagation: runPropagation,
  up: runUp,
  failover: runFailover,
};

/**
 * MiB of heap a benchmark's own process needs. propagation: 100 simulated clusters holding 100,000
 * Deployments and their ReplicaSets at 10,000, about 4 GiB; at the default limit the fleet's full
 * collections stalled it for seconds, which the paced latencies then measured.
 */
const HEAP_MIB: Partial<Record<string, number>> = { propagation: 8192 };

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !(a in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(BENCHMARKS).join(', ')}\n`,
  );
  process.exit(2);
}
const chosen = asked.length > 0 ? asked : Object.keys(BENCHMARKS);
const heapMiB = Math.max(0, ...chosen.map((n) => HEAP_MIB[n] ?? 0));
const nodeFlags = process.env['FLOTILLA_BENCH_NODE_FLAGS']?.split(' ').filter(Boolean) ?? NODE_FLAGS;
const missingFlags = nodeFlags.filter((f) => !process.execArgv.includes(f));
const heapMissing = heapMiB > getHeapStatistics().heap_size_limit / 2 ** 20;
if (heapMissing || missingFlags.length > 0) {
  const args = [
    ...(heapMissing ? [`--max-old-space-size=${heapMiB}`] : []),
    ...missingFlags,
    ...process.execArgv,
    ...process.argv.slice(1),
  ];
  const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
for (const name of chosen) {
  const t = performance.now();
  await BENCHMARKS[name]?.();
  process.stdout.write(`(${name} took ${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
}
