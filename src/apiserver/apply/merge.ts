/**
 * Merging an applied configuration into a live object (structured-merge-diff's `Merge` with the
 * "keep right-hand side" rule): maps merge key by key, `map` lists merge element by key, `set`
 * lists take the union, and everything else — scalars, atomic lists and atomic maps — is replaced
 * by the configuration's value. Nothing is ever removed by a merge; pruning is separate.
 */

import type { ListType, MergeSchema } from '../../api/merge-schema.js';
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import { listItemElement, serializePathElement } from './path-element.js';
import { cloneJson } from '../../base/json-clone.js';

/** `live` with `config` merged in; neither argument is modified. */
export function mergeObjects(
  live: JsonObject,
  config: JsonObject,
  schema: MergeSchema | undefined,
): JsonObject {
  const out = mergeValue(live, config, schema);
  return isJsonObject(out) ? out : cloneJson(config);
}

function mergeValue(
  live: JsonValue | undefined,
  config: JsonValue,
  schema: MergeSchema | undefined,
): JsonValue {
  if (live === undefined) return cloneJson(config);
  if (isJsonObject(live) && isJsonObject(config) && !schema?.atomicMap) {
    const out: JsonObject = cloneJson(live);
    for (const [k, v] of Object.entries(config)) out[k] = mergeValue(live[k], v, schema?.property(k));
    return out;
  }
  const list = schema?.list;
  if (Array.isArray(live) && Array.isArray(config) && list !== undefined && list.type !== 'atomic') {
    return mergeLists(live, config, { list, itemSchema: schema?.items() });
  }
  return cloneJson(config);
}

interface Indexed {
  readonly order: string[];
  readonly items: Map<string, JsonValue>;
}

function index(items: readonly JsonValue[], list: ListType): Indexed {
  const order: string[] = [];
  const map = new Map<string, JsonValue>();
  items.forEach((item, i) => {
    const key = serializePathElement(listItemElement(item, list, i));
    if (map.has(key)) return;
    map.set(key, item);
    order.push(key);
  });
  return { order, items: map };
}

/**
 * Element-wise merge. The result keeps live-only elements where they were and places the
 * configuration's elements in the configuration's order, interleaving as kube does: walking both
 * lists, a shared element is emitted when the configuration reaches it.
 */
function mergeLists(
  live: readonly JsonValue[],
  config: readonly JsonValue[],
  { list, itemSchema }: { list: ListType; itemSchema: MergeSchema | undefined },
): JsonValue[] {
  const l = index(live, list);
  const r = index(config, list);
  const shared = r.order.filter((k) => l.items.has(k));
  let nextShared = shared.shift();
  const out: JsonValue[] = [];
  const emit = (key: string): void => {
    const rv = r.items.get(key);
    const lv = l.items.get(key);
    if (rv === undefined) {
      if (lv !== undefined) out.push(cloneJson(lv));
      return;
    }
    out.push(mergeValue(lv, rv, itemSchema));
  };
  let li = 0;
  let ri = 0;
  while (li < l.order.length || ri < r.order.length) {
    const lk = l.order[li];
    const rk = r.order[ri];
    if (lk !== undefined && rk !== undefined) {
      if (lk === rk) {
        emit(lk);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (r.items.has(lk) && nextShared !== undefined && nextShared !== lk) {
        li++;
        continue;
      }
    }
    if (lk !== undefined && !r.items.has(lk)) {
      emit(lk);
      li++;
      continue;
    }
    if (rk !== undefined) {
      emit(rk);
      ri++;
      if (nextShared === rk) nextShared = shared.shift();
      continue;
    }
    // Only shared live elements remain and the configuration is exhausted: they were emitted.
    li++;
  }
  return out;
}
