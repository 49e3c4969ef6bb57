/**
 * The execution controller (push mode): applies each Work's manifests to its member cluster with
 * server-side apply (field manager `flotilla`, forced), creating the namespace when needed, and
 * deletes them from the member when the Work goes away (a finalizer holds the Work until then),
 * unless `preserveResourcesOnDeletion`. `conflictResolution`: under Abort (the default) an object
 * that exists in the member without Flotilla's tracking label is left alone and reported; under
 * Overwrite it is adopted. Members that are not Ready are skipped and retried, and every member
 * request has a timeout, so a slow or dead member never holds the other clusters' Works.
 * The outcome is the Work's `Applied` condition.
 *
 * A Work is applied again when its spec, deletion or finalizers change, and when a member object it
 * holds was changed or removed by someone else: its generation (or its presence, for kinds without
 * one) in `status.manifestStatuses` differs from what this controller's last apply left. Status
 * writes alone (its own `Applied` condition, member status the work-status controller reports) do
 * not cost a member round trip.
 *
 * Before applying, the member object is read to protect one Flotilla does not manage (Abort). The
 * read is skipped where it is not needed: under Overwrite, and for an object this controller
 * applied (without seeing its member NotReady since) that the Work's status still reports — the
 * work-status controller watches only objects with Flotilla's label, so the object is ours. (As with
 * Karmada's informer-cache check, that report can trail the member by one watch event: an object
 * replaced by an unmanaged one in that moment is taken over.) Half of a failover's member round
 * trips were these reads.
 */
import type { Cluster, Condition } from '../../api/flotilla/cluster.js';
import { clusterDefinitionOrReadinessChanged, isClusterReady } from '../../api/flotilla/cluster.js';
import { EXECUTION_FINALIZER, MANAGED_LABEL, memberResource, workCluster } from '../../api/flotilla/work.js';
import type { ManifestStatus, Work } from '../../api/flotilla/work.js';
import type { KubeObject } from '../../api/meta.js';
import { isNotFound } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import { withTimeout } from '../../base/clock.js';
import { errorMessage } from '../../base/errors.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/api-client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { CLUSTERS, WORKS } from '../../client/flotilla-resources.js';
import type { Informer } from '../../client/informer.js';
import type { MemberClients } from '../../client/member-clients.js';
import type { ResourceRef } from '../../client/resource-path.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import { Controller } from '../../runtime/controller.js';
import type { Lanes } from '../../runtime/lanes.js';
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';

export const FIELD_MANAGER = 'flotilla';

export interface ExecutionOptions {
  client: ApiClient;
  informers: SharedInformers;
  members: MemberClients;
  clock: Clock;
  log: Logger;
  recorder?: EventRecorder;
  /** How long one member request may take (default 10 s). */
  requestTimeoutMs?: number;
  /** Concurrent Works (default 32: most of a Work's time is spent waiting on its member). */
  workers?: number;
  /** When given, this controller's waiting keys go before background work (runtime/lanes.ts). */
  lanes?: Lanes;
}

/** Applies Works to their members. */
export class ExecutionController implements Runnable, Reconciler {
  readonly #o: ExecutionOptions;
  readonly #works: Informer<Work>;
  readonly #clusters: Informer<Cluster>;
  readonly #controller: Controller;
  /** Namespaces known to exist, per member client (forgotten when an apply says otherwise). */
  readonly #namespaces = new WeakMap<ApiClient, Set<string>>();
  /** Per Work, the `memberVersions` its last successful apply left in the member. */
  readonly #applied = new Map<string, string>();

