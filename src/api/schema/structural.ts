/**
 * The structural-schema rules of apiextensions-apiserver (pkg/apiserver/schema/validation.go and
 * complete.go), checked on the raw `openAPIV3Schema` JSON with kube's field paths and messages:
 *  1. a non-empty `type` at the root, for every property, additionalProperties and items schema,
 *     unless `x-kubernetes-int-or-string` or `x-kubernetes-preserve-unknown-fields` is set;
 *  2. every field and item named inside `allOf`/`anyOf`/`oneOf`/`not` is also specified outside;
 *  3. no `type`, `default`, `additionalProperties`, `nullable`, `description`, `title`, … inside
 *     those junctors;
 *  4. root `metadata` restricts only `name` and `generateName`; plus the embedded-resource,
 *     int-or-string and root-type invariants.
 */
import type { JsonObject, JsonValue } from '../meta.js';
import { isJsonObject } from '../meta.js';
import type { FieldIssue } from '../status.js';
import { formatFieldIssue } from '../status.js';

type Level = 'root' | 'item' | 'field';

const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;

const req = (field: string, detail: string): FieldIssue => ({ field, type: 'FieldValueRequired', detail });
const forbid = (field: string, detail: string): FieldIssue => ({
  field,
  type: 'FieldValueForbidden',
  detail,
});
const inval = (field: string, value: unknown, detail: string): FieldIssue => ({
  field,
  type: 'FieldValueInvalid',
  value,
  detail,
});

const obj = (v: JsonValue | undefined): JsonObject | undefined => (isJsonObject(v) ? v : undefined);
const props = (s: JsonObject): JsonObject => obj(s.properties) ?? {};
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
const prop = (path: string, k: string): string => `${path}.properties[${k}]`;

function isIntOrStringAnyOf(anyOf: JsonValue | undefined): boolean {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return false;
  const [a, b] = anyOf;
  const only = (x: JsonValue | undefined, t: string): boolean =>
    isJsonObject(x) && Object.keys(x).length === 1 && x.type === t;
  return only(a, 'integer') && only(b, 'string');
}

const NESTED_FORBIDDEN: readonly (readonly [string, (v: JsonValue) => boolean, string])[] = [
  ['type', (v) => v !== '', 'must be empty to be structural'],
  ['additionalProperties', () => true, 'must be undefined to be structural'],
  ['default', () => true, 'must be undefined to be structural'],
  ['title', (v) => v !== '', 'must be empty to be structural'],
  ['description', (v) => v !== '', 'must be empty to be structural'],
  ['nullable', (v) => v === true, 'must be false to be structural'],
  ['externalDocs', () => true, 'must be undefined to be structural'],
  ['x-kubernetes-preserve-unknown-fields', (v) => v === true, 'must be false to be structural'],
  ['x-kubernetes-embedded-resource', (v) => v === true, 'must be false to be structural'],
  ['x-kubernetes-int-or-string', (v) => v === true, 'must be false to be structural'],
  ['x-kubernetes-list-map-keys', (v) => Array.isArray(v) && v.length > 0, 'must be empty to be structural'],
  ['x-kubernetes-list-type', () => true, 'must be undefined to be structural'],
  ['x-kubernetes-map-type', () => true, 'must be undefined to be structural'],
  ['x-kubernetes-validations', (v) => Array.isArray(v) && v.length > 0, 'must be empty to be structural'],
];

/**
 * Structural-schema problems of `schema`, whose own field path is `fieldPath` (e.g.
 * `spec.versions[0].schema.openAPIV3Schema`), sorted by message as kube sorts them. Empty = structural.
 */
export function isStructural(schema: JsonObject, fieldPath: string): FieldIssue[] {
  const check = new StructuralCheck();
  check.invariants(schema, 'root', fieldPath);
  check.completeness(schema, fieldPath);
  return check.out
    .map((i) => [formatFieldIssue(i), i] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, i]) => i);
}

class StructuralCheck {
  readonly out: FieldIssue[] = [];

