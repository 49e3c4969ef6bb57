/**
 * Composition root of `flotilla hub`: SQLite store (or memory), API server, HTTPS edge, PKI and
 * admin kubeconfig in the data directory, history compaction, Flotilla's own kinds, and the
 * in-process controllers (garbage collector, namespace deletion, the binding scheduler) talking to
 * the server through an in-process transport.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../base/logger.js';
import { SystemClock } from '../base/clock.js';
import type { Clock } from '../base/clock.js';
import { FLOTILLA_VALIDATORS, flotillaCrds } from '../api/flotilla/crds/index.js';
import { ApiServer } from '../apiserver/api-server.js';
import { compiledInResources } from '../apiserver/crd.js';
import type { CrdObject } from '../apiserver/crd.js';
import { HttpServer } from '../apiserver/http/http-server.js';
import { renderKubeconfig } from '../apiserver/http/kubeconfig.js';
import { ApiMetrics, countedHandle, instrumentStore } from '../apiserver/http/metrics.js';
import { ensurePki } from '../apiserver/http/pki.js';
import { ApiClient } from '../client/api-client.js';
import { EventRecorder } from '../client/event-recorder.js';
import { stripManagedFields } from '../client/informer.js';
import { SharedInformers } from '../client/shared-informers.js';
import { GarbageCollector } from '../controllers/garbage-collector/garbage-collector.js';
import { BindingScheduler } from '../scheduler/binding-scheduler.js';
import { ClusterStatusController } from '../controllers/cluster-status/cluster-status-controller.js';
import { GracefulEvictionController } from '../controllers/graceful-eviction/graceful-eviction.js';
import { TaintManager } from '../controllers/taint-manager/taint-manager.js';
import { Rebalancer } from '../controllers/rebalancer/rebalancer.js';
import { ClusterTaintPolicyController } from '../controllers/cluster-taint-policy/cluster-taint-policy-controller.js';
import type { RebalancerOptions } from '../controllers/rebalancer/rebalancer.js';
import { APPLICATION_FAILOVER_PRODUCER, TAINT_MANAGER_PRODUCER } from '../api/flotilla/binding.js';
import { ApplicationFailoverController } from '../controllers/application-failover/application-failover.js';
import { Counter } from 'prom-client';
import { Detector } from '../controllers/detector/detector.js';
import { BindingController } from '../controllers/binding/binding-controller.js';
import { BindingStatusController } from '../controllers/binding/binding-status-controller.js';
import { ExecutionController } from '../controllers/execution/execution-controller.js';
import { WorkStatusController } from '../controllers/work-status/work-status-controller.js';
import type { MemberClients } from '../client/member-clients.js';
import { SecretMemberClients } from '../members/secret-member-clients.js';
import { NamespaceController } from '../controllers/namespace/namespace-controller.js';
import { Lanes } from '../runtime/lanes.js';
import { Manager } from '../runtime/manager.js';
import { Compactor } from '../storage/compactor.js';
import { MemoryStore } from '../storage/memory/memory-store.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { acquireLock } from '../storage/sqlite/data-dir-lock.js';
import type { DataDirLock } from '../storage/sqlite/data-dir-lock.js';
import type { Store } from '../storage/store.js';
import { localTransport } from '../client/local-transport.js';

export interface HubOptions {
  dataDir: string;
  host: string;
  port: number;
  storage: 'sqlite' | 'memory';
  log: Logger;
  clock?: Clock;
  /** Watches without timeoutSeconds last this × random[1, 2) seconds (default 1800). */
  minRequestTimeoutSeconds?: number;
  /** History compaction: pass interval and retention in ms, revisions always kept. */
  compaction?: { interval?: number; retention?: number; minRetainRevisions?: number };
  /** Member health: probe interval and grace period before NotReady (ms; default 10 s and 40 s). */
  clusterStatus?: { probeIntervalMs?: number; gracePeriodMs?: number; evictionDelayMs?: number };
  /** Eviction rate limits of cluster failover (TaintManagerOptions). */
  failover?: { clusterEvictionRate?: number; clusterEvictionBurst?: number; disruptionThreshold?: number };
  /** Rebalancing (RebalancerOptions): recovery delay, timeout, rebalances at once. */
  rebalance?: Pick<RebalancerOptions, 'recoveryDelayMs' | 'timeoutMs' | 'maxInFlight'>;
  /** How the hub reaches members (default: the credentials in each Cluster's Secret). */
  members?: MemberClients;
  /** Aborts a hub still standing by for another one's data directory. */
  signal?: AbortSignal;
  /** Called when another hub is active on the data directory and this one stands by. */
  onStandby?: () => void;
  /** The data directory's lock, already taken (`lockDataDir`); released when the hub stops. */
  lock?: DataDirLock;
}

