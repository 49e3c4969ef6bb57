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
import type { MemberClients } from '../../src/client/member-clients.js';
import type { ApiRequest } from '../../src/apiserver/request.js';
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

/**
 * An in-process member cluster's API server and the hub's way to it (`members`), whose requests
 * `onRequest` sees first; `server` answers the test's own requests unseen.
 */
export async function newMember(onRequest: (req: ApiRequest) => void = () => undefined): Promise<{
  server: ApiServer;
  client: ApiClient;
  members: MemberClients;
}> {
  const server = new ApiServer({ store: new MemoryStore(), clock: new FakeClock(), log: noopLogger });
  await server.start();
  const client = new ApiClient(
    localTransport({
      handle: (req) => {
        onRequest(req);
        return server.handle(req);
      },
    }),
  );
  return { server, client, members: { clientFor: () => Promise.resolve(client) } };
}

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
