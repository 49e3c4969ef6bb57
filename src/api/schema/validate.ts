/**
 * Validation of a JSON value against a compiled schema, producing kube-style `FieldIssue`s.
 *
 * Mirrors kube-openapi's schema validator as apiextensions-apiserver uses it for custom resources:
 * a type mismatch stops validation of that value; `required` counts a key as present even when its
 * value is null (non-nullable nulls are dropped by `applyDefaults` beforehand, as kube drops them
 * while decoding); list-type `set`/`map` uniqueness is checked as kube's listtype validation does.
 * At a resource root (and inside `x-kubernetes-embedded-resource` values) `metadata` is only checked
 * for the `name`/`generateName` restrictions the schema declares.
 */
import type { JsonObject, JsonValue } from '../meta.js';
import type { FieldIssue } from '../status.js';
import { canonicalKey, jsonEqual } from '../json-equal.js';
import * as m from './messages.js';
import type { SchemaNode } from './node.js';
import { T_ARRAY, T_BOOLEAN, T_INTEGER, T_NUMBER, T_OBJECT, T_STRING } from './node.js';
import { PathStack } from './path.js';

export interface ValidateOptions {
  /** Field path of the value (issues are reported under it); default `''`. */
  prefix?: string;
  /** True when the value is a resource root: `metadata` gets name/generateName checks only. */
  resourceRoot?: boolean;
  /**
   * An object the value replaces: its own properties holding the very same (reference-equal)
   * object or array as there are skipped, as already validated.
   */
  unchangedFrom?: JsonObject;
}

/** Validates `value` against `node`; never throws for any JSON input. */
export function validateValue(
  node: SchemaNode,
  value: JsonValue,
  options: ValidateOptions = {},
): FieldIssue[] {
  const v = new Validator(options.prefix ?? '', value, options.unchangedFrom);
  v.value(node, value, options.resourceRoot ?? false);
  return v.issues;
}

const EPSILON = 1e-9;

