/**
 * `api`: create, update, get and list of ConfigMaps through `ApiServer.handle` (in-process, no
 * sockets) against the same operations on the raw Store, in the same run, for each store.
 * Operations run one at a time; request bodies are encoded before the timed loop, so the time is
 * the server's (routing, decoding, validation, managedFields, encoding, storage).
 */
import type { Store } from '../src/storage/store.js';
import type { ApiServer } from '../src/apiserver/api-server.js';
import {
  STORE_KINDS,
  bodyText,
  cmKey,
  cmPath,
  configMap,
  createNamespace,
  expectStatus,
  now,
  openStore,
  request,
  startServer,
  storedConfigMap,
} from './lib/fixtures.js';
import type { StoreKind } from './lib/fixtures.js';
import { forceGc, latencyStats, printTable, round, writeResult } from './lib/report.js';
import type { LatencyStats } from './lib/report.js';

const OPS: Record<StoreKind, number> = { sqlite: 5_000, memory: 20_000 };
/** Objects in the listed namespace, and LIST calls per op count. */
const LIST_SIZE = 100;
const LIST_FRACTION = 5;
const WARMUP = 500;

type Op = 'create' | 'update' | 'get' | 'list';
interface Measured extends LatencyStats {
  opsPerSec: number;
}

async function timeLoop(n: number, body: (i: number) => Promise<void>): Promise<Measured> {
  const samples = new Array<number>(n);
  forceGc();
  const start = now();
  for (let i = 0; i < n; i++) {
    const t = now();
    await body(i);
    samples[i] = now() - t;
  }
  const elapsed = now() - start;
  return { ...latencyStats(samples), opsPerSec: round((n / elapsed) * 1000, 0) };
}

/** The API side: POST n, PUT n (with the rv from the create), GET n, LIST n/5 of a 100-object namespace. */
async function apiOps(server: ApiServer, ns: string, n: number): Promise<Record<Op, Measured>> {
  const names = Array.from({ length: n }, (_, i) => `cm-${String(i).padStart(6, '0')}`);
  const creates = names.map((name, i) => Buffer.from(JSON.stringify(configMap(ns, name, i))));
  const created: string[] = new Array<string>(n);
  const create = await timeLoop(n, async (i) => {
    const res = await request(server, 'POST', cmPath(ns), { body: creates[i] });
    if (res.status !== 201) expectStatus(res, 201, 'create');
    created[i] = res.body as string;
  });
  const updates = created.map((text, i) => {
    const obj = JSON.parse(text) as { data: Record<string, string> };
    obj.data['index'] = `${i}-updated`;
    return Buffer.from(JSON.stringify(obj));
  });
  const update = await timeLoop(n, async (i) => {
    const res = await request(server, 'PUT', cmPath(ns, names[i]), { body: updates[i] });
    if (res.status !== 200) expectStatus(res, 200, 'update');
  });
  const get = await timeLoop(n, async (i) => {
    const res = await request(server, 'GET', cmPath(ns, names[i]));
    if (res.status !== 200) expectStatus(res, 200, 'get');
  });
  const listNs = `${ns}-list`;
  await createNamespace(server, listNs);
  for (let i = 0; i < LIST_SIZE; i++) {
    expectStatus(
      await request(server, 'POST', cmPath(listNs), {
        body: Buffer.from(JSON.stringify(configMap(listNs, `cm-${i}`, i))),
      }),
      201,
      'seed list',
    );
  }
  const list = await timeLoop(Math.ceil(n / LIST_FRACTION), async () => {
    const res = await request(server, 'GET', cmPath(listNs));
    if (res.status !== 200) expectStatus(res, 200, 'list');
    if (typeof res.body !== 'string' || res.body.length < 1000)
      throw new Error(`short list: ${bodyText(res).slice(0, 200)}`);
  });
  return { create, update, get, list };
}

