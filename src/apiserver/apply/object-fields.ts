/**
 * The field view of a JSON object under a `MergeSchema`: which paths an object specifies, which
 * paths changed between two objects, and removing paths from an object.
 *
 * Node kinds follow structured-merge-diff: an object is a map (descended into) unless its schema
 * is `atomicMap`; an array is a list of elements only when its schema says `map` or `set`;
 * everything else — scalars, null, atomic lists and maps — is a leaf, owned whole.
 */

import { jsonEqual } from '../../api/json-equal.js';
import type { ListType, MergeSchema } from '../../api/merge-schema.js';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import { FieldSet } from './field-set.js';
import type { FieldPath, PathElement } from './path-element.js';
import { fieldElement, listItemElement, pathToString, serializePathElement } from './path-element.js';

/** An applied configuration names the same list element twice. */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
}

type Node =
  | { kind: 'map'; value: JsonObject }
  | { kind: 'list'; value: JsonValue[]; list: ListType }
  | { kind: 'leaf'; value: JsonValue };

function classify(value: JsonValue, schema: MergeSchema | undefined): Node {
  if (isJsonObject(value)) return schema?.atomicMap ? { kind: 'leaf', value } : { kind: 'map', value };
  if (Array.isArray(value)) {
    const list = schema?.list;
    if (list && list.type !== 'atomic') return { kind: 'list', value, list };
  }
  return { kind: 'leaf', value };
}

/** Elements of a list keyed by path element; later duplicates are ignored (kube keeps the first). */
function indexList(
  items: readonly JsonValue[],
  list: ListType,
): Map<string, { pe: PathElement; item: JsonValue }> {
  const out = new Map<string, { pe: PathElement; item: JsonValue }>();
  items.forEach((item, i) => {
    const pe = listItemElement(item, list, i);
    const key = serializePathElement(pe);
    if (!out.has(key)) out.set(key, { pe, item });
  });
  return out;
}

/**
 * The set of fields `obj` specifies: every leaf, plus every element of a `map` or `set` list.
 * Empty maps contribute nothing. Throws `DuplicateKeyError` when a list names an element twice.
 */
export function fieldSetFromObject(obj: JsonObject, schema: MergeSchema | undefined): FieldSet {
  const paths: FieldPath[] = [];
  walkFields(obj, { schema, path: [] }, paths);
  return FieldSet.of(paths);
}

/** Where a walk is: the node's schema and path. */
interface At {
  readonly schema: MergeSchema | undefined;
  readonly path: FieldPath;
}

function walkFields(value: JsonValue, { schema, path }: At, out: FieldPath[]): void {
  const node = classify(value, schema);
  switch (node.kind) {
    case 'leaf':
      if (path.length > 0) out.push(path);
      return;
    case 'map':
      for (const [k, v] of Object.entries(node.value))
        walkFields(v, { schema: schema?.property(k), path: [...path, fieldElement(k)] }, out);
      return;
    case 'list': {
      const seen = new Set<string>();
      node.value.forEach((item, i) => {
        const pe = listItemElement(item, node.list, i);
        const key = serializePathElement(pe);
        if (seen.has(key)) {
          throw new DuplicateKeyError(
            `${pathToString(path)}: duplicate entries for key ${pathToString([pe])}`,
          );
        }
        seen.add(key);
        const itemPath = [...path, pe];
        walkFields(item, { schema: schema?.items(), path: itemPath }, out);
        out.push(itemPath);
      });
      return;
    }
  }
}

/** What changed between two objects, as path sets (kube's `typed.Comparison`). */
export interface Comparison {
  /** Paths present only in the new object, including newly created maps, lists and elements. */
  readonly added: FieldSet;
  /** Leaves present in both whose values differ. */
  readonly modified: FieldSet;
  /** Paths present only in the old object. */
  readonly removed: FieldSet;
}

/** Compares `lhs` (old) with `rhs` (new) node by node under `schema`. */
export function compareObjects(
  lhs: JsonObject,
  rhs: JsonObject,
  schema: MergeSchema | undefined,
): Comparison {
  const acc = { added: [] as FieldPath[], modified: [] as FieldPath[], removed: [] as FieldPath[] };
  if (!unchanged(lhs, rhs)) compareNode(lhs, rhs, { schema, path: [], acc });
  return {
    added: FieldSet.of(acc.added),
    modified: FieldSet.of(acc.modified),
    removed: FieldSet.of(acc.removed),
  };
}

interface Acc {
  added: FieldPath[];
  modified: FieldPath[];
  removed: FieldPath[];
}

