/**
 * `api`: create, update, get and list of ConfigMaps through `ApiServer.handle` (in-process, no
 * sockets) against the same operations on the raw Store, in the same run, for each store.
 * Operations run one at a time, each phase in 5 chunks alternating API and raw (noise hits both);
 * request bodies are encoded before the timed loop, so the time is the server's (routing,
 * decoding, validation, managedFields, encoding, storage). A full warm-up round (5,000 of each op)
 * runs first so the numbers are a long-running server's steady state, not V8's warm-up: with a
 * 500-op warm-up the API create ratio reads about 0.08 lower.
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

const OPS: Record<StoreKind, number> = { sqlite: 20_000, memory: 20_000 };
/** Objects in the listed namespace, and LIST calls per op count. */
const LIST_SIZE = 100;
const LIST_FRACTION = 5;
const WARMUP = 5_000;

type Op = 'create' | 'update' | 'get' | 'list';
const OPS_IN_ORDER: readonly Op[] = ['create', 'update', 'get', 'list'];
/** Each phase is split into this many chunks, alternating API and raw, so machine noise hits both. */
const CHUNKS = 5;

interface Measured extends LatencyStats {
  opsPerSec: number;
}

/** One side of the comparison: op `i` of each phase (a phase's ops run in index order). */
interface Side {
  prepare(op: Op): Promise<void>;
  run(op: Op, i: number): Promise<void>;
}

class Timing {
  readonly samples: number[] = [];
  elapsed = 0;
  result(): Measured {
    return {
      ...latencyStats(this.samples),
      opsPerSec: round((this.samples.length / this.elapsed) * 1000, 0),
    };
  }
}

async function timeRange(side: Side, o: { op: Op; from: number; to: number; into: Timing }): Promise<void> {
  const { op, from, to, into } = o;
  forceGc();
  const start = now();
  for (let i = from; i < to; i++) {
    const t = now();
    await side.run(op, i);
    into.samples.push(now() - t);
  }
  into.elapsed += now() - start;
}

/** Runs every phase on both sides, alternating chunks of each phase between them. */
async function compare(
  api: Side,
  raw: Side,
  n: number,
): Promise<Record<Op, { api: Measured; raw: Measured }>> {
  const out = {} as Record<Op, { api: Measured; raw: Measured }>;
  for (const op of OPS_IN_ORDER) {
    const count = op === 'list' ? Math.ceil(n / LIST_FRACTION) : n;
    await api.prepare(op);
    await raw.prepare(op);
    const a = new Timing();
    const r = new Timing();
    for (let c = 0; c < CHUNKS; c++) {
      const from = Math.floor((c * count) / CHUNKS);
      const to = Math.floor(((c + 1) * count) / CHUNKS);
      await timeRange(api, { op, from, to, into: a });
      await timeRange(raw, { op, from, to, into: r });
    }
    out[op] = { api: a.result(), raw: r.result() };
  }
  return out;
}

const nameOf = (i: number): string => `cm-${String(i).padStart(6, '0')}`;

