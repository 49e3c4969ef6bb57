/**
 * Runs a set of `Runnable`s (controllers, informers, loops) together: they share one stop signal,
 * and if any one rejects the others are stopped and `start` rejects with that error.
 */
import { setMaxListeners } from 'node:events';
import { errorMessage } from '../base/errors.js';
import type { Logger } from '../base/logger.js';
import type { Runnable } from './runnable.js';

/** Options of `Manager`. */
export interface ManagerOptions {
  log: Logger;
}

/** Starts runnables and waits for all of them. */
export class Manager implements Runnable {
  readonly #runnables: { name: string; runnable: Runnable }[] = [];
  readonly #log: Logger;

  constructor(options: ManagerOptions) {
    this.#log = options.log;
  }

  /** Adds a runnable; call before `start`. */
  add(name: string, runnable: Runnable): this {
    this.#runnables.push({ name, runnable });
    return this;
  }

  /** Resolves once `signal` aborted and every runnable returned; rejects with the first failure. */
  async start(signal: AbortSignal): Promise<void> {
    const stop = new AbortController();
    // Every runnable (and what it starts) listens on this one signal: many listeners are by design.
    setMaxListeners(0, stop.signal);
    const onAbort = (): void => stop.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    let failure: { err: unknown } | undefined;
    await Promise.all(
      this.#runnables.map(async ({ name, runnable }) => {
        try {
          await runnable.start(stop.signal);
        } catch (err) {
          if (stop.signal.aborted && failure === undefined && signal.aborted) return;
          this.#log.error({ runnable: name, err: errorMessage(err) }, 'runnable failed');
          failure ??= { err };
          stop.abort(err);
        }
      }),
    );
    signal.removeEventListener('abort', onAbort);
    if (failure) throw failure.err instanceof Error ? failure.err : new Error(errorMessage(failure.err));
  }
}