/**
 * Member status changes within this window make one Work status write; Work changes within it make
 * one binding status write (and one template status write).
 */
const WORK_STATUS_BATCH_MS = 200;

/** The hub was stopped before it became active. */
export class HubStoppedError extends Error {
  override readonly name = 'HubStoppedError';
}

export interface RunningHub {
  /** `https://host:port` */
  url: string;
  port: number;
  kubeconfigPath: string;
  token: string;
  caPem: string;
  server: ApiServer;
  /** Stops the controllers, stops serving and closes storage. */
  stop(): Promise<void>;
}

/**
 * One active hub per SQLite data directory: resolves with the directory's lock once no other hub
 * holds it (calling `onStandby` if it has to wait); a `HubStoppedError` if `signal` aborts first.
 */
export async function lockDataDir(
  options: Pick<HubOptions, 'dataDir' | 'log' | 'signal' | 'onStandby'>,
  clock: Clock,
): Promise<DataDirLock> {
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  // A referenced timer keeps the process alive while standing by: the clock's timers do not.
  const standing = setInterval(() => undefined, 60_000);
  try {
    const lock = await acquireLock(join(options.dataDir, 'hub.lock'), {
      me: { id: `${hostname()}:${process.pid}`, since: new Date(clock.now()).toISOString() },
      clock,
      signal: options.signal ?? new AbortController().signal,
      onWait: () => {
        options.log.warn(
          { dataDir: options.dataDir },
          'another hub is active on this data directory; standing by',
        );
        options.onStandby?.();
      },
    });
    if (!lock) throw new HubStoppedError('stopped while standing by');
    return lock;
  } finally {
    clearInterval(standing);
  }
}