/** The API side: POST, PUT (with the rv from the create), GET; LIST of a 100-object namespace. */
function apiSide(server: ApiServer, ns: string, n: number): Side {
  const names = Array.from({ length: n }, (_, i) => nameOf(i));
  const creates = names.map((name, i) => Buffer.from(JSON.stringify(configMap(ns, name, i))));
  const created = new Array<string>(n);
  let updates: Buffer[] = [];
  const listNs = `${ns}-list`;
  return {
    async prepare(op) {
      if (op === 'update') {
        updates = created.map((text, i) => {
          const obj = JSON.parse(text) as { data: Record<string, string> };
          obj.data['index'] = `${i}-updated`;
          return Buffer.from(JSON.stringify(obj));
        });
      }
      if (op === 'list') {
        await createNamespace(server, listNs);
        for (let i = 0; i < LIST_SIZE; i++) {
          const body = Buffer.from(JSON.stringify(configMap(listNs, `cm-${i}`, i)));
          expectStatus(
            await request(server, { method: 'POST', path: cmPath(listNs), body }),
            201,
            'seed list',
          );
        }
      }
    },
    async run(op, i) {
      switch (op) {
        case 'create': {
          const res = await request(server, { method: 'POST', path: cmPath(ns), body: creates[i] });
          if (res.status !== 201) expectStatus(res, 201, 'create');
          created[i] = res.body as string;
          return;
        }
        case 'update': {
          const res = await request(server, { method: 'PUT', path: cmPath(ns, names[i]), body: updates[i] });
          if (res.status !== 200) expectStatus(res, 200, 'update');
          // The body text is encoded lazily; the HTTP edge reads it for every response, so do we.
          if (bodyText(res) === '') throw new Error('empty update response');
          return;
        }
        case 'get': {
          const res = await request(server, { method: 'GET', path: cmPath(ns, names[i]) });
          if (res.status !== 200) expectStatus(res, 200, 'get');
          if (bodyText(res) === '') throw new Error('empty get response');
          return;
        }
        case 'list': {
          const res = await request(server, { method: 'GET', path: cmPath(listNs) });
          if (res.status !== 200) expectStatus(res, 200, 'list');
          if (typeof res.body !== 'string' || res.body.length < 1000)
            throw new Error(`short list: ${bodyText(res).slice(0, 200)}`);
          return;
        }
      }
    },
  };
}

/** The same operations straight on the store, with values of the same size and shape. */
function rawSide(store: Store, ns: string, n: number): Side {
  const keys = Array.from({ length: n }, (_, i) => cmKey(ns, nameOf(i)));
  const values = Array.from({ length: n }, (_, i) => storedConfigMap(ns, nameOf(i), { index: i }));
  const updated = values.map((v) => v.replace(/"index":"(\d+)"/, '"index":"$1-updated"'));
  const revs = new Array<number>(n);
  const listNs = `${ns}-list`;
  const listPrefix = `/registry/core/configmaps/${listNs}/`;
  return {
    async prepare(op) {
      if (op === 'list')
        for (let i = 0; i < LIST_SIZE; i++)
          await store.create(cmKey(listNs, `cm-${i}`), storedConfigMap(listNs, `cm-${i}`, { index: i }));
    },
    async run(op, i) {
      switch (op) {
        case 'create': {
          const r = await store.create(keys[i] ?? '', values[i] ?? '');
          if (!r.succeeded) throw new Error('raw create failed');
          revs[i] = r.revision;
          return;
        }
        case 'update': {
          const r = await store.update(keys[i] ?? '', updated[i] ?? '', revs[i] ?? 0);
          if (!r.succeeded) throw new Error('raw update failed');
          return;
        }
        case 'get':
          if (!(await store.get(keys[i] ?? ''))) throw new Error('raw get missed');
          return;
        case 'list': {
          const r = await store.range(listPrefix);
          if (r.kvs.length !== LIST_SIZE) throw new Error(`raw list returned ${r.kvs.length}`);
          return;
        }
      }
    },
  };
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
      await compare(apiSide(server, 'warm', WARMUP), rawSide(rawStore.store, 'warm', WARMUP), WARMUP);
      await createNamespace(server, 'bench');
      const measured = await compare(apiSide(server, 'bench', n), rawSide(rawStore.store, 'bench', n), n);
      const perOp: Record<string, unknown> = {};
      for (const op of ['create', 'update', 'get', 'list'] as const) {
        const { api, raw } = measured[op];
        const ratio = round(api.opsPerSec / raw.opsPerSec, 3);
        perOp[op] = { api, raw, apiToRawThroughput: ratio };
        rows.push({
          store: kind,
          op: op === 'list' ? `list(${LIST_SIZE})` : op,
          n: api.n,
          'api ops/s': api.opsPerSec,
          'api p50 ms': api.p50Ms,
          'api p99 ms': api.p99Ms,
          'raw ops/s': raw.opsPerSec,
          'raw p50 ms': raw.p50Ms,
          'raw p99 ms': raw.p99Ms,
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
