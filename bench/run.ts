/**
 * `npm run bench [-- name...]`: runs the named benchmarks (all when none are named), prints a
 * table per benchmark and writes `bench/results/<name>.json`.
 */
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

const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !(a in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(BENCHMARKS).join(', ')}\n`,
  );
  process.exit(2);
}
for (const name of asked.length > 0 ? asked : Object.keys(BENCHMARKS)) {
  const t = performance.now();
  await BENCHMARKS[name]?.();
  process.stdout.write(`(${name} took ${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
}
