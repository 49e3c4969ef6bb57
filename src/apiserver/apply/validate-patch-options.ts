/**
 * Validation of the field-manager query parameters of writes, as kube's ValidatePatchOptions /
 * ValidateFieldManager do, reported as `PatchOptions.meta.k8s.io "" is invalid: …` (422).
 */

import type { FieldIssue } from '../../api/status.js';
import { invalid } from '../../api/status.js';

/** kube's FieldManagerMaxLength. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

export interface PatchOptionsInput {
  /** The `fieldManager` query parameter (`''` or undefined when absent). */
  readonly fieldManager: string | undefined;
  /** The `force` query parameter, undefined when absent (any value counts as specified). */
  readonly force: boolean | undefined;
  /** True for `application/apply-patch+yaml` (and +cbor). */
  readonly isApply: boolean;
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Field issues of a field manager name: at most 128 bytes, printable characters only. */
export function fieldManagerIssues(fieldManager: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (Buffer.byteLength(fieldManager, 'utf8') > FIELD_MANAGER_MAX_LENGTH) {
    issues.push({
      field: 'fieldManager',
      type: 'FieldValueTooLong',
      detail: `may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes`,
    });
  }
  let byteOffset = 0;
  for (const ch of fieldManager) {
    const cp = ch.codePointAt(0) ?? 0;
    if (!PRINTABLE.test(ch)) {
      issues.push({
        field: 'fieldManager',
        type: 'FieldValueInvalid',
        value: fieldManager,
        detail: `invalid character ${codePointLabel(cp)} (at position ${byteOffset})`,
      });
    }
    byteOffset += Buffer.byteLength(ch, 'utf8');
  }
  return issues;
}

/**
 * Throws the 422 kube returns for bad patch options: `force` on a non-apply patch
 * (`force: Forbidden: may not be specified for non-apply patch`), a missing field manager on
 * apply (`fieldManager: Required value: is required for apply patch`), or a bad manager name.
 */
export function validatePatchOptions(input: PatchOptionsInput): void {
  const issues: FieldIssue[] = [];
  if (!input.isApply) {
    if (input.force !== undefined) {
      issues.push({
        field: 'force',
        type: 'FieldValueForbidden',
        detail: 'may not be specified for non-apply patch',
      });
    }
  } else if (input.fieldManager === undefined || input.fieldManager === '') {
    issues.push({ field: 'fieldManager', type: 'FieldValueRequired', detail: 'is required for apply patch' });
  }
  issues.push(...fieldManagerIssues(input.fieldManager ?? ''));
  if (issues.length > 0) throw invalid('meta.k8s.io', 'PatchOptions', '', issues);
}
