/**
 * Measures memory of an API server over a store holding N ConfigMaps, in a fresh process so no
 * other benchmark's garbage counts. Prints one JSON line. Usage:
 * `node --expose-gc --import tsx rss-child.ts <sqlite|memory> <count> <api|raw|hub>`.
 * `api` creates through `ApiServer.handle` (CONCURRENCY requests in flight), `raw` through the store;
 * `hub` starts the whole hub (`startHub`: API server, HTTPS, garbage collector and namespace
 * controller, whose informers cache every object) and creates through its API server.
 */
import { memoryUsage } from 'node:process';
import {
  cmPath,
  configMap,
  createNamespace,
  expectStatus,
  now,
  openStore,
  request,
  seedConfigMaps,
  startServer,
} from './fixtures.js';
import type { StoreKind } from './fixtures.js';
import { forceGc, mib, round } from './report.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopLogger } from '../../src/base/logger.js';
import type { ApiServer } from '../../src/apiserver/api-server.js';
import type { Store } from '../../src/storage/store.js';
import { startHub } from '../../src/cmd/hub.js';

const kind: StoreKind = process.argv[2] === 'memory' ? 'memory' : 'sqlite';
const count = Number(process.argv[3] ?? '100000');
const via = process.argv[4] === 'raw' ? 'raw' : process.argv[4] === 'hub' ? 'hub' : 'api';
const CONCURRENCY = 32;
const NS = 'rss';

function snapshot(): Record<string, number> {
  forceGc();
  const m = memoryUsage();
  return {
    rssMiB: mib(m.rss),
    heapUsedMiB: mib(m.heapUsed),
    heapTotalMiB: mib(m.heapTotal),
    externalMiB: mib(m.external),
    arrayBuffersMiB: mib(m.arrayBuffers),
  };
}

/** The server under test: a bare API server over a store, or a whole hub. */
async function open(): Promise<{ server: ApiServer; store: Store; dispose: () => Promise<void> }> {
  if (via !== 'hub') {
    const opened = openStore(kind);
    return { server: await startServer(opened.store), store: opened.store, dispose: () => opened.dispose() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-hub-'));
  const hub = await startHub({ dataDir: dir, host: '127.0.0.1', port: 0, storage: kind, log: noopLogger });
  return {
    server: hub.server,
    store: hub.server.context.store,
    dispose: async () => {
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until RSS stops growing (the controllers' informers have caught up), at most 20 s. */
async function settle(): Promise<void> {
  let last = memoryUsage().rss;
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const rss = memoryUsage().rss;
    if (Math.abs(rss - last) < last * 0.005) return;
    last = rss;
  }
}

const opened = await open();
const server = opened.server;
await createNamespace(server, NS);
const baseline = snapshot();
const t = now();
if (via === 'raw') {
  await seedConfigMaps(opened.store, NS, count);
} else {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) {
        const name = `cm-${String(i).padStart(6, '0')}`;
        const res = await request(server, {
          method: 'POST',
          path: cmPath(NS),
          body: Buffer.from(JSON.stringify(configMap(NS, name, i))),
        });
        expectStatus(res, 201, 'create');
      }
    }),
  );
}
const createMs = now() - t;
if (via === 'hub') await settle();
const afterCreate = snapshot();
const tl = now();
// In a function so the 50 MiB response is unreachable before the next snapshot.
const { listMs, peakDuringList } = await (async () => {
  const list = await request(server, { method: 'GET', path: cmPath(NS) });
  expectStatus(list, 200, 'list');
  return { listMs: now() - tl, peakDuringList: mib(memoryUsage().rss) };
})();
const afterList = snapshot();
await opened.dispose();
process.stdout.write(
  `${JSON.stringify({ store: kind, objects: count, createdVia: via, createConcurrency: via === 'raw' ? 1 : CONCURRENCY, createMs: round(createMs, 0), createOpsPerSec: round((count / createMs) * 1000, 0), baseline, afterCreate, fullListMs: round(listMs, 0), rssRightAfterFullListMiB: peakDuringList, afterFullListAndGc: afterList })}\n`,
);
