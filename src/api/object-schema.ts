/**
 * A compiled schema for one kind at one version: validation with field paths, pruning of unknown
 * fields and defaulting. Custom resources compile theirs from the CRD's structural
 * `openAPIV3Schema`; built-in kinds from the upstream OpenAPI definitions.
 */
import type { FieldIssue } from './status.js';
import type { JsonObject } from './meta.js';

export interface ObjectSchema {
  /**
   * Type, enum, range, pattern, required… problems in `obj`, with paths like `spec.replicas`.
   * Empty = valid. With `old` (the stored object an update replaces), a top-level field whose
   * value is the very same object as in `old` is taken as valid and not walked again (an update
   * carries the stored spec or status over by reference; kube likewise ratchets unchanged fields).
   */
  validate(obj: JsonObject, old?: JsonObject): FieldIssue[];
  /**
   * Removes fields the schema does not know (except under `x-kubernetes-preserve-unknown-fields`)
   * in place, returning their paths (`spec.foo`) for `fieldValidation` Strict/Warn reporting.
   * `apiVersion`, `kind` and `metadata` at the root are always kept.
   */
  prune(obj: JsonObject): string[];
  /** Fills `default` values in place. */
  applyDefaults(obj: JsonObject): void;
}
