/**
 * Cross-layer test harness: an in-process ApiServer over a MemoryStore, a client wired through
 * the same in-process transport the hub uses, and a deadline-bounded poll (base/testing's).
 */
import type { TestContext } from 'node:test';
import { FakeClock } from '../../src/base/fake-clock.js';
import { noopLogger } from '../../src/base/logger.js';
import type { ResourceInfo } from '../../src/api/resource-info.js';
import { ApiServer } from '../../src/apiserver/api-server.js';
import { ApiClient } from '../../src/client/api-client.js';
import { localTransport } from '../../src/client/local-transport.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';

export interface Env {
  server: ApiServer;
  client: ApiClient;
  /** The controllers' clock (the server has its own, never advanced). */
  clock: FakeClock;
  /** Aborted when the test ends. */
  signal: AbortSignal;
}

/** Starts a server and a client; everything stops when the test ends. `resources`: extra kinds served. */
export async function newEnv(
  t: TestContext,
  options: { resources?: readonly ResourceInfo[] } = {},
): Promise<Env> {
  const server = new ApiServer({
    store: new MemoryStore(),
    clock: new FakeClock(),
    log: noopLogger,
    ...(options.resources ? { resources: options.resources } : {}),
  });
  await server.start();
  const stop = new AbortController();
  t.after(() => stop.abort());
  return {
    server,
    client: new ApiClient(localTransport(server)),
    clock: new FakeClock(),
    signal: stop.signal,
  };
}

export { eventually } from '../../src/base/testing/eventually.js';

/** Resolves true when the object exists, false on 404. */
export async function exists(
  client: ApiClient,
  ref: { apiVersion: string; plural: string; namespace?: string },
  name: string,
): Promise<boolean> {
  try {
    await client.get(ref, name);
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}
