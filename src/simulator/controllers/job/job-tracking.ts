/**
 * Counting finished pods without losing any (kube `trackJobStatusAndRemoveFinalizers`): a pod
 * keeps the `batch.kubernetes.io/job-tracking` finalizer until it is counted. A pass
 *
 * 1. records newly finished pods' uids in `status.uncountedTerminatedPods` (Indexed: their
 *    indexes in `completedIndexes`) and any interim condition, and writes the status;
 * 2. removes the finalizers of those pods;
 * 3. moves uids whose finalizer is gone from the uncounted lists into `succeeded` / `failed`;
 * 4. adds Complete / Failed once nothing is uncounted and no pod is terminating, and writes the
 *    status again, recording `Completed` or the failure reason as an event.
 *
 * A crash or conflict between any two steps leaves a state the next pass finishes.
 */
import { rfc3339Seconds } from '../../../base/clock.js';
import { errorMessage } from '../../../base/errors.js';
import { formatIndexes } from './completed-indexes.js';
import { ensureCondition, newCondition } from './job-context.js';
import type { JobBook, JobCtx, JobOps } from './job-context.js';
import { completionIndexOf, hasTrackingFinalizer, isIndexed, isPodFailed } from './job-pods.js';
import type { JobStatus } from './job-pods.js';
import { allSpread } from '../../../base/spread.js';

/** Batch bound on uncounted pods per pass (MaxUncountedPods). */
const MAX_UNCOUNTED = 500;

/** Step 1–4 above; throws the first write failure. */
export async function trackAndFlush(
  ctx: JobCtx,
  deps: { ops: JobOps; book: JobBook },
  needsFlushIn: boolean,
): Promise<void> {
  let needsFlush = needsFlushIn;
  const indexed = isIndexed(ctx.job);
  const completions = ctx.job.spec.completions ?? 0;
  const now = rfc3339Seconds(ctx.nowMs);
  const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndexOf(a) - completionIndexOf(b)) : ctx.pods;
  const withFinalizer = new Set<string>();
  for (const p of ctx.pods)
    if (hasTrackingFinalizer(p) && !ctx.pendingRemovals.has(p.metadata.uid ?? ''))
      withFinalizer.add(p.metadata.uid ?? '');
  if (countUncounted(ctx.job.status ?? {}, withFinalizer)) needsFlush = true;
  const uncounted = uncountedOf(ctx.job.status ?? {});
  const toRemove: typeof ctx.active = [];
  const newIndexes: number[] = [];
  let reachedMax = false;
  for (const pod of pods) {
    const uid = pod.metadata.uid ?? '';
    if (!hasTrackingFinalizer(pod) || ctx.pendingRemovals.has(uid)) continue;
    const failedish = isPodFailed(pod);
    const canRemove =
      ctx.job.metadata.deletionTimestamp !== undefined ||
      ctx.finished !== undefined ||
      pod.status?.phase === 'Succeeded' ||
      failedish;
    if (!canRemove) continue;
    toRemove.push(pod);
    const ix = completionIndexOf(pod);
    if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
      if (indexed) {
        if (ix >= 0 && ix < completions && !ctx.prevSucceededIndexes.has(ix)) {
          newIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!ctx.uncounted.succeeded.has(uid)) {
        uncounted.succeeded.push(uid);
        needsFlush = true;
      }
    } else if (failedish || (ctx.finished !== undefined && ctx.finished.type !== 'SuccessCriteriaMet')) {
      if (!ctx.uncounted.failed.has(uid) && (!indexed || (ix >= 0 && ix < completions))) {
        uncounted.failed.push(uid);
        needsFlush = true;
      }
    }
    if (newIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED) {
      reachedMax = true;
      break;
    }
  }
  const status = (ctx.job.status ??= {});
  status.uncountedTerminatedPods = uncounted;
  if (indexed) {
    const all = [...new Set([...ctx.succeededIndexes, ...newIndexes])].sort((a, b) => a - b);
    const text = formatIndexes(all);
    if (text !== (status.completedIndexes ?? '')) needsFlush = true;
    status.completedIndexes = text;
    status.succeeded = all.length;
  }
  if (ctx.finished?.type === 'FailureTarget') {
    (status.conditions ??= []).push(ctx.finished);
    needsFlush = true;
    ctx.finished = newCondition('Failed', {
      reason: ctx.finished.reason ?? '',
      message: ctx.finished.message ?? '',
      now,
    });
  }
  if (ctx.finished?.type === 'SuccessCriteriaMet') {
    if (!(status.conditions ?? []).some((c) => c.type === 'SuccessCriteriaMet')) {
      (status.conditions ??= []).push(ctx.finished);
      needsFlush = true;
    }
    ctx.finished = newCondition('Complete', {
      reason: ctx.finished.reason ?? '',
      message: ctx.finished.message ?? '',
      now,
    });
  }

  if (needsFlush) {
    ctx.job = await deps.ops.updateStatus(ctx.job);
    deps.book.setBackoff(ctx.backoff);
    needsFlush = false;
  }
  let removeError: unknown;
  if (toRemove.length > 0) {
    deps.book.expectFinalizerRemovals(toRemove.map((p) => p.metadata.uid ?? ''));
    await allSpread(
      toRemove.map((pod) => async () => {
        const uid = pod.metadata.uid ?? '';
        try {
          await deps.ops.removeFinalizer(pod);
          withFinalizer.delete(uid);
        } catch (err) {
          deps.book.finalizerRemovalFailed(uid);
          removeError ??= err;
        }
      }),
    );
  }
  if (countUncounted(ctx.job.status ?? {}, withFinalizer)) needsFlush = true;
  if (removeError !== undefined) {
    if (needsFlush) ctx.job = await deps.ops.updateStatus(ctx.job);
    throw removeError instanceof Error ? removeError : new Error(errorMessage(removeError));
  }
  const finished = !reachedMax && enactFinished(ctx, now);
  if (finished || needsFlush) ctx.job = await deps.ops.updateStatus(ctx.job);
  if (finished) recordFinished(ctx, deps.ops);
}

