/**
 * Time, injected. Runtime, controllers, scheduler and simulator read time only through a `Clock`
 * so tests can step virtual time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds of this clock's time. Rejects with the signal's reason when
   * `signal` aborts first. A pending sleep does not by itself keep the process running.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      // A sleeping loop never keeps the process alive on its own; servers and open handles do.
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * Wall-clock time running `factor` times faster from the moment it is made (a demo's `--speed`):
 * `now()` advances `factor` ms per real ms and `sleep(ms)` waits `ms / factor` real ms.
 */
export class ScaledClock implements Clock {
  readonly #real = new SystemClock();
  readonly #origin: number;

  constructor(readonly factor: number) {
    if (!(factor > 0) || !Number.isFinite(factor))
      throw new RangeError(`clock speed must be > 0, got ${factor}`);
    this.#origin = this.#real.now();
  }

  now(): number {
    return this.#origin + (this.#real.now() - this.#origin) * this.factor;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.#real.sleep(ms / this.factor, signal);
  }
}

/** RFC 3339 timestamp with second precision, as kube-apiserver writes creationTimestamp. */
export function rfc3339Seconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastText;
}

let lastSecond = Number.NaN;
let lastText = '';

/**
 * `signal`, also aborted (reason: an Error naming `what`) after `ms` of `clock` time. Call
 * `done()` when the guarded work is over, so the timer does not outlive it.
 */
export function withTimeout(
  clock: Clock,
  ms: number,
  o: { signal: AbortSignal; what: string },
): { signal: AbortSignal; done(): void } {
  const timer = new AbortController();
  const timedOut = new AbortController();
  clock.sleep(ms, AbortSignal.any([timer.signal, o.signal])).then(
    () => timedOut.abort(new Error(`${o.what} timed out`)),
    () => undefined, // finished or stopped first
  );
  return { signal: AbortSignal.any([o.signal, timedOut.signal]), done: () => timer.abort() };
}
