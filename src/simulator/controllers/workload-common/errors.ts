/** Error helpers shared by the workload controllers. */

/** `err` as an Error (wrapping anything else), so it can be thrown. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** The message of `err`, as Go's `%v` of an error prints it. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
