/** Typed failures of the schema compiler. Validation problems are values (`FieldIssue`), never these. */

/** A `$ref` in a schema could not be resolved (no resolver, unknown target, or a non-local form). */
export class SchemaRefError extends Error {
  override readonly name = 'SchemaRefError';
  readonly ref: string;

  constructor(ref: string, kind: string | undefined, options?: ErrorOptions) {
    super(`${kind ? `schema of ${kind}: ` : ''}cannot resolve $ref ${JSON.stringify(ref)}`, options);
    this.ref = ref;
  }
}
