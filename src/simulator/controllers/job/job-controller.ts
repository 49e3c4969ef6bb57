/**
 * The Job controller of a simulated member cluster (kube `pkg/controller/job` plus the
 * ttl-after-finished controller): pods up to `parallelism` until `completions` succeed (or, with
 * no completions, until one does), NonIndexed or Indexed, `backoffLimit` with exponential
 * back-off between replacements, `activeDeadlineSeconds`, `suspend`, finalizer-based counting,
 * and deletion of finished jobs after `ttlSecondsAfterFinished`.
 *
 * Pods are found through an informer index by their controller's key (`namespace/name`), so a
 * pass costs O(pods of that job); pods whose job is gone (or was replaced under the same name)
 * lose the tracking finalizer so they can go away.
 */
import type { Clock } from '../../../base/clock.js';
import { errorMessage } from '../../../base/errors.js';
import type { Logger } from '../../../base/logger.js';
import type { KubeObject } from '../../../api/meta.js';
import { isNotFound } from '../../../api/status.js';
import type { ApiClient } from '../../../client/api-client.js';
import type { EventRecorder } from '../../../client/event-recorder.js';
import type { Informer } from '../../../client/informer.js';
import type { ResourceRef } from '../../../client/resource-path.js';
import type { SharedInformers } from '../../../client/shared-informers.js';
import { Controller } from '../../../runtime/controller.js';
import { done, requeueAfter } from '../../../runtime/reconciler.js';
import type { Reconciler, Result } from '../../../runtime/reconciler.js';
import type { Runnable } from '../../../runtime/runnable.js';
import { Expectations } from '../revisions/expectations.js';
import { OwnWrites } from '../revisions/own-writes.js';
import { PODS, controllerRefOf, ownerKey } from '../revisions/workload-pods.js';
import type { Pod } from '../revisions/workload-pods.js';
import type { BackoffRecord } from './job-backoff.js';
import type { JobBook, JobOps } from './job-context.js';
import { JOB_KIND, TRACKING_FINALIZER, finishedAt, hasTrackingFinalizer, isFinished } from './job-pods.js';
import type { Job } from './job-pods.js';
import { syncJob } from './job-sync.js';
import { wireJobStatus } from './job-status.js';
import { cloneJson } from '../../../base/json-clone.js';
import { allSpread } from '../../../base/spread.js';

/** batch/v1 Jobs of every namespace. */
export const JOBS: ResourceRef = { apiVersion: 'batch/v1', plural: 'jobs' };

const POD_INDEX = 'job-controller/owner-key';

/** Options of `JobController`. */
export interface JobControllerOptions {
  client: ApiClient;
  informers: SharedInformers;
  clock: Clock;
  log: Logger;
  /** Events about Jobs (component `job-controller`); none when absent. */
  recorder?: EventRecorder;
  /** Concurrent Jobs (default 5, as kube-controller-manager). */
  workers?: number;
}

/** Reconciles Jobs into pods, counts and conditions. */
export class JobController implements Runnable, Reconciler {
  readonly #o: JobControllerOptions;
  readonly #log: Logger;
  readonly #jobs: Informer<Job>;
  readonly #pods: Informer<Pod>;
  readonly #expectations: Expectations;
  readonly #pendingRemovals = new Map<string, Set<string>>();
  readonly #backoff = new Map<string, BackoffRecord>();
  readonly #writes = new OwnWrites();
  readonly #controller: Controller;

