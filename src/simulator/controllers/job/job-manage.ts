/**
 * The pod-count step of a Job pass (kube `manageJob`): a suspended job loses its active pods;
 * otherwise the job wants `min(parallelism, completions - succeeded)` active pods (work-queue
 * jobs: `parallelism` until one succeeds, then no new ones). Too many → delete the least
 * advanced (and, for Indexed, duplicate or out-of-range indexes first); too few → after the
 * failure back-off, create pods (Indexed: the lowest pending indexes) in slow-start batches.
 * At most 500 creations or deletions per pass, as kube.
 */
import { errorMessage } from '../../../base/errors.js';
import { isPodReady } from '../revisions/workload-pods.js';
import type { Pod } from '../revisions/workload-pods.js';
import { backoffRemaining } from './job-backoff.js';
import { requeueWithin } from './job-context.js';
import type { JobBook, JobCtx, JobOps } from './job-context.js';
import { byRemovalPreference, completionIndexOf, isIndexed, newJobPod } from './job-pods.js';
import { allSpread } from '../../../base/spread.js';

const MAX_PER_PASS = 500;

/** Writes of the pass; `errors` collects failures to report after status is recorded. */
export interface ManageDeps {
  ops: JobOps;
  book: JobBook;
  errors: unknown[];
}

/** Converges the number of active pods; updates `ctx.activeCount`, `ready`, `terminating`. */
export async function manageJob(ctx: JobCtx, deps: ManageDeps): Promise<void> {
  const { job } = ctx;
  if (job.spec.suspend === true) {
    await removeJobPods(ctx, deps, [...ctx.active].sort(byRemovalPreference));
    return;
  }
  const parallelism = job.spec.parallelism ?? 1;
  const completions = job.spec.completions;
  let want: number;
  if (completions === undefined) want = ctx.succeeded > 0 ? ctx.activeCount : parallelism;
  else want = Math.max(0, Math.min(parallelism, completions - ctx.succeeded));
  const excess = podsForRemoval(ctx, Math.max(0, ctx.activeCount - want)).slice(0, MAX_PER_PASS);
  if (excess.length > 0) {
    await removeJobPods(ctx, deps, excess);
    return;
  }
  let diff = want - ctx.activeCount;
  if (diff <= 0) return;
  const wait = backoffRemaining(ctx.backoff, ctx.nowMs);
  if (wait > 0) {
    requeueWithin(ctx, wait);
    return;
  }
  diff = Math.min(diff, MAX_PER_PASS);
  const indexes = isIndexed(job) ? pendingIndexes(ctx, diff) : undefined;
  if (indexes) diff = indexes.length;
  deps.book.expect({ creations: diff });
  let pos = 0;
  for (let batch = Math.min(1, diff); pos < diff; batch = Math.min(batch * 2, diff - pos)) {
    const slice = Array.from({ length: batch }, (_, i) => indexes?.[pos + i]);
    pos += batch;
    const outcomes = await allSpread(
      slice.map((index) => async () => {
        try {
          await deps.ops.createPod(newJobPod(job, index));
          return true;
        } catch (err) {
          deps.book.creationFailed();
          deps.errors.push(err);
          return false;
        }
      }),
    );
    ctx.activeCount += outcomes.filter(Boolean).length;
    if (outcomes.includes(false)) {
      // Slow start: whatever was not attempted is not expected either.
      for (let i = pos; i < diff; i++) deps.book.creationFailed();
      break;
    }
  }
}

/** Removes the tracking finalizer, then deletes (deleteJobPods); adjusts the pass's counts. */
async function removeJobPods(ctx: JobCtx, deps: ManageDeps, pods: readonly Pod[]): Promise<void> {
  if (pods.length === 0) return;
  deps.book.expect({ deletions: pods.length });
  const results = await allSpread(
    pods.map((pod) => async () => {
      try {
        await deps.ops.removeFinalizer(pod);
        await deps.ops.deletePod(pod);
        return true;
      } catch (err) {
        deps.book.deletionFailed();
        deps.errors.push(
          new Error(`deleting pod ${pod.metadata.name ?? ''}: ${errorMessage(err)}`, { cause: err }),
        );
        return false;
      }
    }),
  );
  pods.forEach((pod, i) => {
    if (!results[i]) return;
    ctx.activeCount--;
    ctx.terminating++;
    if (isPodReady(pod)) ctx.ready--;
  });
}

/**
 * At least `count` active pods to remove (activePodsForRemoval): for Indexed jobs every pod with
 * an index out of range or a duplicate of a kept one, then the least advanced pods.
 */
function podsForRemoval(ctx: JobCtx, count: number): Pod[] {
  const rm: Pod[] = [];
  let left = ctx.active;
  if (isIndexed(ctx.job)) {
    const completions = ctx.job.spec.completions ?? 0;
    const kept = new Map<number, Pod>();
    for (const pod of [...ctx.active].sort(byRemovalPreference).reverse()) {
      const ix = completionIndexOf(pod);
      if (ix < 0 || ix >= completions || kept.has(ix)) rm.push(pod);
      else kept.set(ix, pod);
    }
    left = [...kept.values()];
  }
  if (rm.length < count) rm.push(...[...left].sort(byRemovalPreference).slice(0, count - rm.length));
  return rm;
}

/** The lowest indexes neither succeeded nor held by an active pod (firstPendingIndexes). */
function pendingIndexes(ctx: JobCtx, count: number): number[] {
  const completions = ctx.job.spec.completions ?? 0;
  const taken = new Set<number>(ctx.succeededIndexes);
  for (const pod of ctx.active) taken.add(completionIndexOf(pod));
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!taken.has(i)) out.push(i);
  return out;
}

/** Deletes every active pod of a finished job, keeping finalizers (deleteActivePods); answers how many went. */
export async function deleteActivePods(ctx: JobCtx, deps: ManageDeps): Promise<number> {
  const results = await allSpread(
    ctx.active.map((pod) => async () => {
      try {
        await deps.ops.deletePod(pod);
        return true;
      } catch (err) {
        deps.errors.push(err);
        return false;
      }
    }),
  );
  let deleted = 0;
  ctx.active.forEach((pod, i) => {
    if (!results[i]) return;
    deleted++;
    ctx.activeCount--;
    ctx.terminating++;
    if (isPodReady(pod)) ctx.ready--;
  });
  return deleted;
}
