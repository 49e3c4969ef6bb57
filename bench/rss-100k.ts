/**
 * `rss`: process memory of the API server (and of the whole hub) with 100,000 ConfigMaps created through the API, after a
 * forced GC, each store in a fresh child process (see lib/rss-child.ts). Goal for SQLite: < 1 GiB.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { STORE_KINDS } from './lib/fixtures.js';
import { printTable, writeResult } from './lib/report.js';

const OBJECTS = 100_000;
const GOAL_MIB = 1024;

interface ChildResult {
  store: string;
  createOpsPerSec: number;
  fullListMs: number;
  rssRightAfterFullListMiB: number;
  baseline: Record<string, number>;
  afterCreate: Record<string, number>;
  afterFullListAndGc: Record<string, number>;
}

/** Runs the benchmark for every store kind; prints and records it. */
export async function runRss100k(): Promise<void> {
  const child = join(dirname(fileURLToPath(import.meta.url)), 'lib', 'rss-child.ts');
  const results: Record<string, ChildResult> = {};
  const runs: { label: string; kind: string; via: 'api' | 'hub' }[] = [
    ...STORE_KINDS.map((kind) => ({ label: kind, kind, via: 'api' as const })),
    { label: 'sqlite, whole hub', kind: 'sqlite', via: 'hub' },
  ];
  for (const run of runs) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', child, run.kind, String(OBJECTS), run.via],
      { maxBuffer: 1 << 20 },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
    results[run.label] = { ...result, store: run.label };
  }
  const rows = Object.values(results).flatMap((r) => [
    {
      store: r.store,
      when: 'server started, empty',
      'RSS MiB': r.baseline['rssMiB'] ?? NaN,
      'heap used MiB': r.baseline['heapUsedMiB'] ?? NaN,
      'heap total MiB': r.baseline['heapTotalMiB'] ?? NaN,
      note: '',
    },
    {
      store: r.store,
      when: `${OBJECTS / 1000}k created via API, gc`,
      'RSS MiB': r.afterCreate['rssMiB'] ?? NaN,
      'heap used MiB': r.afterCreate['heapUsedMiB'] ?? NaN,
      'heap total MiB': r.afterCreate['heapTotalMiB'] ?? NaN,
      note: `${r.createOpsPerSec} creates/s (32 in flight)`,
    },
    {
      store: r.store,
      when: 'right after a full LIST',
      'RSS MiB': r.rssRightAfterFullListMiB,
      'heap used MiB': '',
      'heap total MiB': '',
      note: `LIST took ${r.fullListMs} ms`,
    },
    {
      store: r.store,
      when: 'after the LIST, gc',
      'RSS MiB': r.afterFullListAndGc['rssMiB'] ?? NaN,
      'heap used MiB': r.afterFullListAndGc['heapUsedMiB'] ?? NaN,
      'heap total MiB': r.afterFullListAndGc['heapTotalMiB'] ?? NaN,
      note: '',
    },
  ]);
  printTable(
    `rss: memory at ${OBJECTS.toLocaleString('en-US')} ConfigMaps (fresh process per store, forced gc)`,
    rows,
  );
  const sqliteRss = results['sqlite']?.afterCreate['rssMiB'];
  const hubRss = results['sqlite, whole hub']?.afterCreate['rssMiB'];
  const goal = {
    rssUnder1GiBSqlite: sqliteRss !== undefined && sqliteRss < GOAL_MIB,
    sqliteRssMiB: sqliteRss,
    rssUnder1GiBWholeHub: hubRss !== undefined && hubRss < GOAL_MIB,
    wholeHubRssMiB: hubRss,
  };
  process.stdout.write(
    `goal: SQLite RSS at ${OBJECTS} objects < ${GOAL_MIB} MiB: ${goal.rssUnder1GiBSqlite ? 'MET' : 'NOT MET'} (${sqliteRss} MiB; whole hub with controllers: ${hubRss} MiB, ${goal.rssUnder1GiBWholeHub ? 'MET' : 'NOT MET'})\n`,
  );
  writeResult('rss', {
    description: `RSS/heap of a process running ApiServer over each store (and of a whole hub: API server, HTTPS, garbage collector and namespace controller with their informer caches) after creating ${OBJECTS} ConfigMaps through ApiServer.handle (32 in flight) and a forced gc; also right after a full LIST and after a gc that follows it.`,
    goal,
    results,
  });
}
