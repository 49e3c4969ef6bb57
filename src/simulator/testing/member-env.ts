/**
 * Test environment for member-cluster components: an API server over a MemoryStore with the
 * given admission plugins, a client through the local transport, shared informers, and ONE
 * FakeClock used by the server and the components alike (timestamps the server writes, such as
 * creationTimestamp, and the times components compare them with move together).
 */
import type { TestContext } from 'node:test';
import { FakeClock } from '../../base/fake-clock.js';
import type { Logger } from '../../base/logger.js';
import { noopLogger } from '../../base/logger.js';
import type { KubeObject } from '../../api/meta.js';
import type { AdmissionPlugin } from '../../apiserver/admission.js';
import { ApiServer } from '../../apiserver/api-server.js';
import { ApiClient } from '../../client/api-client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { localTransport } from '../../client/local-transport.js';
import type { ResourceRef } from '../../client/resource-path.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Runnable } from '../../runtime/runnable.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';

/** What a member-cluster component test works with. */
export interface MemberEnv {
  server: ApiServer;
  client: ApiClient;
  informers: SharedInformers;
  clock: FakeClock;
  log: Logger;
  /** Aborted when the test ends. */
  signal: AbortSignal;
  /** An event recorder for `component` (and `host`). */
  recorder(component: string, host?: string): EventRecorder;
  /** Starts `runnable` (and the shared informers, once); stopped when the test ends. */
  run(runnable: Runnable): void;
  /** Creates `obj` in `ref` (namespace from the object). */
  create<T extends KubeObject>(ref: ResourceRef, obj: T): Promise<T>;
}

/** Starts an API server and client; everything stops when the test ends. */
export async function newMemberEnv(
  t: TestContext,
  options: { admission?: readonly AdmissionPlugin[]; log?: Logger } = {},
): Promise<MemberEnv> {
  const clock = new FakeClock();
  const log = options.log ?? noopLogger;
  const server = new ApiServer({
    store: new MemoryStore(),
    clock,
    log,
    ...(options.admission ? { admission: options.admission } : {}),
  });
  const stop = new AbortController();
  await server.start(stop.signal);
  const client = new ApiClient(localTransport(server));
  const informers = new SharedInformers({ client, clock, log });
  const running: Promise<void>[] = [];
  let informersStarted = false;
  t.after(async () => {
    stop.abort();
    await Promise.allSettled(running);
  });
  return {
    server,
    client,
    informers,
    clock,
    log,
    signal: stop.signal,
    recorder: (component, host) =>
      new EventRecorder({ client, clock, log, component, ...(host !== undefined ? { host } : {}) }),
    run(runnable) {
      running.push(runnable.start(stop.signal));
      if (!informersStarted) {
        informersStarted = true;
        running.push(informers.start(stop.signal));
      }
    },
    create: (ref, obj) => client.create(ref, obj),
  };
}