function isMultiple(v: number, factor: number): boolean {
  if (Number.isInteger(v) && Number.isInteger(factor)) return v % factor === 0;
  const q = factor < 1 ? (1 / factor) * v : v / factor;
  if (!Number.isFinite(q)) return false;
  const r = Math.round(q);
  if (q === r) return true;
  const diff = Math.abs(q - r);
  return diff / (Math.abs(q) + Math.abs(r)) < EPSILON;
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function inEnum(v: JsonValue, values: readonly JsonValue[]): boolean {
  const primitive = typeof v !== 'object' || v === null;
  for (const e of values) {
    if (primitive ? e === v : jsonEqual(e, v)) return true;
  }
  return false;
}

function typeBit(v: JsonValue): number {
  if (typeof v === 'string') return T_STRING;
  if (typeof v === 'boolean') return T_BOOLEAN;
  if (typeof v === 'number') return Number.isInteger(v) ? T_INTEGER : T_NUMBER;
  return Array.isArray(v) ? T_ARRAY : T_OBJECT;
}

class Validator {
  issues: FieldIssue[] = [];
  readonly path: PathStack;

  readonly #root: JsonValue;
  readonly #unchangedFrom: JsonObject | undefined;

  constructor(prefix: string, root: JsonValue, unchangedFrom: JsonObject | undefined) {
    this.path = new PathStack(prefix);
    this.#root = root;
    this.#unchangedFrom = unchangedFrom;
  }

  /** The replaced object whose identical properties are skipped: only for the value validated. */
  #takeUnchanged(o: JsonObject): JsonObject | undefined {
    return o === this.#root ? this.#unchangedFrom : undefined;
  }

  /** Where the current value is, for an issue (built only when one is reported). */
  private at(): m.At {
    return { field: this.path.field(), name: this.path.relative() };
  }

  value(n: SchemaNode, v: JsonValue, resourceRoot: boolean): void {
    if (v === null) {
      if (!n.nullable && n.types !== 0) {
        this.issues.push(m.typeIssue(this.at(), n.typeName, 'null'));
      }
      return;
    }
    if (n.types !== 0) {
      const t = typeBit(v);
      if ((n.types & t) === 0 && !(t === T_INTEGER && (n.types & T_NUMBER) !== 0)) {
        this.issues.push(m.typeIssue(this.at(), n.typeName, m.jsonTypeOf(v)));
        return;
      }
    }
    if (n.enumValues !== undefined && !inEnum(v, n.enumValues)) {
      this.issues.push(m.enumIssue(this.path.field(), v, n.enumValues));
    }
    if (typeof v === 'string') this.string(n, v);
    else if (typeof v === 'number') this.number(n, v);
    else if (Array.isArray(v)) this.array(n, v);
    else if (typeof v === 'object') this.object(n, v, resourceRoot);
    this.junctors(n, v, resourceRoot);
  }

  private string(n: SchemaNode, s: string): void {
    if (n.maxLength !== undefined && s.length > n.maxLength && runeCount(s) > n.maxLength) {
      this.issues.push(m.tooLongIssue(this.path.field(), n.maxLength));
    }
    if (n.minLength !== undefined && runeCount(s) < n.minLength) {
      this.issues.push(m.tooShortIssue(this.at(), s, n.minLength));
    }
    if (n.pattern !== undefined) {
      if (n.regexError !== undefined) {
        const why = `${n.pattern}, but pattern is invalid: ${n.regexError}`;
        this.issues.push(m.patternIssue(this.at(), s, why));
      } else if (n.regex !== undefined && !n.regex.test(s)) {
        this.issues.push(m.patternIssue(this.at(), s, n.pattern));
      }
    }
    if (n.checkFormat !== undefined && n.format !== undefined && !n.checkFormat(s)) {
      this.issues.push(m.formatIssue(this.at(), n.format, s));
    }
  }

  private number(n: SchemaNode, x: number): void {
    if (n.multipleOf !== undefined && n.multipleOf > 0 && !isMultiple(x, n.multipleOf)) {
      this.issues.push(m.multipleOfIssue(this.at(), x, n.multipleOf));
    }
    if (n.maximum !== undefined && (n.exclusiveMaximum ? x >= n.maximum : x > n.maximum)) {
      this.issues.push(m.maximumIssue(this.at(), x, { limit: n.maximum, exclusive: n.exclusiveMaximum }));
    }
    if (n.minimum !== undefined && (n.exclusiveMinimum ? x <= n.minimum : x < n.minimum)) {
      this.issues.push(m.minimumIssue(this.at(), x, { limit: n.minimum, exclusive: n.exclusiveMinimum }));
    }
  }

  private array(n: SchemaNode, a: JsonValue[]): void {
    if (n.maxItems !== undefined && a.length > n.maxItems) {
      this.issues.push(m.tooManyIssue(this.path.field(), a.length, n.maxItems));
    }
    if (n.minItems !== undefined && a.length < n.minItems) {
      this.issues.push(m.tooFewItemsIssue(this.at(), a.length, n.minItems));
    }
    if (n.uniqueItems && a.length > 1 && new Set(a.map(canonicalKey)).size !== a.length) {
      this.issues.push(m.uniqueIssue(this.at()));
    }
    if ((n.listType === 'set' || n.listType === 'map') && a.length > 1) this.listDuplicates(n, a);
    const items = n.items();
    if (items === undefined) return;
    for (let i = 0; i < a.length; i++) {
      this.path.push(i);
      this.value(items, a[i] ?? null, items.embedded);
      this.path.pop();
    }
  }

  private listDuplicates(n: SchemaNode, a: JsonValue[]): void {
    const seen = new Set<string>();
    for (let i = 0; i < a.length; i++) {
      const item = a[i] ?? null;
      let dup: JsonValue = item;
      let key: string;
      if (n.listType === 'map') {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
        const keyObj: JsonObject = {};
        for (const k of n.listMapKeys) {
          const kv = item[k];
          if (kv !== undefined) keyObj[k] = kv;
        }
        key = canonicalKey(keyObj);
        dup = keyObj;
      } else {
        key = typeof item === 'string' ? `s${item}` : canonicalKey(item);
      }
      if (seen.has(key)) this.issues.push(m.duplicateIssue(this.path.fieldOf(i), dup));
      else seen.add(key);
    }
  }

  private object(n: SchemaNode, o: JsonObject, resourceRoot: boolean): void {
    const meta = resourceRoot || n.embedded;
    for (const r of n.required) {
      if (!Object.hasOwn(o, r) && !(meta && r === 'metadata'))
        this.issues.push(m.requiredIssue(this.path.fieldOf(r)));
    }
    if (n.maxProperties !== undefined || n.minProperties !== undefined) {
      const count = Object.keys(o).length;
      if (n.maxProperties !== undefined && count > n.maxProperties) {
        this.issues.push(m.tooManyIssue(this.path.field(), count, n.maxProperties));
      }
      if (n.minProperties !== undefined && count < n.minProperties) {
        this.issues.push(m.tooFewPropertiesIssue(this.at(), count, n.minProperties));
      }
    }
    const additional = n.additional();
    const unchanged = this.#takeUnchanged(o);
    for (const key in o) {
      const v = o[key];
      if (v === undefined) continue;
      if (unchanged !== undefined && typeof v === 'object' && v !== null && unchanged[key] === v) continue;
      if (meta && key === 'metadata') {
        this.metadata(n, v);
        continue;
      }
      const child = n.property(key) ?? additional;
      if (child === undefined || child === true) continue;
      if (child === false) {
        if (!(meta && (key === 'apiVersion' || key === 'kind'))) {
          this.issues.push(m.forbiddenPropertyIssue(this.at(), key));
        }
        continue;
      }
      this.path.push(key);
      this.value(child, v, child.embedded);
      this.path.pop();
    }
  }

  /** kube's objectmeta validation for CRs: only the name/generateName restrictions a schema declares. */
  private metadata(n: SchemaNode, v: JsonValue): void {
    const metaNode = n.property('metadata');
    if (metaNode === undefined || typeof v !== 'object' || v === null || Array.isArray(v)) return;
    this.path.push('metadata');
    for (const k of ['name', 'generateName']) {
      const s = metaNode.property(k);
      const val = v[k];
      if (s === undefined || val === undefined) continue;
      this.path.push(k);
      this.value(s, val, false);
      this.path.pop();
    }
    this.path.pop();
  }

  /** Runs `n` against `v` into a separate issue list. */
  private branch(n: SchemaNode, v: JsonValue, resourceRoot: boolean): FieldIssue[] {
    const saved = this.issues;
    this.issues = [];
    this.value(n, v, resourceRoot);
    const out = this.issues;
    this.issues = saved;
    return out;
  }

  private junctors(n: SchemaNode, v: JsonValue, resourceRoot: boolean): void {
    const j = n.junctors();
    for (const member of j.allOf) this.value(member, v, resourceRoot);
    if (j.anyOf.length > 0) {
      let best: FieldIssue[] | undefined;
      for (const member of j.anyOf) {
        const issues = this.branch(member, v, resourceRoot);
        if (issues.length === 0) {
          best = undefined;
          break;
        }
        if (best === undefined || issues.length < best.length) best = issues;
      }
      if (best !== undefined) {
        this.issues.push(m.junctorIssue(this.at(), 'anyOf'), ...best);
      }
    }
    if (j.oneOf.length > 0) {
      let valid = 0;
      let best: FieldIssue[] | undefined;
      for (const member of j.oneOf) {
        const issues = this.branch(member, v, resourceRoot);
        if (issues.length === 0) valid++;
        else if (best === undefined || issues.length < best.length) best = issues;
      }
      if (valid === 0) {
        this.issues.push(m.junctorIssue(this.at(), 'oneOf'), ...(best ?? []));
      } else if (valid > 1) {
        this.issues.push(m.junctorIssue(this.at(), 'oneOf', valid));
      }
    }
    if (j.not !== undefined && this.branch(j.not, v, resourceRoot).length === 0) {
      this.issues.push(m.junctorIssue(this.at(), 'not'));
    }
  }
}
