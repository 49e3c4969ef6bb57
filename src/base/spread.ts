/**
 * Starting many in-process calls at once without holding the event loop. A call to an API server
 * in the same process never waits on I/O, so it runs to its end as one chain of microtasks, and a
 * hundred started together run as one task: every socket and timer of the process (the simulated
 * clusters' HTTPS API among them) waits until the last one ends. These helpers start the calls a
 * few per turn of the loop instead; the calls still overlap, as in `Promise.all`.
 */
import { yieldTurn } from './turns.js';

/** Calls started per turn of the event loop (each a write of a few hundred microseconds). */
export const CALLS_PER_TURN = 16;

/** `Promise.allSettled` of the calls, starting at most `perTurn` of them per turn of the loop. */
export async function settleSpread<T>(
  calls: readonly (() => Promise<T>)[],
  perTurn = CALLS_PER_TURN,
): Promise<PromiseSettledResult<T>[]> {
  const settled: Promise<PromiseSettledResult<T>>[] = [];
  for (const [i, call] of calls.entries()) {
    if (i > 0 && i % perTurn === 0) await yieldTurn();
    // Settled at once, so a call that fails while later ones wait to start is never unhandled.
    settled.push(
      (async () => call())().then(
        (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
      ),
    );
  }
  return Promise.all(settled);
}

/**
 * `Promise.all` of the calls, starting at most `perTurn` of them per turn of the loop. Every call
 * is started and settled before the first failure, if any, is thrown.
 */
export async function allSpread<T>(
  calls: readonly (() => Promise<T>)[],
  perTurn = CALLS_PER_TURN,
): Promise<T[]> {
  const results = await settleSpread(calls, perTurn);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
