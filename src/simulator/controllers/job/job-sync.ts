/**
 * One pass over an unfinished Job (kube `syncJob`): count active, ready, terminating and newly
 * finished pods; set `startTime`; decide whether the job failed (more failures than
 * `backoffLimit`, or active longer than `activeDeadlineSeconds`: interim `FailureTarget`, active
 * pods deleted) or succeeded (enough completions: interim `SuccessCriteriaMet`); otherwise
 * manage the pod count and the `Suspended` condition; then count finished pods and write the
 * status (`trackAndFlush`). Failures of pod writes are thrown after the status is recorded.
 */
import { rfc3339Seconds } from '../../../base/clock.js';
import { isPodReady, isPodTerminal, timeOf } from '../revisions/workload-pods.js';
import type { Pod } from '../revisions/workload-pods.js';
import { parseIndexes } from './completed-indexes.js';
import { nextBackoff } from './job-backoff.js';
import { ensureCondition, newCondition, requeueWithin } from './job-context.js';
import type { JobBook, JobCtx, JobOps } from './job-context.js';
import { deleteActivePods, manageJob } from './job-manage.js';
import { completionIndexOf, conditionOf, hasTrackingFinalizer, isIndexed, isPodFailed } from './job-pods.js';
import type { Job } from './job-pods.js';
import { trackAndFlush } from './job-tracking.js';
import { cloneJson } from '../../../base/json-clone.js';

