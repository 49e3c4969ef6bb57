/**
 * A compiled schema for one kind at one version: validation with field paths, pruning of unknown
 * fields and defaulting. Custom resources compile theirs from the CRD's structural
 * `openAPIV3Schema`; built-in kinds from the upstream OpenAPI definitions.
 */
import type { FieldIssue } from './status.js';
import type { JsonObject } from './meta.js';

export interface ObjectSchema {
  /** Type, enum, range, pattern, required… problems in `obj`, with paths like `spec.replicas`. Empty = valid. */
  validate(obj: JsonObject): FieldIssue[];
  /**
   * Removes fields the schema does not know (except under `x-kubernetes-preserve-unknown-fields`)
   * in place, returning their paths (`spec.foo`) for `fieldValidation` Strict/Warn reporting.
   * `apiVersion`, `kind` and `metadata` at the root are always kept.
   */
  prune(obj: JsonObject): string[];
  /** Fills `default` values in place. */
  applyDefaults(obj: JsonObject): void;
}
