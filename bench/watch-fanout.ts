/**
 * `watch`: delivery latency of one change to 1,000 concurrent watchers. The watchers start at the
 * target's resourceVersion (no initial list), then UPDATES PUTs run one at a time; each waits until
 * every watcher has received its event. Latency = time from the PUT's start to a watcher receiving
 * the event line. In-process (`ApiServer.handle` streams) for each store, and over real HTTPS to a
 * hub in a child process (clients in this process).
 */
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import {
  STORE_KINDS,
  cmPath,
  configMap,
  createNamespace,
  expectStatus,
  now,
  openStore,
  request,
  startServer,
} from './lib/fixtures.js';
import type { StoreKind } from './lib/fixtures.js';
import { spawnHub } from './lib/hub-process.js';
import { forceGc, latencyStats, printTable, round, writeResult } from './lib/report.js';
import type { LatencyStats } from './lib/report.js';

const WATCHERS = 1_000;
const UPDATES = 50;
const WARMUP_UPDATES = 5;
const DELIVERY_TIMEOUT_MS = 30_000;
const NS = 'watch';
const NAME = 'target';
const GOAL_P99_MS = 100;

interface FanoutResult {
  watchers: number;
  updates: number;
  delivery: LatencyStats;
  /** Time until the last of the watchers had the event, per update. */
  allDelivered: LatencyStats;
  /** The PUT's own latency while the watchers are open. */
  write: LatencyStats;
  openWatchersMs: number;
  meetsGoal: boolean;
}

/**
 * Counts event lines per watcher and resolves when every watcher has `expected` lines. Lines can
 * arrive split or coalesced into chunks, so newlines are counted rather than chunks.
 */
class Arrivals {
  readonly #lines: Int32Array;
  #expected = 0;
  #pending = 0;
  #start = 0;
  #samples: number[] = [];
  #last = 0;
  #resolve: (() => void) | undefined;

  constructor(watchers: number) {
    this.#lines = new Int32Array(watchers);
  }

  /** Arms the next round: every watcher should reach `expected` lines; returns when all have. */
  expect(expected: number, start: number): Promise<{ samples: number[]; lastMs: number }> {
    this.#expected = expected;
    this.#start = start;
    this.#samples = [];
    this.#pending = 0;
    for (const n of this.#lines) if (n < expected) this.#pending++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `only ${this.#lines.length - this.#pending}/${this.#lines.length} watchers got update ${expected}`,
            ),
          ),
        DELIVERY_TIMEOUT_MS,
      );
      this.#resolve = () => {
        clearTimeout(timer);
        resolve({ samples: this.#samples, lastMs: this.#last - this.#start });
      };
      if (this.#pending === 0) this.#resolve();
    });
  }

  /** Records that watcher `w` received a chunk holding `lines` newline-terminated lines. */
  received(w: number, lines: number, at: number): void {
    const before = this.#lines[w] ?? 0;
    const after = before + lines;
    this.#lines[w] = after;
    if (before < this.#expected && after >= this.#expected) {
      this.#samples.push(at - this.#start);
      this.#last = at;
      if (--this.#pending === 0) this.#resolve?.();
    }
  }
}

function newlines(chunk: string): number {
  let n = 0;
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) n++;
  return n;
}

/** A writer: PUTs the next version of the target, returns when the PUT responded. */
type Writer = () => Promise<void>;

async function measure(arrivals: Arrivals, write: Writer, openWatchersMs: number): Promise<FanoutResult> {
  const delivery: number[] = [];
  const all: number[] = [];
  const writes: number[] = [];
  for (let u = 1; u <= WARMUP_UPDATES + UPDATES; u++) {
    if (u === WARMUP_UPDATES + 1) forceGc();
    const start = now();
    const done = arrivals.expect(u, start);
    await write();
    const writeMs = now() - start;
    const { samples, lastMs } = await done;
    if (u > WARMUP_UPDATES) {
      delivery.push(...samples);
      all.push(lastMs);
      writes.push(writeMs);
    }
  }
  const d = latencyStats(delivery);
  return {
    watchers: WATCHERS,
    updates: UPDATES,
    delivery: d,
    allDelivered: latencyStats(all),
    write: latencyStats(writes),
    openWatchersMs: round(openWatchersMs, 1),
    meetsGoal: d.p99Ms < GOAL_P99_MS,
  };
}

async function inProcess(kind: StoreKind): Promise<FanoutResult> {
  const opened = openStore(kind);
  const stop = new AbortController();
  try {
    const server = await startServer(opened.store);
    await createNamespace(server, NS);
    const res = await request(server, {
      method: 'POST',
      path: cmPath(NS),
      body: Buffer.from(JSON.stringify(configMap(NS, NAME, 0))),
    });
    expectStatus(res, 201, 'create target');
    let current = JSON.parse(res.body as string) as {
      metadata: { resourceVersion: string };
      data: Record<string, string>;
    };
    const arrivals = new Arrivals(WATCHERS);
    const t = now();
    const consumers: Promise<void>[] = [];
    for (let w = 0; w < WATCHERS; w++) {
      const q = new URLSearchParams({ watch: 'true', resourceVersion: current.metadata.resourceVersion });
      const r = await request(server, { method: 'GET', path: cmPath(NS), query: q, signal: stop.signal });
      expectStatus(r, 200, 'watch');
      const stream = r.stream;
      if (!stream) throw new Error('watch without a stream');
      consumers.push(
        (async () => {
          for await (const chunk of stream) arrivals.received(w, newlines(chunk), now());
        })(),
      );
    }
    const openMs = now() - t;
    let i = 0;
    const write: Writer = async () => {
      current.data['index'] = String(++i);
      const body = Buffer.from(JSON.stringify(current));
      const r = await request(server, { method: 'PUT', path: cmPath(NS, NAME), body });
      expectStatus(r, 200, 'update target');
      current = JSON.parse(r.body as string) as typeof current;
    };
    const result = await measure(arrivals, write, openMs);
    stop.abort();
    await Promise.allSettled(consumers);
    return result;
  } finally {
    stop.abort();
    await opened.dispose();
  }
}

