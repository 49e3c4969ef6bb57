import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../api/status.js';
import type { PatchOptionsInput } from './validate-patch-options.js';
import { validatePatchOptions } from './validate-patch-options.js';

describe('validatePatchOptions', () => {
  const cases: { name: string; input: PatchOptionsInput; message?: string }[] = [
    { name: 'apply with a manager', input: { isApply: true, fieldManager: 'kubectl', force: true } },
    {
      name: 'merge patch without force',
      input: { isApply: false, fieldManager: undefined, force: undefined },
    },
    {
      name: 'apply without a manager',
      input: { isApply: true, fieldManager: undefined, force: undefined },
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    },
    {
      name: 'force on a non-apply patch',
      input: { isApply: false, fieldManager: 'x', force: false },
      message:
        'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    },
    {
      name: 'manager too long',
      input: { isApply: true, fieldManager: 'm'.repeat(129), force: undefined },
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    },
    {
      name: 'non-printable manager',
      input: { isApply: true, fieldManager: 'a\u0007', force: undefined },
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\u0007": invalid character U+0007 (at position 1)',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.message === undefined) {
        validatePatchOptions(c.input);
        return;
      }
      assert.throws(
        () => {
          validatePatchOptions(c.input);
        },
        (e: unknown) =>
          e instanceof StatusError && e.code === 422 && e.reason === 'Invalid' && e.message === c.message,
      );
    });
  }
});