/** Runs one pass; answers when to look again (deadline, back-off), if ever. */
export async function syncJob(
  input: { job: Job; pods: readonly Pod[]; nowMs: number },
  deps: { ops: JobOps; book: JobBook },
): Promise<{ requeueAfterMs?: number }> {
  const job = cloneJson(input.job);
  const status = (job.status ??= {});
  status.uncountedTerminatedPods ??= {};
  const now = rfc3339Seconds(input.nowMs);
  const suspended = job.spec.suspend === true;
  const satisfied = deps.book.satisfied();
  const pods = input.pods;
  const active = pods.filter((p) => !isPodTerminal(p) && p.metadata.deletionTimestamp === undefined);
  const uncounted = {
    succeeded: new Set(status.uncountedTerminatedPods.succeeded ?? []),
    failed: new Set(status.uncountedTerminatedPods.failed ?? []),
  };
  const pendingRemovals = deps.book.pendingFinalizerRemovals();
  const indexed = isIndexed(job);
  const completions = job.spec.completions ?? 0;
  const countable = (p: Pod, skip: ReadonlySet<string>): boolean => {
    const uid = p.metadata.uid ?? '';
    if (!hasTrackingFinalizer(p) || skip.has(uid) || pendingRemovals.has(uid)) return false;
    const ix = completionIndexOf(p);
    return !indexed || (ix >= 0 && ix < completions);
  };
  const newSucceeded = pods.filter(
    (p) => countable(p, uncounted.succeeded) && p.status?.phase === 'Succeeded',
  );
  const newFailed = pods.filter((p) => countable(p, uncounted.failed) && isPodFailed(p));
  const prevSucceededIndexes = indexed ? parseIndexes(status.completedIndexes, completions) : [];
  const succeededIndexes = indexed
    ? [...new Set([...prevSucceededIndexes, ...newSucceeded.map(completionIndexOf)])].sort((a, b) => a - b)
    : [];
  const ctx: JobCtx = {
    job,
    pods,
    active,
    activeCount: active.length,
    ready: active.filter(isPodReady).length,
    terminating: pods.filter((p) => p.metadata.deletionTimestamp !== undefined && !isPodTerminal(p)).length,
    uncounted,
    pendingRemovals,
    succeeded: indexed
      ? succeededIndexes.length
      : (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.size,
    failed: (status.failed ?? 0) + newFailed.length + uncounted.failed.size,
    prevSucceededIndexes: new Set(prevSucceededIndexes),
    succeededIndexes,
    finished: undefined,
    backoff: nextBackoff(deps.book.backoff(), { succeeded: newSucceeded, failed: newFailed }),
    nowMs: input.nowMs,
    requeueAfterMs: undefined,
  };
  if (status.startTime === undefined && !suspended) status.startTime = now;

  decideFailure(ctx, now);
  const errors: unknown[] = [];
  let suspendChanged = false;
  if (ctx.finished) {
    const deleted = await deleteActivePods(ctx, { ...deps, errors });
    // Not finished while pods may still be unseen or undeleted.
    if (deleted !== active.length || !satisfied) ctx.finished = undefined;
  } else {
    const manage = satisfied && job.metadata.deletionTimestamp === undefined;
    if (manage) await manageJob(ctx, { ...deps, errors });
    const complete =
      job.spec.completions === undefined
        ? ctx.succeeded > 0 && ctx.activeCount === 0
        : ctx.succeeded >= job.spec.completions && ctx.activeCount === 0;
    if (complete) {
      ctx.finished = newCondition('SuccessCriteriaMet', {
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
        now,
      });
    } else if (manage) {
      suspendChanged = suspendCondition(ctx, deps.ops, now);
    }
  }
  const needsUpdate =
    suspendChanged ||
    ctx.activeCount !== (status.active ?? 0) ||
    ctx.ready !== status.ready ||
    ctx.terminating !== status.terminating;
  status.active = ctx.activeCount;
  status.ready = ctx.ready;
  status.terminating = ctx.terminating;
  await trackAndFlush(ctx, deps, needsUpdate);
  if (errors.length > 0) throw errors[0];
  return ctx.requeueAfterMs === undefined ? {} : { requeueAfterMs: ctx.requeueAfterMs };
}

/** Sets `ctx.finished` to a failure the job has reached, or schedules the deadline check. */
function decideFailure(ctx: JobCtx, now: string): void {
  const { job } = ctx;
  const met = conditionOf(job, 'SuccessCriteriaMet');
  if (met?.status === 'True') {
    ctx.finished = met;
    return;
  }
  const target = conditionOf(job, 'FailureTarget');
  if (target?.status === 'True') {
    ctx.finished = newCondition('Failed', {
      reason: target.reason ?? '',
      message: target.message ?? '',
      now,
    });
    return;
  }
  if (ctx.failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, ctx.pods)) {
    ctx.finished = newCondition('FailureTarget', {
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
      now,
    });
    return;
  }
  const deadline = job.spec.activeDeadlineSeconds;
  const started = timeOf(job.status?.startTime);
  if (deadline === undefined || job.spec.suspend === true || Number.isNaN(started)) return;
  const left = started + deadline * 1000 - ctx.nowMs;
  if (left <= 0) {
    ctx.finished = newCondition('FailureTarget', {
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
      now,
    });
  } else {
    requeueWithin(ctx, left);
  }
}

/**
 * restartPolicy OnFailure: container restarts of pending and running pods count against
 * `backoffLimit` (pastBackoffLimitOnFailure).
 */
function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec.template.spec?.['restartPolicy'] !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const c of pod.status?.containerStatuses ?? []) restarts += c.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** The Suspended condition follows `spec.suspend`; resuming restarts the clock of the deadline. */
function suspendCondition(ctx: JobCtx, ops: JobOps, now: string): boolean {
  const { job } = ctx;
  if (job.spec.suspend === true) {
    const changed = ensureCondition(job, {
      type: 'Suspended',
      status: 'True',
      reason: 'JobSuspended',
      message: 'Job suspended',
      now,
    });
    if (changed) ops.event('Normal', 'Suspended', 'Job suspended');
    return changed;
  }
  const changed = ensureCondition(job, {
    type: 'Suspended',
    status: 'False',
    reason: 'JobResumed',
    message: 'Job resumed',
    now,
  });
  if (changed) {
    ops.event('Normal', 'Resumed', 'Job resumed');
    (job.status ??= {}).startTime = now;
  }
  return changed;
}