interface Hub {
  url: URL;
  token: string;
  agent: Agent;
  stop(): Promise<void>;
}

async function startHubProcess(kind: StoreKind): Promise<Hub> {
  const hub = await spawnHub(kind);
  const agent = new Agent({ ca: hub.caPem, keepAlive: true, maxSockets: Infinity });
  return {
    url: new URL(hub.url),
    token: hub.token,
    agent,
    stop: async () => {
      agent.destroy();
      await hub.stop();
    },
  };
}

function https(
  hub: Hub,
  r: { method: string; path: string; body: unknown },
): Promise<{ status: number; text: string }> {
  const { method, path, body } = r;
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpsRequest(
      {
        host: hub.url.hostname,
        port: hub.url.port,
        method,
        path,
        agent: hub.agent,
        headers: {
          authorization: `Bearer ${hub.token}`,
          'content-type': 'application/json',
          ...(data ? { 'content-length': String(data.length) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function overHttps(kind: StoreKind): Promise<FanoutResult> {
  const hub = await startHubProcess(kind);
  const responses: IncomingMessage[] = [];
  try {
    const ns = await https(hub, {
      method: 'POST',
      path: '/api/v1/namespaces',
      body: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: NS },
      },
    });
    if (ns.status !== 201) throw new Error(`namespace: ${ns.status} ${ns.text}`);
    const created = await https(hub, { method: 'POST', path: cmPath(NS), body: configMap(NS, NAME, 0) });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
    let current = JSON.parse(created.text) as {
      metadata: { resourceVersion: string };
      data: Record<string, string>;
    };
    const arrivals = new Arrivals(WATCHERS);
    const t = now();
    const path = `${cmPath(NS)}?watch=true&resourceVersion=${current.metadata.resourceVersion}`;
    // Open in batches so 1,000 TLS handshakes do not all queue at once.
    for (let w = 0; w < WATCHERS; w += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, WATCHERS - w) }, (_, k) => {
          const idx = w + k;
          return new Promise<void>((resolve, reject) => {
            const req = httpsRequest(
              {
                host: hub.url.hostname,
                port: hub.url.port,
                path,
                agent: hub.agent,
                headers: { authorization: `Bearer ${hub.token}` },
              },
              (res) => {
                if (res.statusCode !== 200) reject(new Error(`watch: HTTP ${res.statusCode}`));
                responses.push(res);
                res.setEncoding('utf8');
                res.on('data', (c: string) => arrivals.received(idx, newlines(c), now()));
                res.on('error', () => undefined);
                resolve();
              },
            );
            req.on('error', reject);
            req.end();
          });
        }),
      );
    }
    const openMs = now() - t;
    let i = 0;
    const write: Writer = async () => {
      current.data['index'] = String(++i);
      const r = await https(hub, { method: 'PUT', path: cmPath(NS, NAME), body: current });
      if (r.status !== 200) throw new Error(`update: ${r.status} ${r.text}`);
      current = JSON.parse(r.text) as typeof current;
    };
    return await measure(arrivals, write, openMs);
  } finally {
    for (const r of responses) r.destroy();
    await hub.stop();
  }
}

/** Runs the benchmark (in-process for every store, HTTPS for the SQLite hub); prints and records it. */
export async function runWatchFanout(): Promise<void> {
  const results: Record<string, FanoutResult> = {};
  for (const kind of STORE_KINDS) results[`in-process/${kind}`] = await inProcess(kind);
  results['https/sqlite'] = await overHttps('sqlite');
  const rows = Object.entries(results).map(([name, r]) => ({
    transport: name,
    watchers: r.watchers,
    updates: r.updates,
    'p50 ms': r.delivery.p50Ms,
    'p99 ms': r.delivery.p99Ms,
    'max ms': r.delivery.maxMs,
    'last-watcher p50 ms': r.allDelivered.p50Ms,
    'PUT p50 ms': r.write.p50Ms,
    'open 1k ms': r.openWatchersMs,
    [`p99<${GOAL_P99_MS}ms`]: r.meetsGoal ? 'yes' : 'NO',
  }));
  printTable(`watch: delivery of one change to ${WATCHERS} watchers (from PUT start to receipt)`, rows);
  writeResult('watch', {
    description: `${WATCHERS} concurrent watches of one namespace's ConfigMaps started at the target's resourceVersion; ${UPDATES} PUTs one at a time (after ${WARMUP_UPDATES} warm-up), each awaited until every watcher received it. Latency from PUT start to receipt of the event line. HTTPS: hub in a child process, node:https clients here.`,
    goalP99Ms: GOAL_P99_MS,
    results,
  });
}
