/**
 * The work-status controller: reports what each member holds of its Works. Per member cluster it
 * watches, with informers on the member (objects labelled `flotilla.io/managed`), the kinds its
 * Works carry; a member object that changes brings its Work back (the `work.flotilla.io/work`
 * annotation names it). A Work's `status.manifestStatuses` gets each object's status, generation
 * and interpreted health (api/flotilla/interpret.ts). The binding status controller aggregates from there.
 * A member that stops being Ready loses its watches (their caches would go stale, their retries back
 * off); when it is Ready again they start afresh and its Works are reported anew.
 */
import type { Cluster } from '../../api/flotilla/cluster.js';
import { isClusterReady } from '../../api/flotilla/cluster.js';
import { interpretHealth, reflectStatus } from '../../api/flotilla/interpret.js';
import type { InterpretedObject } from '../../api/flotilla/interpret.js';
import {
  MANAGED_LABEL,
  WORK_ANNOTATION,
  memberResource,
  workCluster,
  workNamespace,
} from '../../api/flotilla/work.js';
import type { ManifestStatus, Work } from '../../api/flotilla/work.js';
import { jsonEqual } from '../../api/json-equal.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import { CLUSTERS, WORKS } from '../../client/flotilla-resources.js';
import { objectKey } from '../../client/informer.js';
import type { Informer } from '../../client/informer.js';
import type { MemberClients } from '../../client/member-clients.js';
import { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import type { Lanes } from '../../runtime/lanes.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';

export interface WorkStatusOptions {
  client: ApiClient;
  informers: SharedInformers;
  members: MemberClients;
  clock: Clock;
  log: Logger;
  /**
   * How long a member object's change waits before its Work's status is written, so a burst of
   * changes (pods turning Ready one by one) makes one write (default 0: at once).
   */
  batchMs?: number;
  /** When given, this controller waits while critical controllers have work (runtime/lanes.ts). */
  lanes?: Lanes;
}

interface MemberWatch {
  client: ApiClient;
  informers: SharedInformers;
  stop: AbortController;
  kinds: Set<string>;
}

/** Keeps Works' manifest statuses true to the members. */
export class WorkStatusController implements Runnable, Reconciler {
  readonly #o: WorkStatusOptions;
  readonly #log: Logger;
  readonly #works: Informer<Work>;
  readonly #clusters: Informer<Cluster>;
  readonly #controller: Controller;
  readonly #watches = new Map<string, MemberWatch>();

  constructor(options: WorkStatusOptions) {
    this.#o = options;
    this.#log = options.log.child({ controller: 'work-status' });
    this.#works = options.informers.informer<Work>(WORKS);
    this.#clusters = options.informers.informer<Cluster>(CLUSTERS);
    this.#controller = new Controller({
      name: 'work-status',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [{ informer: this.#works as unknown as Informer }],
      workers: 4,
      lane: { lanes: options.lanes, priority: 'background' },
    });
    this.#clusters.addHandlers({
      onUpdate: (before, after) => {
        if (isClusterReady(before) === isClusterReady(after)) return;
        const name = after.metadata.name ?? '';
        if (!isClusterReady(after)) this.#unwatch(name);
        else
          for (const w of this.#works.list())
            if (w.metadata.namespace === workNamespace(name)) this.#controller.enqueue(objectKey(w));
      },
      onDelete: (c) => this.#unwatch(c.metadata.name ?? ''),
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    try {
      await this.#controller.start(signal);
    } finally {
      for (const name of [...this.#watches.keys()]) this.#unwatch(name);
    }
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const work = this.#works.get(key);
    const ns = work?.metadata.namespace ?? '';
    const clusterName = workCluster(ns);
    if (!work || work.metadata.deletionTimestamp || !clusterName) return done;
    const cluster = this.#clusters.get(clusterName);
    if (!cluster || !isClusterReady(cluster)) return done;
    const watch = await this.#watch(cluster, signal);
    const statuses: ManifestStatus[] = [];
    let synced = true;
    for (const [ordinal, manifest] of work.spec.workload.manifests.entries()) {
      const ref = memberResource(cluster, manifest);
      const informer = this.#informer(watch, ref);
      if (!informer.hasSynced) synced = false;
      const name = manifest.metadata.name ?? '';
      const key = ref.namespace ? `${ref.namespace}/${name}` : name;
      const obj = informer.get(key) as InterpretedObject | undefined;
      const [group, version] = manifest.apiVersion.includes('/')
        ? (manifest.apiVersion.split('/') as [string, string])
        : ['', manifest.apiVersion];
      statuses.push({
        identifier: {
          ordinal,
          group,
          version,
          kind: manifest.kind,
          resource: ref.plural,
          ...(ref.namespace ? { namespace: ref.namespace } : {}),
          name,
        },
        ...(obj?.status !== undefined ? { status: reflectStatus(manifest.kind, obj.status) } : {}),
        health: interpretHealth(obj ? { ...obj, kind: manifest.kind } : undefined),
        ...(obj?.metadata.generation !== undefined ? { generation: obj.metadata.generation } : {}),
      });
    }
    if (!synced) return requeueAfter(1_000);
    if (
      jsonEqual(
        statuses as unknown as JsonValue,
        (work.status?.manifestStatuses ?? []) as unknown as JsonValue,
      )
    )
      return done;
    try {
      await this.#o.client.patch({ ...WORKS, namespace: ns }, work.metadata.name ?? '', {
        body: { status: { manifestStatuses: statuses } },
        options: { type: 'merge', subresource: 'status', signal },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return done;
  }

  async #watch(cluster: Cluster, signal: AbortSignal): Promise<MemberWatch> {
    const name = cluster.metadata.name ?? '';
    const client = await this.#o.members.clientFor(cluster, signal);
    const known = this.#watches.get(name);
    if (known?.client === client) return known;
    this.#unwatch(name);
    const stop = new AbortController();
    const informers = new SharedInformers({
      client,
      clock: this.#o.clock,
      log: this.#log.child({ cluster: name }),
      transform: statusView,
    });
    void informers.start(stop.signal);
    const watch = { client, informers, stop, kinds: new Set<string>() };
    this.#watches.set(name, watch);
    return watch;
  }

  /** The member informer of `ref`'s kind (managed objects only), created on first use. */
  #informer(watch: MemberWatch, ref: { apiVersion: string; plural: string }): Informer {
    const informer = watch.informers.informer(
      { apiVersion: ref.apiVersion, plural: ref.plural },
      { labelSelector: `${MANAGED_LABEL}=true` },
    );
    const id = `${ref.apiVersion}|${ref.plural}`;
    if (!watch.kinds.has(id)) {
      watch.kinds.add(id);
      const enqueue = (o: KubeObject): void => {
        const work = o.metadata.annotations?.[WORK_ANNOTATION];
        if (!work) return;
        if (this.#o.batchMs) this.#controller.enqueueAfter(work, this.#o.batchMs);
        else this.#controller.enqueue(work);
      };
      informer.addHandlers({ onAdd: enqueue, onUpdate: (_b, a) => enqueue(a), onDelete: enqueue });
    }
    return informer;
  }

  #unwatch(name: string): void {
    this.#watches.get(name)?.stop.abort();
    this.#watches.delete(name);
  }
}

/**
 * What this controller reads of a member object, and all its member caches keep: identity,
 * generation, the Work annotation, the spec fields health depends on (`replicas`, `type`) and the
 * status. Without templates, labels and managedFields, 100,000 member copies cost a fraction.
 */
function statusView<T extends KubeObject>(obj: T): T {
  const { name, namespace, uid, resourceVersion, generation, deletionTimestamp } = obj.metadata;
  const work = obj.metadata.annotations?.[WORK_ANNOTATION];
  const spec = (obj as InterpretedObject).spec;
  const view: InterpretedObject = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: {
      ...(name !== undefined ? { name } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(uid !== undefined ? { uid } : {}),
      ...(resourceVersion !== undefined ? { resourceVersion } : {}),
      ...(generation !== undefined ? { generation } : {}),
      ...(deletionTimestamp !== undefined ? { deletionTimestamp } : {}),
      ...(work !== undefined ? { annotations: { [WORK_ANNOTATION]: work } } : {}),
    },
  };
  if (spec) {
    view.spec = {};
    for (const field of ['replicas', 'type']) if (spec[field] !== undefined) view.spec[field] = spec[field];
  }
  const status = (obj as InterpretedObject).status;
  if (status !== undefined) view.status = status;
  return view as unknown as T;
}
