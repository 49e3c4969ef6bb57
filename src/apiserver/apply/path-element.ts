/**
 * One step of a field path, as structured-merge-diff models it and `metadata.managedFields`
 * serialises it (FieldsV1): `f:<name>` a struct or map field, `k:<json>` an associative-list
 * element by its key fields, `v:<json>` a set element, `i:<n>` a list index.
 */

import type { ListType } from '../../api/merge-schema.js';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';

export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  /** Key fields sorted by name, as kube sorts them. */
  | { readonly kind: 'key'; readonly fields: readonly (readonly [string, JsonValue])[] }
  | { readonly kind: 'value'; readonly value: JsonValue }
  | { readonly kind: 'index'; readonly index: number };

export type FieldPath = readonly PathElement[];

/** A FieldsV1 document or a path element string that cannot be decoded. */
export class FieldsV1Error extends Error {
  override readonly name = 'FieldsV1Error';
}

/** `f:<name>`. */
export function fieldElement(name: string): PathElement {
  return { kind: 'field', name };
}

/** `k:{...}` with the key fields sorted by name. */
export function keyElement(fields: Readonly<Record<string, JsonValue>>): PathElement {
  const sorted = Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { kind: 'key', fields: sorted };
}

/** `v:<json>`. */
export function valueElement(value: JsonValue): PathElement {
  return { kind: 'value', value };
}

/** `i:<n>`. */
export function indexElement(index: number): PathElement {
  return { kind: 'index', index };
}

/** JSON with object keys sorted, so equal values always serialise the same way. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The FieldsV1 key for `pe`, e.g. `k:{"containerPort":80,"protocol":"TCP"}`. */
export function serializePathElement(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `f:${pe.name}`;
    case 'key':
      return `k:{${pe.fields.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    case 'value':
      return `v:${canonicalJson(pe.value)}`;
    case 'index':
      return `i:${pe.index}`;
  }
}

/**
 * Parses a FieldsV1 key (`f:`, `k:`, `v:`, `i:`). Throws `FieldsV1Error` on anything else,
 * including the `.` marker, which is not a path element.
 */
export function parsePathElement(text: string): PathElement {
  const body = text.slice(2);
  const tag = text.slice(0, 2);
  switch (tag) {
    case 'f:':
      return fieldElement(body);
    case 'k:': {
      const parsed = parseJson(text, body);
      if (!isJsonObject(parsed)) throw new FieldsV1Error(`invalid key path element ${JSON.stringify(text)}`);
      return keyElement(parsed);
    }
    case 'v:':
      return valueElement(parseJson(text, body));
    case 'i:': {
      if (!/^(0|[1-9][0-9]*)$/.test(body)) {
        throw new FieldsV1Error(`invalid index path element ${JSON.stringify(text)}`);
      }
      return indexElement(Number(body));
    }
    default:
      throw new FieldsV1Error(`unknown path element ${JSON.stringify(text)}`);
  }
}

function parseJson(text: string, body: string): JsonValue {
  try {
    return JSON.parse(body) as JsonValue;
  } catch (err) {
    throw new FieldsV1Error(`invalid path element ${JSON.stringify(text)}`, { cause: err });
  }
}

const KIND_ORDER = { field: 0, key: 1, value: 2, index: 3 } as const;

/** Total order on path elements (structured-merge-diff's): fields < keys < values < indices. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  switch (a.kind) {
    case 'field':
      return compareStrings(a.name, (b as typeof a).name);
    case 'key': {
      const other = (b as typeof a).fields;
      for (let i = 0; i < a.fields.length && i < other.length; i++) {
        const [ak, av] = a.fields[i] ?? ['', null];
        const [bk, bv] = other[i] ?? ['', null];
        const c = compareStrings(ak, bk) || compareJsonValues(av, bv);
        if (c !== 0) return c;
      }
      return a.fields.length - other.length;
    }
    case 'value':
      return compareJsonValues(a.value, (b as typeof a).value);
    case 'index':
      return a.index - (b as typeof a).index;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function typeRank(v: JsonValue): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v === null) return 5;
  return 4;
}

/** Orders JSON values as structured-merge-diff does: numbers < strings < bools < lists < maps < null. */
export function compareJsonValues(a: JsonValue, b: JsonValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < a.length && i < b.length; i++) {
      const c = compareJsonValues(a[i] ?? null, b[i] ?? null);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    for (let i = 0; i < ka.length && i < kb.length; i++) {
      const x = ka[i] ?? '';
      const y = kb[i] ?? '';
      const c = compareStrings(x, y) || compareJsonValues(a[x] ?? null, b[y] ?? null);
      if (c !== 0) return c;
    }
    return ka.length - kb.length;
  }
  return 0;
}

/** Renders a value the way kube prints key and set values in paths: strings quoted, maps `{k=v;...}`. */
function valueToString(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${k}=${valueToString(v[k] ?? null)}`).join(';')}}`;
}

/** Human form of one element: `.name`, `[name="nginx"]`, `[="x"]`, `[3]`. */
export function pathElementToString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map(([k, v]) => `${k}=${valueToString(v)}`).join(',')}]`;
    case 'value':
      return `[=${valueToString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

/** Human form of a path as kube prints it in conflicts: `.spec.template.spec.containers[name="nginx"].image`. */
export function pathToString(path: FieldPath): string {
  return path.map(pathElementToString).join('');
}

/**
 * The path element naming list item `item` (at `index`) of a list with semantics `list`:
 * `k:` of the key fields present for map lists, `v:` for sets, `i:` otherwise. Key fields an
 * element omits are left out of its key (kube would fill schema defaults, which `ListType` lacks).
 */
export function listItemElement(item: JsonValue, list: ListType, index: number): PathElement {
  switch (list.type) {
    case 'map': {
      if (!isJsonObject(item)) return indexElement(index);
      const fields: JsonObject = {};
      for (const key of list.keys) {
        const v = item[key];
        if (v !== undefined) fields[key] = v;
      }
      return keyElement(fields);
    }
    case 'set':
      return valueElement(item);
    case 'atomic':
      return indexElement(index);
  }
}
