/**
 * A real HTTPS hub in its own process for the over-the-wire benchmarks, so the hub's event loop is
 * not shared with 1,000 client connections. Prints one JSON line `{url, token, caPem, pid}` when
 * serving; stops when stdin closes or on SIGTERM. Usage: `hub-child.ts <sqlite|memory> [OPTIONS-JSON]`.
 * With FLOTILLA_BENCH_PROFILE=FILE, SIGUSR2 starts a CPU profile and the next SIGUSR2 writes it to
 * FILE (open it in Chrome DevTools), so a benchmark can profile just the phase it measures.
 * With FLOTILLA_BENCH_HEAP=DIR, SIGWINCH writes a heap snapshot into DIR (to see what holds memory);
 * with FLOTILLA_BENCH_MEMLOG_S=N, the hub prints its memory use (RSS, V8 heap, external) every N s.
 * The heap grows as `flotilla hub`'s default `--heap-growth` lets it; FLOTILLA_BENCH_HEAP_GROWTH=P
 * sets another percentage (0 = V8's own choice) to compare.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { startHub } from '../../src/cmd/hub.js';
import type { HubOptions } from '../../src/cmd/hub.js';
import { noopLogger } from '../../src/base/logger.js';
import { DEFAULT_HEAP_GROWTH_PERCENT, limitHeapGrowth } from '../../src/cmd/heap-growth.js';
import { startCpuProfile } from './cpu-profile.js';

const storage = process.argv[2] === 'memory' ? 'memory' : 'sqlite';
/** More hub options, as JSON (e.g. `{"clusterStatus":{"probeIntervalMs":1000}}`). */
const extra = JSON.parse(process.argv[3] ?? '{}') as Pick<HubOptions, 'clusterStatus' | 'failover'>;
limitHeapGrowth(Number(process.env['FLOTILLA_BENCH_HEAP_GROWTH'] ?? DEFAULT_HEAP_GROWTH_PERCENT));
const dataDir = mkdtempSync(join(tmpdir(), 'flotilla-bench-hub-'));
const hub = await startHub({ dataDir, host: '127.0.0.1', port: 0, storage, log: noopLogger, ...extra });
process.stdout.write(
  `${JSON.stringify({ url: hub.url, token: hub.token, caPem: hub.caPem, pid: process.pid })}\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await hub.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.on('SIGTERM', () => void stop());

const profileFile = process.env['FLOTILLA_BENCH_PROFILE'];
if (profileFile) {
  let stopProfile: (() => Promise<void>) | undefined;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (stopProfile) {
        const stopping = stopProfile;
        stopProfile = undefined;
        await stopping();
      } else stopProfile = await startCpuProfile(profileFile);
    })();
  });
}

const heapDir = process.env['FLOTILLA_BENCH_HEAP'];
if (heapDir) process.on('SIGWINCH', () => writeHeapSnapshot(join(heapDir, `hub-${Date.now()}.heapsnapshot`)));

const memlogS = Number(process.env['FLOTILLA_BENCH_MEMLOG_S'] ?? 0);
if (memlogS > 0)
  setInterval(() => {
    const m = process.memoryUsage();
    const mib = (n: number) => Math.round(n / 2 ** 20);
    process.stderr.write(
      `    hub memory: RSS ${mib(m.rss)} MiB, heap ${mib(m.heapUsed)}/${mib(m.heapTotal)} MiB, external ${mib(m.external)} MiB (buffers ${mib(m.arrayBuffers)})\n`,
    );
  }, memlogS * 1000).unref();
