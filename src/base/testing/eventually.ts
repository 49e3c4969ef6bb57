/**
 * Polling with a deadline, for tests: never sleep for a fixed time, poll until the condition holds.
 * With a `FakeClock`, each poll also steps virtual time so requeues, backoffs and delays fire.
 */
import type { FakeClock } from '../fake-clock.js';

/** Options of `eventually`. */
export interface EventuallyOptions {
  /** Stepped by `stepMs` between polls. */
  clock?: FakeClock;
  stepMs?: number;
  /** Real-time deadline (default 10 s). */
  timeoutMs?: number;
  /** Named in the timeout error. */
  what?: string;
}

/** Resolves once `check` returns true; rejects after the deadline with the last thrown error, if any. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  options: EventuallyOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out waiting for ${options.what ?? 'condition'}${why}`, { cause: lastError });
    }
    if (options.clock) await options.clock.advance(options.stepMs ?? 100);
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}
