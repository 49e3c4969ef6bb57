/**
 * JobStatus as kube-controller-manager serializes it: `active`, `succeeded`, `failed` and
 * `completedIndexes` are omitted when zero/empty, `ready` and `terminating` are always written
 * (pointers), and `uncountedTerminatedPods` is always present, `{}` when nothing is pending.
 */
import type { JobStatus } from './job-pods.js';

/** A copy of `status` in its wire form. */
export function wireJobStatus(status: JobStatus): JobStatus {
  const out: JobStatus = { ...status };
  if (!out.active) delete out.active;
  if (!out.succeeded) delete out.succeeded;
  if (!out.failed) delete out.failed;
  if (out.completedIndexes === '') delete out.completedIndexes;
  const uncounted: NonNullable<JobStatus['uncountedTerminatedPods']> = {};
  if ((status.uncountedTerminatedPods?.succeeded ?? []).length > 0)
    uncounted.succeeded = [...(status.uncountedTerminatedPods?.succeeded ?? [])];
  if ((status.uncountedTerminatedPods?.failed ?? []).length > 0)
    uncounted.failed = [...(status.uncountedTerminatedPods?.failed ?? [])];
  out.uncountedTerminatedPods = uncounted;
  return out;
}
