/**
 * Measures memory of an API server over a store holding N ConfigMaps, in a fresh process so no
 * other benchmark's garbage counts. Prints one JSON line. Usage:
 * `node --expose-gc --import tsx rss-child.ts <sqlite|memory> <count> <api|raw>`.
 * `api` creates through `ApiServer.handle` (CONCURRENCY requests in flight), `raw` through the store.
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

const kind: StoreKind = process.argv[2] === 'memory' ? 'memory' : 'sqlite';
const count = Number(process.argv[3] ?? '100000');
const via = process.argv[4] === 'raw' ? 'raw' : 'api';
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

const opened = openStore(kind);
const server = await startServer(opened.store);
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
  `${JSON.stringify({ store: kind, objects: count, createdVia: via, createConcurrency: via === 'api' ? CONCURRENCY : 1, createMs: round(createMs, 0), createOpsPerSec: round((count / createMs) * 1000, 0), baseline, afterCreate, fullListMs: round(listMs, 0), rssRightAfterFullListMiB: peakDuringList, afterFullListAndGc: afterList })}\n`,
);
