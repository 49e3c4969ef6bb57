/**
 * Key ordering shared by every store. Keys sort in UTF-8 byte order, which is etcd's order and
 * SQLite's BINARY collation; it equals Unicode code point order. JavaScript's `<` compares UTF-16
 * code units instead, which disagrees only when a surrogate pair meets a character in
 * U+E000..U+FFFF, so the comparator fixes exactly that case.
 */

const SURROGATE_LO = 0xd800;
const SURROGATE_HI = 0xdfff;

/** Weight of a UTF-16 code unit in code point order: surrogates sort above U+FFFF characters. */
function unitWeight(unit: number): number {
  return unit >= SURROGATE_LO && unit <= SURROGATE_HI ? unit + 0x10000 : unit;
}

/**
 * Compares two keys in UTF-8 byte order. Returns a negative number, zero or a positive number
 * like `Array.prototype.sort` expects.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitWeight(x) - unitWeight(y);
  }
  return a.length - b.length;
}

/**
 * The smallest key greater than every key that starts with `prefix`, or `undefined` when no such
 * key exists (the empty prefix, or a prefix made only of U+10FFFF). Keys `k` with
 * `prefix <= k < prefixEnd(prefix)` are exactly the keys under `prefix`.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < 0x10ffff) {
      const next = last + 1 === SURROGATE_LO ? SURROGATE_HI + 1 : last + 1;
      points.push(next);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}

/**
 * The first key a range under `prefix` starting at `fromKey` must return: the larger of the two,
 * so a `fromKey` below the prefix is ignored and one above it narrows the range.
 */
export function rangeStart(prefix: string, fromKey: string | undefined): string {
  if (fromKey === undefined) return prefix;
  return compareKeys(fromKey, prefix) > 0 ? fromKey : prefix;
}

/**
 * Index of the first element of the sorted array `keys` that is `>= key` (binary search).
 */
export function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid] ?? '', key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
