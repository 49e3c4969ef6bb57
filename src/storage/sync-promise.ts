import { asError } from '../base/errors.js';

/**
 * Runs a synchronous store operation and reports its outcome as a promise: the result resolves,
 * a throw rejects. Both stores do their work synchronously (in-memory maps, better-sqlite3), so
 * this is the only place their `async` surface is made.
 */
export function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(asError(err));
  }
}
