/**
 * Cross-layer test harness: an in-process ApiServer over a MemoryStore, a client wired through
 * the same in-process transport the hub uses, and a deadline-bounded poll.
 */
import type { TestContext } from 'node:test';
import { FakeClock } from '../../src/base/fake-clock.js';
import { noopLogger } from '../../src/base/logger.js';
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

/** Starts a server and a client; everything stops when the test ends. */
export async function newEnv(t: TestContext): Promise<Env> {
  const server = new ApiServer({ store: new MemoryStore(), clock: new FakeClock(), log: noopLogger });
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

/**
 * Polls `check` until it returns true, stepping `clock` by `stepMs` between polls (so requeues
 * and backoffs on the fake clock fire); fails after `timeoutMs` of real time.
 */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  options: { clock?: FakeClock; stepMs?: number; timeoutMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'condition'}`);
    if (options.clock) await options.clock.advance(options.stepMs ?? 100);
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
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
