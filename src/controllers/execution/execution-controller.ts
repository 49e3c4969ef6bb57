/**
 * The execution controller (push mode): applies each Work's manifests to its member cluster with
 * server-side apply (field manager `flotilla`, forced), creating the namespace when needed, and
 * deletes them from the member when the Work goes away (a finalizer holds the Work until then),
 * unless `preserveResourcesOnDeletion`. `conflictResolution`: under Abort (the default) an object
 * that exists in the member without Flotilla's tracking label is left alone and reported; under
 * Overwrite it is adopted. Members that are not Ready are skipped and retried, and every member
 * request has a timeout, so a slow or dead member never holds the other clusters' Works.
 * The outcome is the Work's `Applied` condition.
 */
import type { Cluster, Condition } from '../../api/flotilla/cluster.js';
import { clusterDefinitionOrReadinessChanged, isClusterReady } from '../../api/flotilla/cluster.js';
import { MANAGED_LABEL, memberResource, workCluster } from '../../api/flotilla/work.js';
import type { Work } from '../../api/flotilla/work.js';
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
import type { Reconciler, Result } from '../../runtime/reconciler.js';
import { done, requeueAfter } from '../../runtime/reconciler.js';
import type { Runnable } from '../../runtime/runnable.js';

export const EXECUTION_FINALIZER = 'work.flotilla.io/execution';
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
}

/** Applies Works to their members. */
export class ExecutionController implements Runnable, Reconciler {
  readonly #o: ExecutionOptions;
  readonly #works: Informer<Work>;
  readonly #clusters: Informer<Cluster>;
  readonly #controller: Controller;
  /** Namespaces known to exist, per member client (forgotten when an apply says otherwise). */
  readonly #namespaces = new WeakMap<ApiClient, Set<string>>();

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
        { informer: this.#works as unknown as Informer },
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
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const work = this.#works.get(key);
    const clusterName = work ? clusterOf(work) : '';
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
    if (!isClusterReady(cluster)) return requeueAfter(10_000);
    let condition: Condition;
    try {
      const member = await this.#o.members.clientFor(cluster, signal);
      const problems: string[] = [];
      for (const m of work.spec.workload.manifests) {
        const problem = await this.#timed(signal, (s) =>
          this.#applyToMember({ member, cluster }, { manifest: m, work }, s),
        );
        if (problem) problems.push(problem);
      }
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

  /** Applies one manifest; answers why it was not applied (a conflict), or undefined. */
  async #applyToMember(
    target: { member: ApiClient; cluster: Cluster },
    item: { manifest: KubeObject; work: Work },
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const { member, cluster } = target;
    const { manifest, work } = item;
    const ref = memberResource(cluster, manifest);
    const name = manifest.metadata.name ?? '';
    const options = { signal };
    if (ref.namespace) await this.#ensureNamespace(member, ref.namespace, signal);
    let existing: KubeObject | undefined;
    try {
      existing = await member.get(ref, name, options);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (
      existing &&
      existing.metadata.labels?.[MANAGED_LABEL] !== 'true' &&
      work.spec.conflictResolution !== 'Overwrite'
    )
      return `${manifest.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${name} already exists in ${cluster.metadata.name ?? ''} and is not managed by Flotilla (conflictResolution: Abort)`;
    try {
      await member.patch(ref, name, {
        body: manifest,
        options: { type: 'apply', fieldManager: FIELD_MANAGER, force: true, signal: options.signal },
      });
    } catch (err) {
      if (isNotFound(err) && ref.namespace) this.#namespaces.get(member)?.delete(ref.namespace);
      throw err;
    }
    return undefined;
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
