/**
 * The pod-failure back-off of Jobs (kube `backoff_utils.go`): after `n` failures since the last
 * success, replacement pods wait 10 s · 2^(n-1), capped at 6 minutes, counted from when the last
 * failed pod finished. Records live in memory per job key, as in kube-controller-manager.
 */
import type { Pod } from '../revisions/workload-pods.js';
import { podFinishedAt } from './job-pods.js';

/** The failures since the last success and when the last one finished. */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureMs: number | undefined;
}

/** The initial back-off (DefaultJobPodFailureBackOff). */
export const DEFAULT_BACKOFF_MS = 10_000;
/** The largest back-off (MaxJobPodFailureBackOff). */
export const MAX_BACKOFF_MS = 6 * 60_000;

const EMPTY: BackoffRecord = { failuresAfterLastSuccess: 0, lastFailureMs: undefined };

/** The record after newly finished pods are counted (newBackoffRecord). */
export function nextBackoff(
  previous: BackoffRecord | undefined,
  finished: { succeeded: readonly Pod[]; failed: readonly Pod[] },
): BackoffRecord {
  const prev = previous ?? EMPTY;
  const failedTimes = finished.failed.map(podFinishedAt).sort((a, b) => a - b);
  if (finished.succeeded.length === 0) {
    if (failedTimes.length === 0) return prev;
    return {
      failuresAfterLastSuccess: prev.failuresAfterLastSuccess + failedTimes.length,
      lastFailureMs: failedTimes[failedTimes.length - 1],
    };
  }
  const lastSuccess = Math.max(...finished.succeeded.map(podFinishedAt));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return {
    failuresAfterLastSuccess: after.length,
    lastFailureMs: after.length > 0 ? after[after.length - 1] : undefined,
  };
}

/** Milliseconds until replacements may be created (getRemainingTimeForFailuresCount). */
export function backoffRemaining(record: BackoffRecord, nowMs: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureMs === undefined) return 0;
  let delay = DEFAULT_BACKOFF_MS;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= MAX_BACKOFF_MS) {
      delay = MAX_BACKOFF_MS;
      break;
    }
  }
  const elapsed = nowMs - record.lastFailureMs;
  return delay < elapsed ? 0 : delay - elapsed;
}
