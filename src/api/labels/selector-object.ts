/**
 * The structured metav1.LabelSelector (`{matchLabels, matchExpressions}`) found in specs such as
 * Deployment.spec.selector: conversion to a {@link LabelSelector}
 * (metav1.LabelSelectorAsSelector) and field validation (metav1 validation.ValidateLabelSelector).
 */

import { badRequest } from '../status.js';
import type { FieldIssue } from '../status.js';
import { isValidLabelValue } from '../validation/names.js';
import { validateLabelName, validateLabels } from '../validation/objectmeta.js';
import { aggregateMessage, requirementIssues } from './requirement.js';
import type { LabelOperator, LabelRequirement } from './requirement.js';
import { labelSelectorEverything, labelSelectorNothing, labelSelectorOf } from './selector.js';
import type { LabelSelector } from './selector.js';

/** One metav1.LabelSelectorRequirement as it travels on the wire. */
export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: string[];
}

/** metav1.LabelSelector as it travels on the wire. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementObject[];
}

const OBJECT_OPERATORS: ReadonlyMap<string, LabelOperator> = new Map<string, LabelOperator>([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/**
 * Converts a metav1.LabelSelector: null/undefined selects nothing, `{}` (no labels, no
 * expressions) selects everything; otherwise matchLabels become `=` requirements and
 * matchExpressions In/NotIn/Exists/DoesNotExist requirements, ANDed and sorted by key.
 * Throws a 400 BadRequest `StatusError` for an unknown operator (`"Gt" is not a valid label
 * selector operator`) or a requirement kube's NewRequirement would reject.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | undefined | null): LabelSelector {
  if (sel === undefined || sel === null) return labelSelectorNothing();
  const matchLabels = Object.entries(sel.matchLabels ?? {});
  const expressions = sel.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return labelSelectorEverything();
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of matchLabels) requirements.push(checked({ key, operator: '=', values: [value] }));
  for (const expr of expressions) {
    const operator = OBJECT_OPERATORS.get(expr.operator);
    if (operator === undefined)
      throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    requirements.push(checked({ key: expr.key, operator, values: [...(expr.values ?? [])] }));
  }
  return labelSelectorOf(requirements);
}

function checked(req: LabelRequirement): LabelRequirement {
  const issues = requirementIssues(req);
  if (issues.length > 0) throw badRequest(aggregateMessage(issues));
  return req;
}

/**
 * Field issues for a metav1.LabelSelector at `path` (e.g. `spec.selector`): matchLabels keys
 * and values, and for each expression its operator, the presence/absence of values, key and
 * values. Null/undefined is valid (it selects nothing). Never throws.
 */
export function validateLabelSelectorObject(
  sel: LabelSelectorObject | undefined | null,
  path: string,
): FieldIssue[] {
  if (sel === undefined || sel === null) return [];
  const issues = validateLabels(sel.matchLabels, `${path}.matchLabels`);
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    issues.push(...validateExpression(expr, `${path}.matchExpressions[${i}]`));
  });
  return issues;
}

function validateExpression(expr: LabelSelectorRequirementObject, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const values = expr.values ?? [];
  switch (expr.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        issues.push({
          field: `${path}.values`,
          type: 'FieldValueRequired',
          detail: "must be specified when `operator` is 'In' or 'NotIn'",
        });
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        issues.push({
          field: `${path}.values`,
          type: 'FieldValueForbidden',
          detail: "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        });
      }
      break;
    default:
      issues.push({
        field: `${path}.operator`,
        type: 'FieldValueInvalid',
        value: expr.operator,
        detail: 'not a valid selector operator',
      });
  }
  issues.push(...validateLabelName(expr.key, `${path}.key`));
  values.forEach((v, i) => {
    for (const msg of isValidLabelValue(v)) {
      issues.push({ field: `${path}.values[${i}]`, type: 'FieldValueInvalid', value: v, detail: msg });
    }
  });
  return issues;
}