/** Moves uncounted uids without a finalizer into the counters (cleanUncountedPodsWithoutFinalizers). */
function countUncounted(status: JobStatus, withFinalizer: ReadonlySet<string>): boolean {
  const u = status.uncountedTerminatedPods;
  if (!u) return false;
  let changed = false;
  const keepS = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepS.length !== (u.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - keepS.length;
    u.succeeded = keepS;
    changed = true;
  }
  const keepF = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  if (keepF.length !== (u.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - keepF.length;
    u.failed = keepF;
    changed = true;
  }
  return changed;
}

function uncountedOf(status: JobStatus): { succeeded: string[]; failed: string[] } {
  const u = status.uncountedTerminatedPods ?? {};
  return { succeeded: [...(u.succeeded ?? [])], failed: [...(u.failed ?? [])] };
}

/** Adds the terminal condition once every pod is counted and none is terminating (enactJobFinished). */
function enactFinished(ctx: JobCtx, now: string): boolean {
  const finished = ctx.finished;
  if (!finished) return false;
  const u = ctx.job.status?.uncountedTerminatedPods;
  if ((u?.succeeded ?? []).length + (u?.failed ?? []).length > 0) return false;
  // Pods still terminating could yet run; the job ends once they are gone.
  if (ctx.terminating > 0) return false;
  ensureCondition(ctx.job, {
    type: finished.type,
    status: 'True',
    reason: finished.reason ?? '',
    message: finished.message ?? '',
    now,
  });
  if (finished.type === 'Complete') (ctx.job.status ??= {}).completionTime = now;
  return true;
}

function recordFinished(ctx: JobCtx, ops: JobOps): void {
  const finished = ctx.finished;
  if (!finished) return;
  if (finished.type === 'Complete') {
    const completions = ctx.job.spec.completions;
    if (completions !== undefined && (ctx.job.status?.succeeded ?? 0) > completions)
      ops.event(
        'Warning',
        'TooManySucceededPods',
        'Too many succeeded pods running after completion count reached',
      );
    ops.event('Normal', 'Completed', 'Job completed');
  } else {
    ops.event('Warning', finished.reason ?? 'Failed', finished.message ?? '');
  }
}