  constructor(options: ExecutionOptions) {
    this.#o = options;
    this.#works = options.informers.informer<Work>(WORKS);
    this.#clusters = options.informers.informer<Cluster>(CLUSTERS);
    this.#works.addIndex('cluster', (w) => [clusterOf(w)]);
    this.#controller = new Controller({
      name: 'execution',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      sources: [
        {
          informer: this.#works as unknown as Informer,
          relevant: (a: KubeObject, b: KubeObject) => this.#relevant(a as Work, b as Work),
        },
        {
          informer: this.#clusters,
          keys: (c) => this.#works.byIndex('cluster', c.metadata.name ?? '').map(workKey),
          // New credentials or endpoint, served APIs, or a cluster Ready again: not every status write.
          relevant: (a: Cluster, b: Cluster) =>
            clusterDefinitionOrReadinessChanged(a, b) ||
            JSON.stringify(a.status?.apiEnablements) !== JSON.stringify(b.status?.apiEnablements),
        },
      ],
      workers: options.workers ?? 32,
      lane: { lanes: options.lanes, priority: 'critical' },
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** Whether a Work update needs a reconcile: a new definition, or member objects someone else changed. */
  #relevant(a: Work, b: Work): boolean {
    if (workDefinitionChanged(a, b)) return true;
    const now = memberVersions(b.status?.manifestStatuses);
    return now !== memberVersions(a.status?.manifestStatuses) && now !== this.#applied.get(workKey(b));
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const work = this.#works.get(key);
    const clusterName = work ? clusterOf(work) : '';
    if (!work || work.metadata.deletionTimestamp) this.#applied.delete(key);
    if (!work || !clusterName) return done;
    const cluster = this.#clusters.get(clusterName);
    if (work.metadata.deletionTimestamp) {
      if (!(work.metadata.finalizers ?? []).includes(EXECUTION_FINALIZER)) return done;
      if (cluster && !work.spec.preserveResourcesOnDeletion) {
        if (!isClusterReady(cluster)) return requeueAfter(10_000);
        const member = await this.#o.members.clientFor(cluster, signal);
        for (const m of work.spec.workload.manifests)
          await this.#timed(signal, (s) => this.#deleteFromMember({ member, cluster }, m, s));
      }
      await this.#setFinalizer(work, false, signal);
      return done;
    }
    if (!cluster) return done; // the cluster was removed: nothing to apply to
    if (!(work.metadata.finalizers ?? []).includes(EXECUTION_FINALIZER)) {
      await this.#setFinalizer(work, true, signal);
      return done; // the update brings the key back
    }
    if (!isClusterReady(cluster)) {
      this.#applied.delete(key); // what the Work's status says of the member may be stale when it returns
      return requeueAfter(10_000);
    }
    let condition: Condition;
    try {
      const member = await this.#o.members.clientFor(cluster, signal);
      const problems: string[] = [];
      const versions: string[] = [];
      for (const [ordinal, m] of work.spec.workload.manifests.entries()) {
        const applied = this.#applied.has(key);
        const outcome = await this.#timed(signal, (s) =>
          this.#applyToMember({ member, cluster }, { manifest: m, ordinal, work, applied }, s),
        );
        if (typeof outcome === 'string') problems.push(outcome);
        else versions.push(memberVersion(ordinal, outcome.metadata.generation, true));
      }
      if (problems.length) this.#applied.delete(key);
      else this.#applied.set(key, versions.join(','));
      condition = problems.length
        ? { type: 'Applied', status: 'False', reason: 'AppliedFailed', message: problems.join('; ') }
        : {
            type: 'Applied',
            status: 'True',
            reason: 'AppliedSuccessful',
            message: 'Manifest has been successfully applied',
          };
    } catch (err) {
      if (signal.aborted) throw err;
      condition = { type: 'Applied', status: 'False', reason: 'AppliedFailed', message: errorMessage(err) };
      await this.#writeCondition(work, condition, signal);
      throw err; // retried with backoff
    }
    await this.#writeCondition(work, condition, signal);
    if (condition.status !== 'True')
      this.#o.recorder?.record(work, {
        type: 'Warning',
        reason: 'WorkApplyFailed',
        message: condition.message ?? '',
      });
    return done;
  }

  /**
   * Applies one manifest (at `ordinal` of the Work); answers the member's object, or why it was not
   * applied (a conflict). `applied`: this controller applied the Work and has not seen the member
   * NotReady since.
   */
  async #applyToMember(
    target: { member: ApiClient; cluster: Cluster },
    item: { manifest: KubeObject; ordinal: number; work: Work; applied: boolean },
    signal: AbortSignal,
  ): Promise<KubeObject | string> {
    const { member, cluster } = target;
    const { manifest, work } = item;
    const ref = memberResource(cluster, manifest);
    const name = manifest.metadata.name ?? '';
    const options = { signal };
    if (ref.namespace) await this.#ensureNamespace(member, ref.namespace, signal);
    // Known to be Flotilla's: no conflict to check (see the file comment).
    const ours =
      item.applied && reportedInMember(work, { ordinal: item.ordinal, manifest, namespace: ref.namespace });
    let existing: KubeObject | undefined;
    if (work.spec.conflictResolution !== 'Overwrite' && !ours)
      try {
        existing = await member.get(ref, name, options);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    if (existing && existing.metadata.labels?.[MANAGED_LABEL] !== 'true')
      return `${manifest.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${name} already exists in ${cluster.metadata.name ?? ''} and is not managed by Flotilla (conflictResolution: Abort)`;
    try {
      return await member.patch(ref, name, {
        body: manifest,
        options: { type: 'apply', fieldManager: FIELD_MANAGER, force: true, signal: options.signal },
      });
    } catch (err) {
      if (isNotFound(err) && ref.namespace) this.#namespaces.get(member)?.delete(ref.namespace);
      throw err;
    }
  }

  async #deleteFromMember(
    target: { member: ApiClient; cluster: Cluster },
    manifest: KubeObject,
    signal: AbortSignal,
  ): Promise<void> {
    const { member, cluster } = target;
    const ref = memberResource(cluster, manifest);
    const options = { signal };
    try {
      const existing = await member.get(ref, manifest.metadata.name ?? '', options);
      if (existing.metadata.labels?.[MANAGED_LABEL] !== 'true') return; // not ours (any more)
      await member.delete(ref, manifest.metadata.name ?? '', { ...options, propagationPolicy: 'Background' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async #ensureNamespace(member: ApiClient, namespace: string, signal: AbortSignal): Promise<void> {
    let known = this.#namespaces.get(member);
    if (known?.has(namespace)) return;
    const ref = { apiVersion: 'v1', plural: 'namespaces' };
    try {
      await member.get(ref, namespace, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await member.patch(ref, namespace, {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
        options: { type: 'apply', fieldManager: FIELD_MANAGER, signal },
      });
    }
    if (!known) this.#namespaces.set(member, (known = new Set()));
    known.add(namespace);
  }

  async #setFinalizer(work: Work, present: boolean, signal: AbortSignal): Promise<void> {
    const others = (work.metadata.finalizers ?? []).filter((f) => f !== EXECUTION_FINALIZER);
    const finalizers = present ? [...others, EXECUTION_FINALIZER] : others;
    try {
      await this.#o.client.patch(worksIn(work), work.metadata.name ?? '', {
        body: { metadata: { resourceVersion: work.metadata.resourceVersion, finalizers } },
        options: { type: 'merge', signal },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async #writeCondition(work: Work, condition: Condition, signal: AbortSignal): Promise<void> {
    const previous = work.status?.conditions?.find((c) => c.type === 'Applied');
    if (previous?.status === condition.status && previous.message === condition.message) return;
    const now = new Date(this.#o.clock.now()).toISOString();
    const conditions = [
      ...(work.status?.conditions ?? []).filter((c) => c.type !== 'Applied'),
      {
        ...condition,
        lastTransitionTime:
          previous?.status === condition.status ? (previous.lastTransitionTime ?? now) : now,
      },
    ];
    try {
      await this.#o.client.patch(worksIn(work), work.metadata.name ?? '', {
        body: { status: { conditions } },
        options: { type: 'merge', subresource: 'status', signal },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Runs `fn` with `signal`, also aborted after the member request timeout of the clock. */
  async #timed<T>(signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const what = 'member request';
    const timeout = withTimeout(this.#o.clock, this.#o.requestTimeoutMs ?? 10_000, { signal, what });
    try {
      return await fn(timeout.signal);
    } finally {
      timeout.done();
    }
  }
}

/**
 * Whether the Work's status reports the member object of its manifest at `ordinal` (`namespace`:
 * where the manifest goes in the member). Health Unknown is also how an absent object is reported.
 */
function reportedInMember(
  work: Work,
  item: { ordinal: number; manifest: KubeObject; namespace: string | undefined },
): boolean {
  const { ordinal, manifest, namespace } = item;
  return (work.status?.manifestStatuses ?? []).some(
    ({ identifier: id, health }) =>
      id.ordinal === ordinal &&
      id.kind === manifest.kind &&
      id.name === manifest.metadata.name &&
      (id.namespace ?? '') === (namespace ?? '') &&
      health !== 'Unknown',
  );
}

/** Whether a Work's spec, deletion or finalizers changed between two versions. */
function workDefinitionChanged(a: Work, b: Work): boolean {
  return (
    a.metadata.generation !== b.metadata.generation ||
    a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp ||
    (a.metadata.finalizers ?? []).join(',') !== (b.metadata.finalizers ?? []).join(',')
  );
}

/**
 * What the member holds of a Work's manifests, as far as re-applying goes: each object's generation,
 * or only whether it exists for kinds without one. Member status is left out.
 */
function memberVersions(statuses: readonly ManifestStatus[] | undefined): string {
  return (statuses ?? [])
    .map((s) => memberVersion(s.identifier.ordinal, s.generation, s.health !== 'Unknown'))
    .join(',');
}

function memberVersion(ordinal: number, generation: number | undefined, present: boolean): string {
  return `${ordinal}:${generation !== undefined ? `g${generation}` : present ? 'present' : 'absent'}`;
}

function worksIn(work: Work): ResourceRef {
  return { ...WORKS, namespace: work.metadata.namespace ?? '' };
}

function workKey(w: Work): string {
  return `${w.metadata.namespace ?? ''}/${w.metadata.name ?? ''}`;
}

/** The member cluster of a Work (from its namespace), or '' for a Work outside one. */
function clusterOf(w: Work): string {
  return workCluster(w.metadata.namespace);
}
