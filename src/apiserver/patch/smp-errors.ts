/**
 * The errors strategic merge patch reports, with kube-apiserver's texts
 * (`k8s.io/apimachinery/pkg/util/mergepatch/errors.go`, `strategicpatch/patch.go`).
 *
 * kube-apiserver answers the format errors with 400 and a few others with 500 (they are plain Go
 * errors it never classified); Flotilla answers every malformed-patch error with 400 BadRequest,
 * keeping the message, except "lists of lists", which kube maps to a generic 422.
 */
import { badRequest } from '../../api/status.js';
import type { StatusError } from '../../api/status.js';
import type { JsonValue } from '../../api/meta.js';
import { unprocessablePatch } from '../../api/patch/json-patch.js';
import { goFormat, isObject } from '../../api/patch/json-value.js';

export const RETAIN_KEYS_FORMAT = 'invalid patch format of retainKeys';
export const PRIMITIVE_LIST_FORMAT = 'invalid patch format of primitive list';
export const SET_ELEMENT_ORDER_FORMAT = 'invalid patch format of setElementOrder list';

/** `$patch` with a value other than replace/delete/merge. */
export function badPatchType(directive: JsonValue | undefined, where: JsonValue): StatusError {
  return badRequest(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(where)}`);
}

/** An element of a merging list without its merge key. */
export function noMergeKey(element: JsonValue, mergeKey: string): StatusError {
  return badRequest(`map: ${goFormat(element)} does not contain declared merge key: ${mergeKey}`);
}

/** A value of the wrong JSON type where a list or map was required. */
export function badArgType(expected: 'list' | 'map', actual: JsonValue | undefined): StatusError {
  const want = expected === 'list' ? '[]interface {}' : 'map[string]interface {}';
  return badRequest(`expected a ${want}, but received a ${goTypeName(actual)}`);
}

/** Lists whose elements are lists: kube-apiserver's generic 422. */
export function listOfLists(): StatusError {
  return unprocessablePatch(new Error('lists of lists are not supported'));
}

function goTypeName(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}
