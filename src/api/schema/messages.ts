/**
 * Builders for the `FieldIssue`s a schema produces, worded as kube-apiserver words custom resource
 * validation errors: the kube-openapi message (`spec.replicas in body should be ...`) becomes the
 * detail of a field.Error, as apiextensions-apiserver's kubeOpenAPIErrorToFieldError does.
 *
 * `field` is the full field path of the issue; `name` is the path kube-openapi prints inside the
 * message (relative to the validated value, so it differs from `field` only when validating a
 * default value under a schema path).
 */
import type { JsonValue } from '../meta.js';
import type { FieldIssue } from '../status.js';

/** Where an issue is: its full field path, and the path kube-openapi names in the message. */
export interface At {
  field: string;
  name: string;
}

/** The JSON type name of a value as kube-openapi reports it (`integer` for whole numbers). */
export function jsonTypeOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string' || typeof v === 'boolean') return typeof v;
  return 'object';
}

/** Go's `%v` of a bound: an integer value makes kube compare (and print) the bound as an int64. */
function bound(b: number, valueIsInt: boolean): string {
  return String(valueIsInt ? Math.trunc(b) : b);
}

const q = (s: string): string => JSON.stringify(s);

function invalid(field: string, value: unknown, detail: string): FieldIssue {
  return { field, type: 'FieldValueInvalid', value, detail };
}

export function typeIssue(at: At, expected: string, actual: string): FieldIssue {
  return {
    field: at.field,
    type: 'FieldValueTypeInvalid',
    value: actual,
    detail: `${at.name} in body must be of type ${expected}: ${q(actual)}`,
  };
}

export function formatIssue(at: At, format: string, value: string): FieldIssue {
  return {
    field: at.field,
    type: 'FieldValueTypeInvalid',
    value,
    detail: `${at.name} in body must be of type ${format}: ${q(value)}`,
  };
}

export function requiredIssue(field: string): FieldIssue {
  return { field, type: 'FieldValueRequired', detail: '' };
}

export function enumIssue(field: string, value: JsonValue, values: readonly JsonValue[]): FieldIssue {
  const supported = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return { field, type: 'FieldValueNotSupported', value, detail: '', supported };
}

/** A numeric limit and whether it is exclusive. */
export interface Limit {
  limit: number;
  exclusive: boolean;
}

export function minimumIssue(at: At, v: number, min: Limit): FieldIssue {
  const op = min.exclusive ? 'greater than' : 'greater than or equal to';
  return invalid(at.field, v, `${at.name} in body should be ${op} ${bound(min.limit, Number.isInteger(v))}`);
}

export function maximumIssue(at: At, v: number, max: Limit): FieldIssue {
  const op = max.exclusive ? 'less than' : 'less than or equal to';
  return invalid(at.field, v, `${at.name} in body should be ${op} ${bound(max.limit, Number.isInteger(v))}`);
}

export function multipleOfIssue(at: At, v: number, factor: number): FieldIssue {
  return invalid(
    at.field,
    v,
    `${at.name} in body should be a multiple of ${bound(factor, Number.isInteger(v))}`,
  );
}

export function tooLongIssue(field: string, max: number): FieldIssue {
  return {
    field,
    type: 'FieldValueTooLong',
    detail: `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}`,
  };
}

export function tooShortIssue(at: At, v: string, min: number): FieldIssue {
  return invalid(at.field, v, `${at.name} in body should be at least ${min} chars long`);
}

/** `pattern` may carry kube's `, but pattern is invalid: <err>` suffix for an uncompilable pattern. */
export function patternIssue(at: At, v: string, pattern: string): FieldIssue {
  return invalid(at.field, v, `${at.name} in body should match '${pattern}'`);
}

/**
 * field.TooMany renders `Too many: <actual>: must have at most <max> items`; status.ts prints no
 * value for FieldValueTooMany, so the count travels at the front of the detail.
 */
export function tooManyIssue(field: string, actual: number, max: number): FieldIssue {
  return {
    field,
    type: 'FieldValueTooMany',
    detail: `${actual}: must have at most ${max} ${max === 1 ? 'item' : 'items'}`,
  };
}

export function tooFewItemsIssue(at: At, actual: number, min: number): FieldIssue {
  return invalid(at.field, actual, `${at.name} in body should have at least ${min} items`);
}

export function tooFewPropertiesIssue(at: At, actual: number, min: number): FieldIssue {
  return invalid(at.field, actual, `${at.name} in body should have at least ${min} properties`);
}

export function uniqueIssue(at: At): FieldIssue {
  return invalid(at.field, '', `${at.name} in body shouldn't contain duplicates`);
}

export function duplicateIssue(field: string, value: JsonValue): FieldIssue {
  return { field, type: 'FieldValueDuplicate', value, detail: '' };
}

export function forbiddenPropertyIssue(at: At, key: string): FieldIssue {
  return invalid(
    at.field,
    key,
    `${at.name === '' ? key : `${at.name}.${key}`} in body is a forbidden property`,
  );
}

export function junctorIssue(at: At, which: 'anyOf' | 'oneOf' | 'not', found?: number): FieldIssue {
  const what =
    which === 'anyOf'
      ? 'must validate at least one schema (anyOf)'
      : which === 'oneOf'
        ? `must validate one and only one schema (oneOf)${found === undefined ? '' : `. Found ${found} valid alternatives`}`
        : 'must not validate the schema (not)';
  return invalid(at.field, '', `${q(at.name)} ${what}`);
}