/** The same operations straight on the store, with values of the same size and shape. */
async function rawOps(store: Store, ns: string, n: number): Promise<Record<Op, Measured>> {
  const keys = Array.from({ length: n }, (_, i) => cmKey(ns, `cm-${String(i).padStart(6, '0')}`));
  const values = keys.map((k, i) => storedConfigMap(ns, k.slice(k.lastIndexOf('/') + 1), i));
  const revs = new Array<number>(n);
  const create = await timeLoop(n, async (i) => {
    const r = await store.create(keys[i] ?? '', values[i] ?? '');
    if (!r.succeeded) throw new Error('raw create failed');
    revs[i] = r.revision;
  });
  const updated = values.map((v) => v.replace(/"index":"(\d+)"/, '"index":"$1-updated"'));
  const update = await timeLoop(n, async (i) => {
    const r = await store.update(keys[i] ?? '', updated[i] ?? '', revs[i] ?? 0);
    if (!r.succeeded) throw new Error('raw update failed');
  });
  const get = await timeLoop(n, async (i) => {
    if (!(await store.get(keys[i] ?? ''))) throw new Error('raw get missed');
  });
  const listNs = `${ns}-list`;
  for (let i = 0; i < LIST_SIZE; i++)
    await store.create(cmKey(listNs, `cm-${i}`), storedConfigMap(listNs, `cm-${i}`, i));
  const prefix = `/registry/core/configmaps/${listNs}/`;
  const list = await timeLoop(Math.ceil(n / LIST_FRACTION), async () => {
    const r = await store.range(prefix);
    if (r.kvs.length !== LIST_SIZE) throw new Error(`raw list returned ${r.kvs.length}`);
  });
  return { create, update, get, list };
}

/** Runs the benchmark for every store kind; prints and records it. */
export async function runApiThroughput(): Promise<void> {
  const results: Record<string, unknown> = {};
  const rows: Record<string, string | number>[] = [];
  for (const kind of STORE_KINDS) {
    const n = OPS[kind];
    // Separate stores for raw and API so neither pays for the other's data; same process and run.
    const rawStore = openStore(kind);
    const apiStore = openStore(kind);
    try {
      const server = await startServer(apiStore.store);
      await createNamespace(server, 'warm');
      await apiOps(server, 'warm', WARMUP);
      await rawOps(rawStore.store, 'warm', WARMUP);
      await createNamespace(server, 'bench');
      const api = await apiOps(server, 'bench', n);
      const raw = await rawOps(rawStore.store, 'bench', n);
      const perOp: Record<string, unknown> = {};
      for (const op of ['create', 'update', 'get', 'list'] as const) {
        const ratio = round(api[op].opsPerSec / raw[op].opsPerSec, 3);
        perOp[op] = { api: api[op], raw: raw[op], apiToRawThroughput: ratio };
        rows.push({
          store: kind,
          op: op === 'list' ? `list(${LIST_SIZE})` : op,
          n: api[op].n,
          'api ops/s': api[op].opsPerSec,
          'api p50 ms': api[op].p50Ms,
          'api p99 ms': api[op].p99Ms,
          'raw ops/s': raw[op].opsPerSec,
          'raw p50 ms': raw[op].p50Ms,
          'raw p99 ms': raw[op].p99Ms,
          'api/raw': ratio,
        });
      }
      results[kind] = { ops: n, listSize: LIST_SIZE, ...perOp };
    } finally {
      await rawStore.dispose();
      await apiStore.dispose();
    }
  }
  const sqliteCreate = (results['sqlite'] as Record<string, { apiToRawThroughput: number }> | undefined)?.[
    'create'
  ]?.apiToRawThroughput;
  printTable('api: ConfigMap ops through ApiServer.handle vs raw Store (sequential, one op in flight)', rows);
  const goal = {
    apiCreateAtLeastHalfOfRawSqlite: sqliteCreate !== undefined && sqliteCreate >= 0.5,
    sqliteCreateRatio: sqliteCreate,
  };
  process.stdout.write(
    `goal: API create >= 0.5x raw SQLite create: ${goal.apiCreateAtLeastHalfOfRawSqlite ? 'MET' : 'NOT MET'} (ratio ${sqliteCreate})\n`,
  );
  writeResult('api', {
    description:
      'Sequential ConfigMap create/update/get/list through ApiServer.handle (in-process) vs the same ops on the raw Store; list = LIST of a 100-object namespace vs Store.range.',
    goal,
    results,
  });
}
