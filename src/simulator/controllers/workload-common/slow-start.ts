/**
 * Slow-start batching (kube's `slowStartBatch`): run `count` calls in batches of 1, 2, 4, … that
 * run concurrently within a batch; stop after the first batch with a failure. A project that is
 * out of quota thus costs one failed create, not hundreds, and one FailedCreate event. A batch
 * starts its calls a few per turn of the event loop (base/spread.ts).
 */
import { settleSpread } from '../../../base/spread.js';

/** How a slow-start run ended. */
export interface SlowStartResult {
  /** Calls that succeeded. */
  successes: number;
  /** The first failure, if a batch failed (no later batch ran). */
  error?: unknown;
}

/** Runs `fn` up to `count` times in doubling batches starting at `initialBatch`. Never throws. */
export async function slowStartBatch(
  count: number,
  fn: () => Promise<void>,
  options: { initialBatch?: number } = {},
): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, options.initialBatch ?? 1); batch > 0;) {
    const results = await settleSpread(Array.from({ length: batch }, () => fn));
    let error: unknown;
    let failed = false;
    for (const r of results) {
      if (r.status === 'fulfilled') successes++;
      else if (!failed) {
        failed = true;
        error = r.reason;
      }
    }
    if (failed) return { successes, error };
    remaining -= batch;
    batch = Math.min(2 * batch, remaining);
  }
  return { successes };
}
