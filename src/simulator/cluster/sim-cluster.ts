/**
 * One simulated member cluster: its own store, an API server with the member profile (admission
 * plugins), and the components a real cluster runs — kube-controller-manager's controllers, the
 * pod scheduler and the kubelets of its nodes — all talking to their server through the local
 * transport, exactly as they would over HTTPS.
 *
 * Lifecycle: construct, `start(signal)` (resolves when stopped). `handle` answers requests once
 * `ready` has resolved. The identity of a cluster is its `kube-system` namespace UID (kept in its
 * store, so a persistent cluster keeps it across restarts).
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { AdmissionPlugin } from '../../apiserver/admission.js';
import { ApiServer } from '../../apiserver/api-server.js';
import type { ApiRequest, ApiResponse } from '../../apiserver/request.js';
import { ApiClient } from '../../client/api-client.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { localTransport } from '../../client/local-transport.js';
import { stripManagedFields } from '../../client/informer.js';
import { SharedInformers } from '../../client/shared-informers.js';
import { GarbageCollector } from '../../controllers/garbage-collector/garbage-collector.js';
import { NamespaceController } from '../../controllers/namespace/namespace-controller.js';
import { Manager } from '../../runtime/manager.js';
import type { Runnable } from '../../runtime/runnable.js';
import { Compactor } from '../../storage/compactor.js';
import type { Store } from '../../storage/store.js';
import type { ClusterSpec } from '../fleet/fleet-spec.js';

/** Everything a member component is built from. */
export interface MemberContext {
  readonly spec: ClusterSpec;
  readonly client: ApiClient;
  readonly informers: SharedInformers;
  readonly clock: Clock;
  readonly log: Logger;
  /** A recorder reporting as `component` (e.g. `default-scheduler`). */
  recorder(component: string, host?: string): EventRecorder;
}

/** Options of `SimCluster`. */
export interface SimClusterOptions {
  spec: ClusterSpec;
  store: Store;
  clock: Clock;
  log: Logger;
  /** Mutating admission of the member profile. */
  admission?: readonly AdmissionPlugin[];
  /** Emit Events from components (off in benchmarks). */
  events?: boolean;
}

/** A running simulated cluster. */
export class SimCluster {
  readonly name: string;
  readonly spec: ClusterSpec;
  readonly server: ApiServer;
  readonly client: ApiClient;
  readonly informers: SharedInformers;
  /** What components are built from (use before `start`). */
  readonly context: MemberContext;
  readonly #o: SimClusterOptions;
  readonly #components: { name: string; runnable: Runnable }[] = [];
  readonly #log: Logger;
  readonly #ready: Promise<void>;
  #markReady: () => void = () => undefined;

  constructor(options: SimClusterOptions) {
    this.#o = options;
    this.name = options.spec.name;
    this.spec = options.spec;
    this.#log = options.log.child({ cluster: options.spec.name });
    this.server = new ApiServer({
      store: options.store,
      clock: options.clock,
      log: this.#log,
      kubernetesVersion: options.spec.kubernetesVersion,
      ...(options.admission ? { admission: options.admission } : {}),
    });
    // Writes show kube's manager name, as a real cluster's controllers' do.
    this.client = new ApiClient(
      localTransport(
        this.server,
        'system:kube-controller-manager',
        `kube-controller-manager/${options.spec.kubernetesVersion} (linux/amd64) kubernetes/flotilla-sim`,
      ),
    );
    // No member component reads managedFields; caching pods without them halves their memory.
    this.informers = new SharedInformers({
      client: this.client,
      clock: options.clock,
      log: this.#log,
      transform: stripManagedFields,
    });
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
    const { clock } = options;
    const events = options.events ?? true;
    this.context = {
      spec: this.spec,
      client: this.client,
      informers: this.informers,
      clock,
      log: this.#log,
      recorder: (component, host) =>
        new EventRecorder({
          client: this.client,
          enabled: events,
          clock,
          log: this.#log,
          component,
          ...(host !== undefined ? { host } : {}),
        }),
    };
  }

  /** Adds a component that runs with the cluster (call before `start`). */
  use(name: string, runnable: Runnable): this {
    this.#components.push({ name, runnable });
    return this;
  }

  /** Resolves once the API server answers (system namespaces exist). */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** Answers one request addressed to this cluster (path without the fleet prefix). */
  async handle(req: ApiRequest): Promise<ApiResponse> {
    await this.#ready;
    return this.server.handle(req);
  }

  /** Serves and runs every component until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    await this.server.start(signal);
    this.#markReady();
    const { clock } = this.#o;
    const manager = new Manager({ log: this.#log })
      .add('informers', this.informers)
      .add(
        'garbage-collector',
        new GarbageCollector({ client: this.client, clock, log: this.#log, informers: this.informers }),
      )
      .add('namespace', new NamespaceController({ client: this.client, clock, log: this.#log }))
      // History is kept in memory, so for as long as kube-apiserver's watch cache keeps events
      // (75 s; its etcd keeps 5 minutes on disk), at least 1,000 revisions: a watch can resume after
      // a dropped connection, and a fleet of 100 clusters under a burst does not hold minutes of
      // every object's old versions.
      .add(
        'compactor',
        new Compactor(this.#o.store, { clock, logger: this.#log, interval: 15_000, retention: 75_000 }),
      );
    for (const c of this.#components) manager.add(c.name, c.runnable);
    await manager.start(signal);
  }
}
