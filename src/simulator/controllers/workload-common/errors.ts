/** Error helpers shared by the workload controllers. */

/** The message of `err`, as Go's `%v` of an error prints it. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