function isEmptyContainer(n: Node | undefined): boolean {
  return (
    n === undefined ||
    (n.kind === 'map' && Object.keys(n.value).length === 0) ||
    (n.kind === 'list' && n.value.length === 0)
  );
}

/**
 * Whether two values have no differences to find: the very same value (an update keeps the stored
 * status or spec by reference), or equal ones. Checked before a subtree is walked, because the walk
 * allocates (paths, node views, key sets) and most of an updated object is unchanged.
 */
function unchanged(lhs: JsonValue | undefined, rhs: JsonValue | undefined): boolean {
  return lhs === rhs || (lhs !== undefined && rhs !== undefined && jsonEqual(lhs, rhs));
}

/** Walks two values that differ (callers check `unchanged` first). */
function compareNode(lhs: JsonValue | undefined, rhs: JsonValue | undefined, at: At & { acc: Acc }): void {
  const { schema, path, acc } = at;
  const l = lhs === undefined ? undefined : classify(lhs, schema);
  const r = rhs === undefined ? undefined : classify(rhs, schema);
  const kind = l !== undefined && r !== undefined && l.kind !== r.kind ? 'leaf' : (l ?? r)?.kind;
  const bothEmpty = isEmptyContainer(l) && isEmptyContainer(r);
  if (kind === undefined) return;
  if (kind === 'leaf' || bothEmpty) {
    if (path.length === 0) return;
    if (lhs === undefined) acc.added.push(path);
    else if (rhs === undefined) acc.removed.push(path);
    else acc.modified.push(path);
    return;
  }
  if (kind === 'map') {
    const lm = l?.kind === 'map' ? l.value : {};
    const rm = r?.kind === 'map' ? r.value : {};
    for (const k in lm)
      if (!unchanged(lm[k], rm[k]))
        compareNode(lm[k], rm[k], { schema: schema?.property(k), path: [...path, fieldElement(k)], acc });
    for (const k in rm)
      if (!Object.hasOwn(lm, k) && rm[k] !== undefined)
        compareNode(undefined, rm[k], { schema: schema?.property(k), path: [...path, fieldElement(k)], acc });
  } else {
    const list = (l?.kind === 'list' ? l.list : r?.kind === 'list' ? r.list : undefined) ?? {
      type: 'atomic',
    };
    const li = indexList(l?.kind === 'list' ? l.value : [], list);
    const ri = indexList(r?.kind === 'list' ? r.value : [], list);
    const itemSchema = schema?.items();
    for (const [key, { pe, item }] of ri) {
      const before = li.get(key)?.item;
      if (!unchanged(before, item))
        compareNode(before, item, { schema: itemSchema, path: [...path, pe], acc });
    }
    for (const [key, { pe, item }] of li)
      if (!ri.has(key)) compareNode(item, undefined, { schema: itemSchema, path: [...path, pe], acc });
  }
  if (path.length === 0) return;
  if (lhs === undefined) acc.added.push(path);
  else if (rhs === undefined) acc.removed.push(path);
}

/**
 * A copy of `obj` without the members of `set` (each member removes its whole subtree). A map or
 * list that the removal empties is removed too, as kube nulls it out.
 */
export function removeFields(obj: JsonObject, set: FieldSet, schema: MergeSchema | undefined): JsonObject {
  const out = removeIn(obj, set, schema);
  return isJsonObject(out) ? out : {};
}

function removeIn(value: JsonValue, set: FieldSet, schema: MergeSchema | undefined): JsonValue | undefined {
  if (set.isEmpty()) return value;
  const node = classify(value, schema);
  switch (node.kind) {
    case 'leaf':
      return value;
    case 'map': {
      const out: JsonObject = {};
      let touched = false;
      for (const [k, v] of Object.entries(node.value)) {
        const pe = fieldElement(k);
        if (set.has([pe])) {
          touched = true;
          continue;
        }
        const next = removeIn(v, set.under([pe]), schema?.property(k));
        if (next === undefined) touched = true;
        else out[k] = next;
      }
      return touched && Object.keys(out).length === 0 ? undefined : out;
    }
    case 'list': {
      const out: JsonValue[] = [];
      let touched = false;
      node.value.forEach((item, i) => {
        const pe = listItemElement(item, node.list, i);
        if (set.has([pe])) {
          touched = true;
          return;
        }
        const next = removeIn(item, set.under([pe]), schema?.items());
        if (next === undefined) touched = true;
        else out.push(next);
      });
      return touched && out.length === 0 ? undefined : out;
    }
  }
}
