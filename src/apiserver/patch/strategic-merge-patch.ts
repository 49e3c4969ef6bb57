/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), the server-side merge of
 * `k8s.io/apimachinery/pkg/util/strategicpatch` (`StrategicMergeMapPatch`), driven by a
 * {@link MergeSchema} instead of Go struct tags.
 *
 * - Maps merge key by key; `null` deletes a key.
 * - Lists follow the schema: `map` lists merge element-wise by `mergeKey`, `set` lists (and any
 *   merging list of primitives) take the union, everything else is replaced. No schema = replace.
 * - Directives: `$patch: replace | delete | merge` in a map; `{"$patch":"replace"}` and
 *   `{<mergeKey>: v, "$patch":"delete"}` as elements of a map list; `$retainKeys`;
 *   `$setElementOrder/<list>`; `$deleteFromPrimitiveList/<list>`. None survive into the result.
 *
 * Deliberate differences from kube-apiserver (which copies never-merged patch values verbatim and
 * leaves cleanup to typed decoding): values that are new in the patch are merged into nothing, so
 * their own nulls and directives are resolved; `$patch: delete` on a nested map removes the key
 * (kube leaves `{}`); `$patch: merge` in a map is accepted as the no-op it names (kube rejects it);
 * `$deleteFromPrimitiveList` on an absent list is a no-op (kube stores the deletion list).
 */
import type { JsonObject, JsonValue } from '../../api/meta.js';
import type { MergeSchema } from '../../api/merge-schema.js';
import { badRequest } from '../../api/status.js';
import { goFormat, isObject, setOwn } from '../../api/patch/json-value.js';
import { jsonEqual } from '../../api/json-equal.js';
import {
  PRIMITIVE_LIST_FORMAT,
  RETAIN_KEYS_FORMAT,
  SET_ELEMENT_ORDER_FORMAT,
  badArgType,
  badPatchType,
  listOfLists,
  noMergeKey,
} from './smp-errors.js';
import { normalizeElementOrder, partitionByPresence, validateSetElementOrder } from './smp-order.js';
import { cloneJson } from '../../base/json-clone.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

/**
 * Applies a strategic merge patch to `doc` and returns the merged object. Pure: neither input is
 * modified and the result shares no structure with either. The result contains no directive keys.
 * A root-level `{"$patch":"delete"}` yields `{}`.
 *
 * @param schema how `doc` merges (`builtinMergeSchema(group, kind)`); `undefined` = maps merge,
 *   lists are replaced.
 * @throws StatusError 400 BadRequest for malformed directives (kube's messages, e.g.
 *   `invalid patch format of retainKeys`, `map: map[image:x] does not contain declared merge key: name`),
 *   422 for lists of lists.
 */
export function applyStrategicMergePatch(
  doc: JsonObject,
  patch: JsonObject,
  schema: MergeSchema | undefined,
): JsonObject {
  return mergeMap(cloneJson(doc), cloneJson(patch), schema) ?? {};
}

/** Merges `patch` into `original` (both owned, mutated). `undefined` = the map was deleted. */
function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  schema: MergeSchema | undefined,
): JsonObject | undefined {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    delete patch[DIRECTIVE];
    if (directive === 'replace') return mergeMap({}, patch, schema);
    if (directive === 'delete') return undefined;
    if (directive !== 'merge') throw badPatchType(directive, { ...patch, [DIRECTIVE]: directive ?? null });
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);

  const deletions: [string, JsonValue][] = [];
  for (const [key, patchValue] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deletions.push([key, patchValue]);
      continue;
    }
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const current = Object.hasOwn(original, key) ? original[key] : undefined;
    const merged = mergeValue(current, patchValue, schema?.property(key));
    if (merged === undefined) delete original[key];
    else setOwn(original, key, merged);
  }
  // After the additions, as when kubectl sends both with `$setElementOrder` (processed above).
  for (const [key, values] of deletions) deleteFromPrimitiveList(original, key, values);
  return original;
}

/** Merges one value; a `current` of another JSON type is replaced by the patch merged into nothing. */
function mergeValue(
  current: JsonValue | undefined,
  patchValue: JsonValue,
  schema: MergeSchema | undefined,
): JsonValue | undefined {
  if (isObject(patchValue)) return mergeMap(isObject(current) ? current : {}, patchValue, schema);
  if (Array.isArray(patchValue)) return mergeList(Array.isArray(current) ? current : [], patchValue, schema);
  return patchValue;
}

/** A patch value with nothing to merge into: resolves its nulls and directives. */
function fromPatch(value: JsonValue, schema: MergeSchema | undefined): JsonValue | undefined {
  return mergeValue(undefined, value, schema);
}

