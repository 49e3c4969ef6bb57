/**
 * What one Job pass shares between its steps (kube `syncJobCtx`) and the seams it writes
 * through: `JobOps` for API writes and events, `JobBook` for the controller's in-memory
 * bookkeeping of that job (expectations, finalizer removals in flight, back-off record).
 */
import type { Pod } from '../revisions/workload-pods.js';
import type { BackoffRecord } from './job-backoff.js';
import type { Job, JobCondition } from './job-pods.js';

/** API writes and events of one pass. */
export interface JobOps {
  /** Creates a pod; throws on failure. */
  createPod(pod: Pod): Promise<void>;
  /** Deletes a pod (already gone is fine); throws on other failures. */
  deletePod(pod: Pod): Promise<void>;
  /** Removes the job-tracking finalizer from a pod (already gone is fine). */
  removeFinalizer(pod: Pod): Promise<void>;
  /** Writes `job.status` through the status subresource; answers the stored job. */
  updateStatus(job: Job): Promise<Job>;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** The controller's memory about one job. */
export interface JobBook {
  /** No pod creation or deletion is still unobserved. */
  satisfied(): boolean;
  expect(counts: { creations?: number; deletions?: number }): void;
  creationFailed(): void;
  deletionFailed(): void;
  /** Pods (by uid) whose finalizer removal was sent but not yet observed. */
  pendingFinalizerRemovals(): ReadonlySet<string>;
  expectFinalizerRemovals(uids: readonly string[]): void;
  finalizerRemovalFailed(uid: string): void;
  backoff(): BackoffRecord | undefined;
  setBackoff(record: BackoffRecord): void;
}

/** The state of one pass. */
export interface JobCtx {
  /** The working copy; replaced by the server's answer after each status write. */
  job: Job;
  pods: readonly Pod[];
  active: Pod[];
  activeCount: number;
  ready: number;
  terminating: number;
  uncounted: { succeeded: ReadonlySet<string>; failed: ReadonlySet<string> };
  pendingRemovals: ReadonlySet<string>;
  succeeded: number;
  failed: number;
  /** Indexed jobs: completed indexes from the status, and with newly succeeded pods added. */
  prevSucceededIndexes: ReadonlySet<number>;
  succeededIndexes: number[];
  /** The condition the job is heading to (FailureTarget / SuccessCriteriaMet, then Failed / Complete). */
  finished: JobCondition | undefined;
  backoff: BackoffRecord;
  nowMs: number;
  /** Earliest time to look again, if any. */
  requeueAfterMs: number | undefined;
}

/** A True condition stamped now (newCondition). */
export function newCondition(
  type: string,
  at: { reason: string; message: string; now: string },
): JobCondition {
  const c: JobCondition = { type, status: 'True', lastProbeTime: at.now, lastTransitionTime: at.now };
  if (at.reason !== '') c.reason = at.reason;
  if (at.message !== '') c.message = at.message;
  return c;
}

/**
 * Sets condition `type` to `status` (ensureJobConditionStatus): replaces it when status, reason
 * or message differ, appends it unless it would be a new False; answers whether anything changed.
 */
export function ensureCondition(
  job: Job,
  wanted: { type: string; status: string; reason: string; message: string; now: string },
): boolean {
  const status = (job.status ??= {});
  const list = status.conditions ?? [];
  const i = list.findIndex((c) => c.type === wanted.type);
  const fresh = { ...newCondition(wanted.type, wanted), status: wanted.status };
  if (i >= 0) {
    const c = list[i];
    if (
      c &&
      c.status === wanted.status &&
      (c.reason ?? '') === wanted.reason &&
      (c.message ?? '') === wanted.message
    )
      return false;
    list[i] = fresh;
    return true;
  }
  if (wanted.status === 'False') return false;
  status.conditions = [...list, fresh];
  return true;
}

/** Keeps the earliest requeue. */
export function requeueWithin(ctx: JobCtx, ms: number): void {
  if (ms > 0) ctx.requeueAfterMs = Math.min(ctx.requeueAfterMs ?? ms, ms);
}
