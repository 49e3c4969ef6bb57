/**
 * Field selectors (`fieldSelector` query parameter), reproducing k8s.io/apimachinery pkg/fields:
 * terms `f=v`, `f==v` (same test) or `f!=v`, ANDed by commas. In values, `\,` `\=` and `\\`
 * escape the three special characters; an unescaped `,` or `=` in a value, or any other escape,
 * is an error. Field names are taken verbatim (no trimming, no escapes), and a field missing from
 * the object's field set compares as the empty string.
 */

import { badRequest } from '../status.js';

/** `=` covers both `=` and `==`, which kube treats as one operator. */
export type FieldOperator = '=' | '!=';

/** One term of a field selector. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** A parsed field selector; no requirements = matches everything. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

const EVERYTHING: FieldSelector = Object.freeze({ requirements: Object.freeze([]) });

/** The selector that matches every object. */
export function fieldSelectorEverything(): FieldSelector {
  return EVERYTHING;
}

/** True when the selector restricts nothing (kube's Empty()). */
export function isFieldSelectorEmpty(sel: FieldSelector): boolean {
  return sel.requirements.length === 0;
}

/**
 * Parses the `fieldSelector` syntax; the empty string selects everything and empty terms
 * (`a=b,,c=d`) are skipped. Terms are ordered by their raw text, as kube sorts them.
 * Throws a 400 BadRequest `StatusError` with kube's messages:
 * `invalid selector: '<sel>'; can't understand '<term>'`,
 * `invalid field selector: invalid escape sequence: \x`,
 * `invalid field selector: unescaped character in value: 61` (Go prints the rune's code).
 */
export function parseFieldSelector(text: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort(compareStrings)) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (split === undefined) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    requirements.push({
      field: split.field,
      operator: split.operator,
      value: unescapeFieldValue(split.rawValue),
    });
  }
  return { requirements };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits on commas not preceded by an escaping backslash; backslashes stay in the terms. */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Splits at the first operator; `!=` and `==` are tried before `=` at each position. */
function splitTerm(term: string): { field: string; operator: FieldOperator; rawValue: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const rest = term.slice(i);
    if (rest.startsWith('!='))
      return { field: term.slice(0, i), operator: '!=', rawValue: term.slice(i + 2) };
    if (rest.startsWith('==')) return { field: term.slice(0, i), operator: '=', rawValue: term.slice(i + 2) };
    if (rest.startsWith('=')) return { field: term.slice(0, i), operator: '=', rawValue: term.slice(i + 1) };
  }
  return undefined;
}

/** Escapes `\`, `,` and `=` so the value can be embedded in a field selector. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * Reverses {@link escapeFieldValue}. Throws a 400 BadRequest `StatusError` on an unknown escape,
 * a trailing lone backslash, or an unescaped `,`/`=`.
 */
export function unescapeFieldValue(raw: string): string {
  if (!/[\\,=]/.test(raw)) return raw;
  let out = '';
  let escaped = false;
  for (const c of raw) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0) ?? 0}`);
    } else {
      out += c;
    }
  }
  if (escaped) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** True when every term holds for `fields` (missing fields read as `""`). */
export function matchesFields(sel: FieldSelector, fields: Readonly<Record<string, string>>): boolean {
  return sel.requirements.every((r) => {
    const actual = Object.hasOwn(fields, r.field) ? (fields[r.field] ?? '') : '';
    return r.operator === '=' ? actual === r.value : actual !== r.value;
  });
}

/**
 * The terms as `{field, operator, value}` (value unescaped), so the API server can check each
 * field against what the resource supports (`field label not supported: <f>`).
 */
export function fieldSelectorRequirements(sel: FieldSelector): readonly FieldRequirement[] {
  return sel.requirements;
}

/** Canonical text (kube's String()): `f=v` / `f!=v` with escaped values, joined by `,`. */
export function formatFieldSelector(sel: FieldSelector): string {
  return sel.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

/** The value the first `field=value` term pins `field` to (kube's RequiresExactMatch). */
export function fieldSelectorExactMatch(sel: FieldSelector, field: string): string | undefined {
  return sel.requirements.find((r) => r.field === field && r.operator === '=')?.value;
}

/**
 * The name a selector pins with `metadata.name=<x>` (or `==`), for watch/list-by-name
 * shortcuts. The selector may hold other terms; callers must still apply them.
 */
export function nameFromFieldSelector(sel: FieldSelector): string | undefined {
  return fieldSelectorExactMatch(sel, 'metadata.name');
}

/**
 * Returns a copy with every field name passed through `rename`, e.g. to resolve aliases such as
 * Pods' `spec.host` → `spec.nodeName` (kube's Transform).
 */
export function mapFieldSelectorFields(sel: FieldSelector, rename: (field: string) => string): FieldSelector {
  return { requirements: sel.requirements.map((r) => ({ ...r, field: rename(r.field) })) };
}