function mergeList(original: JsonValue[], patch: JsonValue[], schema: MergeSchema | undefined): JsonValue[] {
  const list = schema?.list;
  const itemSchema = schema?.items();
  if (list === undefined || list.type === 'atomic') return cleanAll(patch, itemSchema);
  if (original.length === 0 && patch.length === 0) return original;

  if (elementKind(original, patch) !== 'map') {
    const merged: JsonValue[] = [];
    for (const v of [...original, ...patch]) if (!merged.some((m) => jsonEqual(m, v))) merged.push(v);
    const [inPatch, serverOnly] = partitionByPresence(merged, patch, '');
    return normalizeElementOrder(inPatch, serverOnly, { patch, server: original, mergeKey: '' });
  }
  if (list.type !== 'map') throw badRequest('cannot merge lists without merge key for type struct');
  const { mergeKey } = list;
  const [server, patchItems] = applyListDirectives(original, patch, { mergeKey, itemSchema });
  const merged = [...server];
  for (const item of patchItems) {
    const element = item as JsonObject;
    if (!Object.hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
    const at = merged.findIndex(
      (m) => isObject(m) && Object.hasOwn(m, mergeKey) && jsonEqual(m[mergeKey], element[mergeKey]),
    );
    const existing = at >= 0 ? merged[at] : undefined;
    const result = mergeMap(isObject(existing) ? existing : {}, cloneJson(element), itemSchema);
    if (at >= 0) {
      if (result === undefined) merged.splice(at, 1);
      else merged[at] = result;
    } else if (result !== undefined) {
      merged.push(result);
    }
  }
  const [inPatch, serverOnly] = partitionByPresence(merged, patchItems, mergeKey);
  return normalizeElementOrder(inPatch, serverOnly, { patch: patchItems, server, mergeKey });
}

/**
 * Handles `$patch` elements of a map list: deletions remove matching live elements, a replace
 * marker makes the remaining patch elements the whole list. Returns the live list to merge into
 * and the ordinary patch elements.
 */
function applyListDirectives(
  original: JsonValue[],
  patch: JsonValue[],
  { mergeKey, itemSchema }: { mergeKey: string; itemSchema: MergeSchema | undefined },
): [JsonValue[], JsonValue[]] {
  let server = original;
  const plain: JsonValue[] = [];
  let replace = false;
  for (const item of patch) {
    const element = item as JsonObject;
    if (!Object.hasOwn(element, DIRECTIVE)) {
      plain.push(element);
      continue;
    }
    const directive = element[DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
      const key = element[mergeKey];
      server = server.filter(
        (v) => !(isObject(v) && Object.hasOwn(v, mergeKey) && jsonEqual(v[mergeKey], key)),
      );
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw badRequest('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, element);
    }
  }
  return replace ? [cleanAll(plain, itemSchema), []] : [server, plain];
}

function cleanAll(values: readonly JsonValue[], itemSchema: MergeSchema | undefined): JsonValue[] {
  const out: JsonValue[] = [];
  for (const v of values) {
    const cleaned = fromPatch(v, itemSchema);
    if (cleaned !== undefined) out.push(cleaned);
  }
  return out;
}

type ElementKind = 'map' | 'string' | 'number' | 'boolean' | 'null';

/** The common element kind of the lists; all elements must share it. */
function elementKind(...lists: JsonValue[][]): ElementKind | undefined {
  let kind: ElementKind | undefined;
  for (const list of lists) {
    for (const v of list) {
      if (Array.isArray(v)) throw listOfLists();
      const k: ElementKind = isObject(v)
        ? 'map'
        : v === null
          ? 'null'
          : (typeof v as 'string' | 'number' | 'boolean');
      if (kind !== undefined && kind !== k)
        throw badRequest(`list element types are not identical: ${goFormat(lists)}`);
      kind = k;
    }
  }
  return kind;
}

/** The list field a `<prefix>/<field>` directive names. */
function directiveTarget(key: string, prefix: string, format: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badRequest(format);
  return key.slice(slash + 1);
}

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badRequest(RETAIN_KEYS_FORMAT);
  const kept = new Set(retain.filter((k): k is string => typeof k === 'string'));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER))
      continue;
    if (!kept.has(key)) throw badRequest(RETAIN_KEYS_FORMAT);
  }
  for (const key of Object.keys(original)) if (!kept.has(key)) delete original[key];
}

/** Merges every list named by a `$setElementOrder/<list>` directive and puts it in the stated order. */
function applySetElementOrder(
  original: JsonObject,
  patch: JsonObject,
  schema: MergeSchema | undefined,
): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType('list', order);
    const field = directiveTarget(key, SET_ELEMENT_ORDER, SET_ELEMENT_ORDER_FORMAT);
    const live = Object.hasOwn(original, field) ? original[field] : undefined;
    const patchList = Object.hasOwn(patch, field) ? patch[field] : undefined;
    if (live !== undefined && !Array.isArray(live)) throw badArgType('list', live);
    if (patchList !== undefined && !Array.isArray(patchList)) throw badArgType('list', patchList);
    const fieldSchema = schema?.property(field);
    const list = fieldSchema?.list;
    const mergeKey = list?.type === 'map' ? list.mergeKey : '';
    validateSetElementOrder(patchList ?? [], order, mergeKey);
    if (patchList === undefined && live === undefined) continue;
    delete patch[field];
    if (list === undefined || list.type === 'atomic') {
      // Order of a replaced list is the patch's own; the directive has nothing to add.
      if (patchList !== undefined) setOwn(original, field, mergeList([], patchList, fieldSchema));
      continue;
    }
    const merged = patchList === undefined ? (live ?? []) : mergeList(live ?? [], patchList, fieldSchema);
    const [inOrder, serverOnly] = partitionByPresence(merged, order, mergeKey);
    setOwn(
      original,
      field,
      normalizeElementOrder(inOrder, serverOnly, { patch: order, server: live ?? [], mergeKey }),
    );
  }
}

function deleteFromPrimitiveList(original: JsonObject, key: string, values: JsonValue): void {
  const field = directiveTarget(key, DELETE_FROM_PRIMITIVE_LIST, PRIMITIVE_LIST_FORMAT);
  if (values === null) {
    delete original[field];
    return;
  }
  if (!Array.isArray(values)) throw badRequest(PRIMITIVE_LIST_FORMAT);
  const live = Object.hasOwn(original, field) ? original[field] : undefined;
  if (!Array.isArray(live)) return;
  setOwn(
    original,
    field,
    live.filter((v) => !values.some((d) => jsonEqual(d, v))),
  );
}