  invariants(s: JsonObject, lvl: Level, path: string): void {
    const type = str(s.type);
    const items = obj(s.items);
    if (type === 'array' && items === undefined) this.out.push(req(`${path}.items`, 'must be specified'));
    if (items !== undefined) this.invariants(items, 'item', `${path}.items`);
    for (const [k, v] of Object.entries(props(s)))
      if (isJsonObject(v)) this.invariants(v, 'field', prop(path, k));

    const additional = s.additionalProperties;
    if (additional !== undefined) {
      if (lvl === 'root')
        this.out.push(forbid(`${path}.additionalProperties`, 'must not be used at the root'));
      if (isJsonObject(additional)) this.invariants(additional, 'field', `${path}.additionalProperties`);
    }

    const intOrString = s['x-kubernetes-int-or-string'] === true;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = s['x-kubernetes-embedded-resource'] === true;
    if (intOrString && preserve) {
      this.out.push(
        inval(
          `${path}.x-kubernetes-preserve-unknown-fields`,
          true,
          'must be false if x-kubernetes-int-or-string is true',
        ),
      );
    }
    if (intOrString && embedded) {
      this.out.push(
        inval(
          `${path}.x-kubernetes-embedded-resource`,
          true,
          'must be false if x-kubernetes-int-or-string is true',
        ),
      );
    }

    const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
    const firstAllOf = Array.isArray(s.allOf) ? s.allOf[0] : undefined;
    const skipFirstAllOfAnyOf = isJsonObject(firstAllOf) && isIntOrStringAnyOf(firstAllOf.anyOf);
    this.valueValidation(s, path, { anyOf: skipAnyOf, firstAllOfAnyOf: skipFirstAllOfAnyOf });

    if (embedded && type !== 'object') {
      const detail = 'must be object if x-kubernetes-embedded-resource is true';
      this.out.push(type === '' ? req(`${path}.type`, detail) : inval(`${path}.type`, type, detail));
    } else if (type === '' && !intOrString && !preserve) {
      const where = {
        root: 'at the root',
        item: 'for specified array items',
        field: 'for specified object fields',
      };
      this.out.push(req(`${path}.type`, `must not be empty ${where[lvl]}`));
    }
    if (embedded && additional !== undefined) {
      this.out.push(
        forbid(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'),
      );
    }
    if (lvl === 'root' && type !== '' && type !== 'object')
      this.out.push(inval(`${path}.type`, type, 'must be object at the root'));

    const checkMeta = lvl === 'root' || embedded;
    const p = props(s);
    for (const k of ['kind', 'apiVersion']) {
      const sub = obj(p[k]);
      if (checkMeta && sub !== undefined && sub.type !== 'string') {
        this.out.push(inval(`${prop(path, k)}.type`, str(sub.type), 'must be string'));
      }
    }
    const metadata = obj(p.metadata);
    if (metadata !== undefined)
      this.metadataInvariants(metadata, prop(path, 'metadata'), { checkMeta, root: lvl === 'root' });
    if (embedded && !preserve && Object.keys(p).length === 0) {
      this.out.push(
        req(
          `${path}.properties`,
          'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
        ),
      );
    }
  }

  metadataInvariants(s: JsonObject, path: string, flags: { checkMeta: boolean; root: boolean }): void {
    const { checkMeta } = flags;
    if (checkMeta && s.type !== 'object') this.out.push(inval(`${path}.type`, str(s.type), 'must be object'));
    if (!flags.root) return;
    const names = Object.keys(props(s));
    const onlyNames = names.every((n) => n === 'name' || n === 'generateName');
    const ignored = new Set(['type', 'default', 'example']);
    const rest = Object.keys(s).filter((k) => !ignored.has(k) && !(k === 'properties' && onlyNames));
    if (rest.length > 0) {
      this.out.push(
        forbid(
          path,
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        ),
      );
    }
  }

  /** Junctors and `pattern` of a structural node (kube's validateValueValidation). */
  valueValidation(s: JsonObject, path: string, skip: { anyOf: boolean; firstAllOfAnyOf: boolean }): void {
    const skipAnyOf = skip.anyOf;
    const skipFirstAllOfAnyOf = skip.firstAllOfAnyOf;
    for (const j of JUNCTORS) {
      const arr = s[j];
      if (!Array.isArray(arr) || (j === 'anyOf' && skipAnyOf)) continue;
      arr.forEach((m, i) => {
        if (isJsonObject(m))
          this.nested(m, j === 'allOf' && i === 0 && skipFirstAllOfAnyOf, `${path}.${j}[${i}]`);
      });
    }
    const not = obj(s.not);
    if (not !== undefined) this.nested(not, false, `${path}.not`);
    if (typeof s.pattern === 'string') {
      try {
        new RegExp(s.pattern);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        this.out.push(
          inval(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${why}`),
        );
      }
    }
  }

  /** A schema inside a junctor: value validation only (kube's validateNestedValueValidation). */
  nested(v: JsonObject, skipAnyOf: boolean, path: string): void {
    this.valueValidation(v, path, { anyOf: skipAnyOf, firstAllOfAnyOf: false });
    const items = obj(v.items);
    if (items !== undefined) this.nested(items, false, `${path}.items`);
    for (const [k, p] of Object.entries(props(v))) if (isJsonObject(p)) this.nested(p, false, prop(path, k));
    for (const [key, applies, detail] of NESTED_FORBIDDEN) {
      const value = v[key];
      if (value !== undefined && applies(value)) this.out.push(forbid(`${path}.${key}`, detail));
    }
    if (Object.hasOwn(props(v), 'metadata')) {
      this.out.push(forbid(prop(path, 'metadata'), 'must not be specified in a nested context'));
    }
  }

  /** Rule 2: whatever a junctor names must exist in the structural schema (kube's complete.go). */
  completeness(s: JsonObject, path: string): void {
    this.junctorCompleteness(s, s, { s: path, v: path });
    const items = obj(s.items);
    if (items !== undefined) this.completeness(items, `${path}.items`);
    for (const [k, p] of Object.entries(props(s))) if (isJsonObject(p)) this.completeness(p, prop(path, k));
    const additional = obj(s.additionalProperties);
    if (additional !== undefined) this.completeness(additional, `${path}.additionalProperties`);
  }

  junctorCompleteness(v: JsonObject, s: JsonObject, paths: { s: string; v: string }): void {
    const { s: sPath, v: vPath } = paths;
    for (const j of JUNCTORS) {
      const arr = v[j];
      if (!Array.isArray(arr)) continue;
      arr.forEach((m, i) => {
        if (isJsonObject(m)) this.nestedCompleteness(m, s, { s: sPath, v: `${vPath}.${j}[${i}]` });
      });
    }
    const not = obj(v.not);
    if (not !== undefined) this.nestedCompleteness(not, s, { s: sPath, v: `${vPath}.not` });
  }

  nestedCompleteness(v: JsonObject, s: JsonObject, paths: { s: string; v: string }): void {
    const { s: sPath, v: vPath } = paths;
    this.junctorCompleteness(v, s, { s: sPath, v: vPath });
    const vItems = obj(v.items);
    if (vItems !== undefined) {
      const sItems = obj(s.items);
      if (sItems === undefined)
        this.out.push(req(`${sPath}.items`, `because it is defined in ${vPath}.items`));
      else this.nestedCompleteness(vItems, sItems, { s: `${sPath}.items`, v: `${vPath}.items` });
    }
    const sProps = props(s);
    for (const [k, vp] of Object.entries(props(v))) {
      if (!isJsonObject(vp)) continue;
      const sp = obj(sProps[k]);
      if (sp === undefined) this.out.push(req(prop(sPath, k), `because it is defined in ${prop(vPath, k)}`));
      else this.nestedCompleteness(vp, sp, { s: prop(sPath, k), v: prop(vPath, k) });
    }
  }
}
