/**
 * Element order of merged lists in strategic merge patch, as kube-apiserver computes it
 * (`strategicpatch/patch.go`: normalizeElementOrder, mergeSortedSlice; design proposal
 * "preserve-order-in-strategic-merge-patch"). Precedence: `$setElementOrder` > order in the patch
 * list > order in the live list.
 *
 * Elements are identified by their merge key (`mergeKey` non-empty: lists of maps) or by value
 * (`mergeKey` empty: lists of primitives).
 *
 * Note the consequence kube users see: without `$setElementOrder`, items that are new in the patch
 * go *before* the live items (`[a,b]` patched with `[c]` becomes `[c,a,b]`).
 */
import type { JsonValue } from '../../api/meta.js';
import { badArgType, noMergeKey } from './smp-errors.js';
import { goFormat, isObject } from '../../api/patch/json-value.js';
import { jsonEqual } from '../../api/json-equal.js';
import { badRequest } from '../../api/status.js';

const DIRECTIVE = '$patch';

function identity(item: JsonValue, mergeKey: string): JsonValue | undefined {
  if (mergeKey === '') return item;
  return isObject(item) && Object.hasOwn(item, mergeKey) ? item[mergeKey] : undefined;
}

function indexOf(list: readonly JsonValue[], item: JsonValue, mergeKey: string): number {
  const id = identity(item, mergeKey);
  if (id === undefined) return -1;
  return list.findIndex((v) => {
    const other = identity(v, mergeKey);
    return other !== undefined && jsonEqual(other, id);
  });
}

function requireMergeKey(list: readonly JsonValue[], mergeKey: string): void {
  for (const item of list) {
    if (!isObject(item)) throw badArgType('map', item);
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
  }
}

/**
 * Splits `merged` into the items present in `by` and the rest (server-only), keeping order.
 * @throws StatusError 400 when a map item lacks the merge key.
 */
export function partitionByPresence(
  merged: readonly JsonValue[],
  by: readonly JsonValue[],
  mergeKey: string,
): [JsonValue[], JsonValue[]] {
  if (mergeKey !== '') requireMergeKey(merged, mergeKey);
  const present: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const item of merged) (indexOf(by, item, mergeKey) >= 0 ? present : serverOnly).push(item);
  return [present, serverOnly];
}

function sortByOrder(
  toSort: readonly JsonValue[],
  order: readonly JsonValue[],
  mergeKey: string,
): JsonValue[] {
  let items = [...toSort];
  const deletions: JsonValue[] = [];
  if (mergeKey !== '') {
    requireMergeKey(toSort, mergeKey);
    requireMergeKey(order, mergeKey);
    items = items.filter((v) => {
      const isDelete = isObject(v) && v[DIRECTIVE] === 'delete';
      if (isDelete) deletions.push(v);
      return !isDelete;
    });
  }
  const ranked = items.map((item, pos) => ({ item, pos, rank: indexOf(order, item, mergeKey) }));
  ranked.sort((a, b) => (a.rank >= 0 && b.rank >= 0 ? a.rank - b.rank : a.pos - b.pos));
  return [...ranked.map((r) => r.item), ...deletions];
}

/** The orders that rank merged items, and how items are identified. */
export interface ElementOrders {
  /** `$setElementOrder`, or the patch list itself. */
  readonly patch: readonly JsonValue[];
  /** The live list. */
  readonly server: readonly JsonValue[];
  /** Merge key for lists of maps; empty for lists of primitives. */
  readonly mergeKey: string;
}

/**
 * Orders the merged list: patch items by `patchOrder`, server-only items by `serverOrder`, then
 * interleaves them, placing a server-only item first only when both are in `serverOrder` and it
 * comes earlier there.
 */
export function normalizeElementOrder(
  patchItems: readonly JsonValue[],
  serverOnly: readonly JsonValue[],
  orders: ElementOrders,
): JsonValue[] {
  const { mergeKey } = orders;
  const right = sortByOrder(patchItems, orders.patch, mergeKey);
  const left = sortByOrder(serverOnly, orders.server, mergeKey);
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i];
    const r = right[j];
    if (l === undefined) {
      out.push(r as JsonValue);
      j++;
    } else if (r === undefined) {
      out.push(l);
      i++;
    } else {
      const li = indexOf(orders.server, l, mergeKey);
      const ri = indexOf(orders.server, r, mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) {
        out.push(l);
        i++;
      } else {
        out.push(r);
        j++;
      }
    }
  }
  return out;
}

/**
 * Checks that the items of a patch list (ignoring `$patch` elements) appear in `$setElementOrder`
 * in the same relative order.
 * @throws StatusError 400 otherwise.
 */
export function validateSetElementOrder(
  patchList: readonly JsonValue[],
  setOrder: readonly JsonValue[],
  mergeKey: string,
): void {
  if (patchList.length === 0 || setOrder.length === 0) return;
  let items: readonly JsonValue[] = patchList;
  if (mergeKey !== '') {
    for (const item of patchList) if (!isObject(item)) throw badArgType('map', item);
    items = patchList.filter((v) => !(isObject(v) && v[DIRECTIVE] === 'delete'));
  }
  let p = 0;
  let s = 0;
  while (p < items.length && s < setOrder.length) {
    const item = items[p] as JsonValue;
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    const target = setOrder[s] as JsonValue;
    if (mergeKey !== '') {
      if (!isObject(target)) throw badArgType('map', target);
      if (!isObject(item) || !Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      if (!Object.hasOwn(target, mergeKey)) throw noMergeKey(target, mergeKey);
    }
    if (jsonEqual(identity(item, mergeKey), identity(target, mergeKey))) p++;
    s++;
  }
  if (p < items.length) {
    throw badRequest(
      `The order in patch list:\n${goFormat([...patchList])}\n doesn't match $setElementOrder list:\n${goFormat([...setOrder])}\n`,
    );
  }
}
