/**
 * The reconcile contract (controller-runtime `reconcile`): level-based — a reconciler re-reads
 * the state for its key, converges it, and returns a `Result`. A thrown error retries the key
 * with per-key exponential backoff; a `TerminalError` is logged and not retried.
 */

/** What to do with a key after a successful reconcile. */
export interface Result {
  /** Reconcile the key again after this many ms (of the controller's clock). */
  readonly requeueAfter?: number;
}

/** Nothing more to do until the next event. */
export const done: Result = Object.freeze({});

/** Reconcile again after `ms`. */
export function requeueAfter(ms: number): Result {
  return { requeueAfter: ms };
}

/** Converges the state named by one key. */
export interface Reconciler {
  /** Must be idempotent. Throw to retry with backoff; `signal` aborts when the controller stops. */
  reconcile(key: string, signal: AbortSignal): Promise<Result>;
}

/** A failure that retrying cannot fix: logged, never requeued. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}
