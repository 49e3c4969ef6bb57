/** Returns a readable message for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** `err` as an Error (wrapping anything else), so it can be thrown or rejected with. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Thrown when code reaches a state its invariants say is impossible. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** Asserts `cond`, throwing an `InvariantError` with `msg` otherwise. */
export function invariant(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new InvariantError(msg);
}