  constructor(options: JobControllerOptions) {
    this.#o = options;
    this.#log = options.log.child({ controller: 'job' });
    this.#jobs = options.informers.informer<Job>(JOBS);
    this.#pods = options.informers.informer<Pod>(PODS);
    this.#pods.addIndex(POD_INDEX, (pod) => {
      const key = ownerKey(pod, JOB_KIND.kind);
      return key === undefined ? [] : [key];
    });
    this.#expectations = new Expectations({ clock: options.clock });
    this.#observePods();
    this.#controller = new Controller({
      name: 'job',
      reconciler: this,
      clock: options.clock,
      log: options.log,
      workers: options.workers ?? 5,
      sources: [
        { informer: this.#jobs as unknown as Informer },
        {
          informer: this.#pods,
          keys: (pod: KubeObject) => {
            const key = ownerKey(pod, JOB_KIND.kind);
            return key === undefined ? [] : [key];
          },
        },
      ],
    });
  }

  /** Runs until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.#controller.start(signal);
  }

  /** One pass over the Job `namespace/name`. */
  async reconcile(key: string, signal: AbortSignal): Promise<Result> {
    const cached = this.#jobs.get(key);
    const all = this.#pods.byIndex(POD_INDEX, key);
    const uid = cached?.metadata.uid;
    const orphans = all.filter((p) => controllerRefOf(p)?.uid !== uid && hasTrackingFinalizer(p));
    if (!cached || uid === undefined) {
      this.#forget(key);
      await this.#release(orphans, signal);
      return done;
    }
    // Our last status write is on its way to the cache; its event brings the key back.
    if (this.#writes.stale(key, cached)) return done;
    const job: Job = { ...cached, ...JOB_KIND };
    const pods = all.filter((p) => controllerRefOf(p)?.uid === uid);
    if (isFinished(job)) {
      this.#backoff.delete(key);
      await this.#release([...orphans, ...pods.filter(hasTrackingFinalizer)], signal);
      return this.#expire(job, signal);
    }
    await this.#release(orphans, signal);
    const outcome = await syncJob(
      { job, pods, nowMs: this.#o.clock.now() },
      { ops: this.#ops(job, { key, signal }), book: this.#book(key) },
    );
    return outcome.requeueAfterMs === undefined ? done : requeueAfter(outcome.requeueAfterMs);
  }

  /** ttlSecondsAfterFinished: delete the finished job once it expired (the ttl-after-finished controller). */
  async #expire(job: Job, signal: AbortSignal): Promise<Result> {
    const ttl = job.spec.ttlSecondsAfterFinished;
    if (ttl === undefined || job.metadata.deletionTimestamp !== undefined) return done;
    const at = finishedAt(job);
    if (Number.isNaN(at)) return done;
    const left = at + ttl * 1000 - this.#o.clock.now();
    if (left > 0) return requeueAfter(left);
    try {
      await this.#o.client.delete(
        { ...JOBS, namespace: job.metadata.namespace ?? '' },
        job.metadata.name ?? '',
        {
          propagationPolicy: 'Background',
          ...(job.metadata.uid !== undefined ? { preconditions: { uid: job.metadata.uid } } : {}),
          signal,
        },
      );
      this.#log.info(
        { job: `${job.metadata.namespace ?? ''}/${job.metadata.name ?? ''}` },
        'finished job expired',
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return done;
  }

  async #release(pods: readonly Pod[], signal: AbortSignal): Promise<void> {
    await allSpread(pods.map((pod) => () => removeFinalizer(this.#o.client, pod, signal)));
  }

  #ops(job: Job, at: { key: string; signal: AbortSignal }): JobOps {
    const { signal } = at;
    const ns = job.metadata.namespace ?? 'default';
    const pods: ResourceRef = { ...PODS, namespace: ns };
    const event = (type: 'Normal' | 'Warning', reason: string, message: string): void =>
      this.#o.recorder?.record(job, { type, reason, message });
    return {
      event,
      createPod: async (pod) => {
        try {
          const created = await this.#o.client.create<Pod>(pods, pod, { signal });
          event('Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
        } catch (err) {
          event('Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
          throw err;
        }
      },
      deletePod: async (pod) => {
        try {
          await this.#o.client.delete(pods, pod.metadata.name ?? '', { signal });
        } catch (err) {
          if (isNotFound(err)) return;
          event('Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
          throw err;
        }
        event('Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`);
      },
      removeFinalizer: (pod) => removeFinalizer(this.#o.client, pod, signal),
      updateStatus: async (next) => {
        const body = cloneJson(next);
        body.status = wireJobStatus(body.status ?? {});
        const stored = await this.#o.client.updateStatus<Job>(JOBS, body, { signal });
        this.#writes.record(at.key, stored);
        return { ...stored, ...JOB_KIND };
      },
    };
  }

  #book(key: string): JobBook {
    const pending = (): Set<string> => {
      let set = this.#pendingRemovals.get(key);
      if (!set) this.#pendingRemovals.set(key, (set = new Set()));
      return set;
    };
    return {
      satisfied: () => this.#expectations.satisfied(key),
      expect: (counts) => this.#expectations.expect(key, counts),
      creationFailed: () => this.#expectations.creationObserved(key),
      deletionFailed: () => this.#expectations.deletionObserved(key),
      pendingFinalizerRemovals: () => new Set(this.#pendingRemovals.get(key) ?? []),
      expectFinalizerRemovals: (uids) => {
        for (const uid of uids) pending().add(uid);
      },
      finalizerRemovalFailed: (uid) => this.#pendingRemovals.get(key)?.delete(uid),
      backoff: () => this.#backoff.get(key),
      setBackoff: (record) => this.#backoff.set(key, record),
    };
  }

  #forget(key: string): void {
    this.#expectations.forget(key);
    this.#writes.forget(key);
    this.#pendingRemovals.delete(key);
    this.#backoff.delete(key);
  }

  #observePods(): void {
    const key = (pod: Pod): string | undefined => ownerKey(pod, JOB_KIND.kind);
    const removalSeen = (k: string, pod: Pod): void => {
      const set = this.#pendingRemovals.get(k);
      if (!set) return;
      set.delete(pod.metadata.uid ?? '');
      if (set.size === 0) this.#pendingRemovals.delete(k);
    };
    this.#pods.addHandlers({
      onAdd: (pod) => {
        const k = key(pod);
        if (k !== undefined) this.#expectations.creationObserved(k);
      },
      onUpdate: (before, after) => {
        const k = key(after);
        if (k === undefined) return;
        if (before.metadata.deletionTimestamp === undefined && after.metadata.deletionTimestamp !== undefined)
          this.#expectations.deletionObserved(k);
        if (!hasTrackingFinalizer(after)) removalSeen(k, after);
      },
      onDelete: (pod) => {
        const k = key(pod);
        if (k === undefined) return;
        if (pod.metadata.deletionTimestamp === undefined) this.#expectations.deletionObserved(k);
        removalSeen(k, pod);
      },
    });
  }
}

/** Removes the job-tracking finalizer from `pod` (gone already is fine). */
async function removeFinalizer(client: ApiClient, pod: Pod, signal: AbortSignal): Promise<void> {
  if (!hasTrackingFinalizer(pod)) return;
  try {
    await client.patch({ ...PODS, namespace: pod.metadata.namespace ?? '' }, pod.metadata.name ?? '', {
      body: { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [TRACKING_FINALIZER] } },
      options: { type: 'strategic', signal },
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
