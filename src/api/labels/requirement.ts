/**
 * One label-selector requirement (`key op values`): its checks, matching and canonical text,
 * following k8s.io/apimachinery pkg/labels (NewRequirement, Requirement.Matches/String).
 */

import { formatFieldIssue } from '../status.js';
import type { FieldIssue } from '../status.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';

/**
 * kube's selection.Operator values. `=` and `==` are the same test; `exists` is a bare key and
 * `!` a `!key`; `gt`/`lt` compare the label value as a 64-bit integer.
 */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** Every operator, in kube's validRequirementOperators order. */
export const LABEL_OPERATORS: readonly LabelOperator[] = [
  'in',
  'notin',
  '=',
  '==',
  '!=',
  'exists',
  '!',
  'gt',
  'lt',
];

/** A checked requirement. `values` are sorted and unique (as kube's parser stores them). */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/**
 * kube's NewRequirement checks, as field issues whose paths are relative to `path` (kube's
 * paths: `key`, `values`, `values[i]`, `values[i][<key>]`, `operator`). Empty when valid.
 */
export function requirementIssues(req: LabelRequirement, path?: string): FieldIssue[] {
  const at = (child: string): string => (path === undefined || path === '' ? child : `${path}.${child}`);
  const issues: FieldIssue[] = [];
  const { key, operator, values } = req;
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) issues.push(invalidIssue(at('key'), key, keyErrs.join('; ')));
  const valuesPath = at('values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        issues.push(
          invalidIssue(valuesPath, values, "for 'in', 'notin' operators, values set can't be empty"),
        );
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        issues.push(invalidIssue(valuesPath, values, 'exact-match compatibility requires one single value'));
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        issues.push(
          invalidIssue(valuesPath, values, 'values set must be empty for exists and does not exist'),
        );
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        issues.push(
          invalidIssue(valuesPath, values, "for 'Gt', 'Lt' operators, exactly one value is required"),
        );
      }
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          issues.push(
            invalidIssue(`${valuesPath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"),
          );
        }
      });
      break;
    default:
      issues.push({
        field: at('operator'),
        type: 'FieldValueNotSupported',
        detail: '',
        value: operator,
        supported: [...LABEL_OPERATORS],
      });
  }
  values.forEach((v, i) => {
    const errs = isValidLabelValue(v);
    if (errs.length > 0) issues.push(invalidIssue(`${valuesPath}[${i}][${key}]`, v, errs.join('; ')));
  });
  return issues;
}

function invalidIssue(field: string, value: unknown, detail: string): FieldIssue {
  return { field, type: 'FieldValueInvalid', value, detail };
}

/**
 * Joins issues the way Go's aggregate error prints: one message alone, several deduplicated
 * inside `[a, b]`.
 */
export function aggregateMessage(issues: readonly FieldIssue[]): string {
  const msgs = [...new Set(issues.map(formatFieldIssue))];
  return msgs.length === 1 ? (msgs[0] ?? '') : `[${msgs.join(', ')}]`;
}

/** Sorted, de-duplicated copy of `values` (code-unit order, as Go sorts ASCII strings). */
export function normalizeValues(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}

/** Byte-order comparison for the ASCII strings keys and values are made of. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in range; else undefined. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/**
 * kube semantics: `in`/`=`/`==` need the key with a listed value; `notin`/`!=` match when the
 * key is absent or its value is not listed; `gt`/`lt` need the key with an integer value.
 */
export function matchesRequirement(req: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && req.values.includes(value);
    case 'notin':
    case '!=':
      return value === undefined || !req.values.includes(value);
    case 'exists':
      return value !== undefined;
    case '!':
      return value === undefined;
    case 'gt':
    case 'lt': {
      if (value === undefined || req.values.length !== 1) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(req.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return req.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** Canonical text: `!k`, `k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`, `k>5`, `k<5`. */
export function formatRequirement(req: LabelRequirement): string {
  const values = normalizeValues(req.values).join(',');
  switch (req.operator) {
    case 'exists':
      return req.key;
    case '!':
      return `!${req.key}`;
    case '=':
    case '==':
    case '!=':
      return `${req.key}${req.operator}${values}`;
    case 'gt':
      return `${req.key}>${values}`;
    case 'lt':
      return `${req.key}<${values}`;
    case 'in':
    case 'notin':
      return `${req.key} ${req.operator} (${values})`;
  }
}
