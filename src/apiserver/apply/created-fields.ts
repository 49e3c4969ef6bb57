/**
 * The fields a create takes, straight to FieldsV1. On a create with no client-supplied
 * managedFields, `trackUpdate` would compare `{}` with the new object (every node is "added"),
 * subtract the reset and stripped sets and encode the result; this walks the object once and
 * writes the same FieldsV1 document without building paths or intermediate `FieldSet`s. It is
 * the hottest part of every create, hence the separate path; `created-fields.test.ts` checks it
 * against the general one.
 */

import type { MergeSchema } from '../../api/merge-schema.js';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import { FieldSet } from './field-set.js';
import type { PathElement } from './path-element.js';
import { comparePathElements, listItemElement, serializePathElement } from './path-element.js';

/** Paths to leave out: `reset` with everything below them, `stripped` only exactly. */
export interface Excluded {
  readonly reset: FieldSet;
  readonly stripped: FieldSet;
}

const NOTHING: Excluded = { reset: FieldSet.empty, stripped: FieldSet.empty };

interface Child {
  readonly key: string;
  readonly pe: PathElement | undefined;
  readonly doc: JsonObject;
}

const byName = (a: Child, b: Child): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const byElement = (a: Child, b: Child): number =>
  comparePathElements(a.pe as PathElement, b.pe as PathElement);

/**
 * FieldsV1 of `changed.recursiveDifference(reset).difference(stripped)` where `changed` is
 * `compareObjects({}, obj, schema).added`; `{}` when nothing is left.
 */
export function createdFieldsV1(obj: JsonObject, schema: MergeSchema | undefined, ex: Excluded): JsonObject {
  // The root is never a member; an atomic root map has no members at all.
  if (schema?.atomicMap) return {};
  return mapChildren(obj, schema, ex) ?? {};
}

/** The entry for `key` holding `value`; undefined when reset removes it or nothing is left. */
function childDoc(
  key: string,
  value: JsonValue,
  at: { schema: MergeSchema | undefined; ex: Excluded },
): JsonObject | undefined {
  const reset = at.ex.reset.child(key);
  if (reset?.member) return undefined;
  const stripped = at.ex.stripped.child(key);
  // Below the few excluded top-level paths (nearly every node) share one empty exclusion.
  const sub: Excluded =
    reset === undefined && stripped === undefined
      ? NOTHING
      : { reset: reset?.sub ?? FieldSet.empty, stripped: stripped?.sub ?? FieldSet.empty };
  const member = !(stripped?.member ?? false);
  const inner = innerDoc(value, at.schema, sub);
  if (inner === undefined) return member ? {} : undefined;
  return member ? { '.': {}, ...inner } : inner;
}

/** The members below a node (undefined when it is a leaf or has none), as compareNode descends. */
function innerDoc(value: JsonValue, schema: MergeSchema | undefined, ex: Excluded): JsonObject | undefined {
  if (isJsonObject(value)) return schema?.atomicMap ? undefined : mapChildren(value, schema, ex);
  if (Array.isArray(value) && schema?.list !== undefined && schema.list.type !== 'atomic')
    return listChildren(value, schema, ex);
  return undefined;
}

function mapChildren(
  value: JsonObject,
  schema: MergeSchema | undefined,
  ex: Excluded,
): JsonObject | undefined {
  const children: Child[] = [];
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (v === undefined) continue; // compareNode skips absent values
    const key = `f:${k}`;
    const doc = childDoc(key, v, { schema: schema?.property(k), ex });
    if (doc !== undefined) children.push({ key, pe: undefined, doc });
  }
  // Field elements order by name, and `f:` + name orders as the name does.
  return assemble(children.sort(byName));
}

function listChildren(
  items: readonly JsonValue[],
  schema: MergeSchema,
  ex: Excluded,
): JsonObject | undefined {
  const list = schema.list ?? { type: 'atomic' };
  const itemSchema = schema.items();
  const seen = new Set<string>();
  const children: Child[] = [];
  items.forEach((item, i) => {
    const pe = listItemElement(item, list, i);
    const key = serializePathElement(pe);
    if (seen.has(key)) return; // the first of duplicate elements wins, as in indexList
    seen.add(key);
    const doc = childDoc(key, item, { schema: itemSchema, ex });
    if (doc !== undefined) children.push({ key, pe, doc });
  });
  // Array#sort is stable, so elements comparing equal keep list order, as FieldSet's do.
  return assemble(children.sort(byElement));
}

/** The children's FieldsV1 entries in order; undefined when there are none. */
function assemble(children: readonly Child[]): JsonObject | undefined {
  if (children.length === 0) return undefined;
  const out: JsonObject = {};
  for (const c of children) out[c.key] = c.doc;
  return out;
}
