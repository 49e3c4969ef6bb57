/**
 * Stores, API servers and ConfigMaps for the benchmarks. Objects written through the raw store
 * use the API's key layout and stored form (`encodeObject`), so the API server can read them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ApiServer } from '../../src/apiserver/api-server.js';
import { encodeObject } from '../../src/apiserver/codec.js';
import type { ApiRequest, ApiResponse } from '../../src/apiserver/request.js';
import type { KubeObject } from '../../src/api/meta.js';
import { SystemClock } from '../../src/base/clock.js';
import { noopLogger } from '../../src/base/logger.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';

export type StoreKind = 'sqlite' | 'memory';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'memory'];

export interface OpenedStore {
  kind: StoreKind;
  store: Store;
  /** Closes the store and removes its temp directory. */
  dispose(): Promise<void>;
}

/** A fresh store: SQLite in a temp file (WAL, as the hub runs it) or memory. */
export function openStore(kind: StoreKind): OpenedStore {
  if (kind === 'memory') {
    const store = new MemoryStore();
    return { kind, store, dispose: () => store.close() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-'));
  const store = SqliteStore.open(join(dir, 'state.db'));
  return {
    kind,
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A started API server over `store` (system clock, no logging). */
export async function startServer(store: Store): Promise<ApiServer> {
  const server = new ApiServer({ store, clock: new SystemClock(), log: noopLogger });
  await server.start();
  return server;
}

const NO_SIGNAL = new AbortController().signal;
const JSON_HEADERS = { 'content-type': 'application/json' };

/** One socket-free request; `body` must already be encoded so callers can keep it out of timings. */
export function request(
  server: ApiServer,
  options: {
    method: string;
    path: string;
    body?: Buffer | undefined;
    query?: URLSearchParams;
    signal?: AbortSignal;
  },
): Promise<ApiResponse> {
  const req: ApiRequest = {
    method: options.method,
    path: options.path,
    query: options.query ?? new URLSearchParams(),
    headers: JSON_HEADERS,
    ...(options.body ? { body: options.body } : {}),
    signal: options.signal ?? NO_SIGNAL,
  };
  return server.handle(req);
}

/** Throws unless the response has the expected status. */
export function expectStatus(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status}: ${bodyText(res).slice(0, 300)}`);
}

export function bodyText(res: ApiResponse): string {
  return typeof res.body === 'string' ? res.body : res.body ? Buffer.from(res.body).toString('utf8') : '';
}

export async function createNamespace(server: ApiServer, name: string): Promise<void> {
  const res = await request(server, {
    method: 'POST',
    path: '/api/v1/namespaces',
    body: Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
  });
  expectStatus(res, 201, `create namespace ${name}`);
}

/** A small ConfigMap as a client would POST it (~100 bytes of data). */
export function configMap(
  namespace: string,
  name: string,
  i: number,
): KubeObject & { data: Record<string, string> } {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { app: 'bench', shard: String(i % 16) } },
    data: { 'config.yaml': `replicas: ${i % 7}\nmode: bench\n`, index: String(i) },
  };
}

export function cmPath(namespace: string, name?: string): string {
  return name === undefined
    ? `/api/v1/namespaces/${namespace}/configmaps`
    : `/api/v1/namespaces/${namespace}/configmaps/${name}`;
}

export function cmKey(namespace: string, name: string): string {
  return `/registry/core/configmaps/${namespace}/${name}`;
}

/**
 * The stored form of a ConfigMap as the API would write it on create (uid, creationTimestamp and
 * a managedFields entry), so raw-store writes carry a value of the same size and shape.
 */
export function storedConfigMap(
  namespace: string,
  name: string,
  options: { index: number; time?: string },
): string {
  const time = options.time ?? rfc3339Now();
  const cm = configMap(namespace, name, options.index);
  const obj: KubeObject = {
    ...cm,
    metadata: {
      ...cm.metadata,
      uid: randomUUID(),
      creationTimestamp: time,
      managedFields: [
        {
          manager: 'bench',
          operation: 'Update',
          apiVersion: 'v1',
          time,
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:data': { '.': {}, 'f:config.yaml': {}, 'f:index': {} },
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:shard': {} } },
          },
        },
      ],
    },
  };
  return encodeObject(obj);
}

/** Fills `namespace` with `count` ConfigMaps straight through the store (fast seeding). */
export async function seedConfigMaps(store: Store, namespace: string, count: number): Promise<void> {
  const time = rfc3339Now();
  for (let i = 0; i < count; i++) {
    const name = `cm-${String(i).padStart(6, '0')}`;
    const res = await store.create(
      cmKey(namespace, name),
      storedConfigMap(namespace, name, { index: i, time }),
    );
    if (!res.succeeded) throw new Error(`seeding ${name} failed`);
  }
}

export const now = (): number => performance.now();

function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}