/** Starts a hub and resolves once it accepts connections. */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const clock = options.clock ?? new SystemClock();
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const lock = options.lock ?? (options.storage === 'sqlite' ? await lockDataDir(options, clock) : undefined);
  const pki = await ensurePki(options.dataDir, options.host);
  const metrics = new ApiMetrics();
  const raw: Store =
    options.storage === 'memory' ? new MemoryStore() : SqliteStore.open(join(options.dataDir, 'state.db'));
  const store = instrumentStore(raw, metrics);
  const stopping = new AbortController();
  const server = new ApiServer({
    store,
    clock,
    log: options.log,
    resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
    ...(options.minRequestTimeoutSeconds !== undefined
      ? { minRequestTimeoutSeconds: options.minRequestTimeoutSeconds }
      : {}),
  });
  await server.start(stopping.signal);
  const http = new HttpServer({
    handle: (req) => server.handle(req),
    tls: pki,
    token: pki.token,
    metrics,
    log: options.log,
  });
  const addr = await http.listen(options.host, options.port);
  const hostForUrl = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  const url = `https://${hostForUrl}:${addr.port}`;
  const kubeconfigPath = join(options.dataDir, 'kubeconfig');
  await writeFile(
    kubeconfigPath,
    renderKubeconfig([{ name: 'flotilla', server: url, caPem: pki.caPem, token: pki.token }]),
    { mode: 0o600 },
  );
  const compactor = new Compactor(store, { clock, logger: options.log, ...options.compaction });
  const compaction = compactor.start(stopping.signal);
  // The controllers' requests count in apiserver_request_total like the ones over HTTP.
  const client = new ApiClient(
    localTransport({ handle: countedHandle((req) => server.handle(req), metrics) }),
  );
  const controllerLog = options.log.child({ component: 'controller-manager' });
  const informers = new SharedInformers({ client, clock, log: controllerLog, transform: stripManagedFields });
  // The failover path (evict, schedule, write and apply Works) goes before status bookkeeping
  // and Events when the loop is busy (runtime/lanes.ts).
  const lanes = new Lanes();
  const eventsDropped = new Counter({
    name: 'flotilla_events_dropped_total',
    help: 'Events the hub did not write because too many were waiting, by component.',
    labelNames: ['component'],
    registers: [metrics.registry],
  });
  const recorderFor = (component: string): EventRecorder =>
    new EventRecorder({
      client,
      clock,
      log: controllerLog,
      component: `flotilla-${component}`,
      beforeWrite: () => lanes.yieldToCritical(),
      // A failover records about 2.5 Events per workload moved. Deferred only up to the default
      // backlog of 100, they were about half the hub's writes in the seconds the moves still
      // waited. Up to 1,000 wait now (about 1 MB), and 4,000 are kept before any is dropped.
      maxDeferred: 1000,
      maxWaiting: 4000,
      onDropped: () => eventsDropped.inc({ component }),
    });
  const recorder = recorderFor('scheduler');
  const members = options.members ?? new SecretMemberClients(client, informers);
  const evictions = new Counter({
    name: 'flotilla_evictions_total',
    help: 'Workloads evicted from a member cluster, by cluster and by what evicted them.',
    labelNames: ['cluster', 'producer'],
    registers: [metrics.registry],
  });
  const controllers = new Manager({ log: controllerLog })
    .add('garbage-collector', new GarbageCollector({ client, clock, log: controllerLog, informers }))
    .add('namespace', new NamespaceController({ client, clock, log: controllerLog }))
    .add('informers', informers)
    .add(
      'detector',
      new Detector({
        client,
        informers,
        clock,
        log: controllerLog,
        recorder: recorderFor('detector'),
      }),
    )
    .add('scheduler', new BindingScheduler({ client, informers, clock, log: controllerLog, recorder, lanes }))
    .add(
      'binding',
      new BindingController({
        client,
        informers,
        clock,
        log: controllerLog,
        recorder: recorderFor('binding'),
        lanes,
      }),
    )
    .add(
      'binding-status',
      new BindingStatusController({
        client,
        informers,
        clock,
        log: controllerLog,
        workDelayMs: WORK_STATUS_BATCH_MS,
        lanes,
      }),
    )
    .add(
      'execution',
      new ExecutionController({
        client,
        informers,
        members,
        clock,
        log: controllerLog,
        recorder: recorderFor('execution'),
        lanes,
      }),
    )
    .add(
      'work-status',
      new WorkStatusController({
        client,
        informers,
        members,
        clock,
        log: controllerLog,
        batchMs: WORK_STATUS_BATCH_MS,
        lanes,
      }),
    )
    .add(
      'taint-manager',
      new TaintManager({
        client,
        informers,
        clock,
        log: controllerLog,
        recorder: recorderFor('taint-manager'),
        onEvict: (cluster) => evictions.inc({ cluster, producer: TAINT_MANAGER_PRODUCER }),
        lanes,
        ...options.failover,
      }),
    )
    .add(
      'application-failover',
      new ApplicationFailoverController({
        client,
        informers,
        clock,
        log: controllerLog,
        recorder: recorderFor('application-failover'),
        onEvict: (cluster) => evictions.inc({ cluster, producer: APPLICATION_FAILOVER_PRODUCER }),
      }),
    )
    .add(
      'graceful-eviction',
      new GracefulEvictionController({
        client,
        informers,
        clock,
        log: controllerLog,
        recorder: recorderFor('graceful-eviction'),
        lanes,
      }),
    )
    .add(
      'cluster-taint-policy',
      new ClusterTaintPolicyController({
        client,
        informers,
        clock,
        log: controllerLog,
        recorder: recorderFor('cluster-taint-policy'),
      }),
    )
    .add(
      'rebalancer',
      new Rebalancer({
        client,
        informers,
        clock,
        log: controllerLog,
        recorder: recorderFor('rebalancer'),
        ...options.rebalance,
      }),
    )
    .add(
      'cluster-status',
      new ClusterStatusController({
        client,
        informers,
        members,
        clock,
        log: controllerLog,
        recorder: recorderFor('cluster-status'),
        ...options.clusterStatus,
      }),
    )
    .start(stopping.signal)
    .catch((err: unknown) => {
      options.log.error({ err: err instanceof Error ? err.message : String(err) }, 'controllers failed');
    });
  options.log.info({ url, dataDir: options.dataDir, storage: options.storage }, 'hub serving');
  return {
    url,
    port: addr.port,
    kubeconfigPath,
    token: pki.token,
    caPem: pki.caPem,
    server,
    stop: async () => {
      stopping.abort();
      await controllers;
      await http.close();
      await compaction;
      await raw.close();
      lock?.release();
    },
  };
}
