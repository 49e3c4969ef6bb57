/**
 * `up`: `flotilla up` as a user runs it (a new process, warm install, piped output) until it
 * reports every cluster Ready, for a fleet of 3 and of 50 clusters: wall time from spawning the
 * process (Node and TypeScript loading included), the time `up` itself reports, and the process
 * RSS once the fleet has idled for 10 s. A fresh data directory each run, plus one resume of the
 * 3-cluster fleet (the second `npm start`). Goals: < 3 s for 3 clusters, < 15 s for 50.
 * UP_BENCH_RUNS sets the runs per size (default 3).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, round, writeResult } from './lib/report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env['UP_BENCH_RUNS'] ?? 3);
const IDLE_MS = 10_000;

interface Run {
  clusters: number;
  resumed: boolean;
  wallS: number;
  reportedS: number;
  idleRssMiB: number;
}

/** One `flotilla up` in `dir` until Ready, then idle, then SIGTERM. */
async function upOnce(dir: string, clusters: number, resumed: boolean): Promise<Run> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'flotilla.js'),
      'up',
      '--data-dir',
      dir,
      '--listen',
      '127.0.0.1:0',
      '--clusters',
      String(clusters),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const ready = new Promise<number>((res, rej) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (out.includes('resume this fleet.')) res(performance.now());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => rej(new Error(`flotilla up exited ${code} before Ready:\n${out}`)));
  });
  const readyAt = await ready;
  const reported = /Flotilla is up \((\d+(?:\.\d+)?) s\)/.exec(out)?.[1];
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const status = readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  child.kill('SIGTERM');
  if ((await exited) !== 0) throw new Error(`flotilla up did not stop cleanly:\n${out}`);
  return {
    clusters,
    resumed,
    wallS: round((readyAt - t0) / 1000, 2),
    reportedS: Number(reported ?? NaN),
    idleRssMiB: round(rssKiB / 1024, 1),
  };
}

/** Runs the benchmark; prints and records it. */
export async function runUp(): Promise<void> {
  const runs: Run[] = [];
  for (const clusters of [3, 50])
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-up-'));
      try {
        runs.push(await upOnce(dir, clusters, false));
        if (clusters === 3 && i === 0) runs.push(await upOnce(dir, clusters, true));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  const rows = runs.map((r) => ({
    clusters: r.clusters,
    run: r.resumed ? 'resume' : 'fresh',
    'to Ready (wall, s)': r.wallS,
    'up reports (s)': r.reportedS,
    'idle RSS (MiB)': r.idleRssMiB,
  }));
  printTable('flotilla up: time to a Ready fleet, idle RSS', rows);
  const worst = (clusters: number): number =>
    Math.max(...runs.filter((r) => r.clusters === clusters).map((r) => r.wallS));
  const file = writeResult('up', {
    runs,
    goals: { threeClustersS: 3, fiftyClustersS: 15 },
    worstWallS: { three: worst(3), fifty: worst(50) },
    met: worst(3) < 3 && worst(50) < 15,
  });
  process.stdout.write(`results: ${file}\n`);
}
