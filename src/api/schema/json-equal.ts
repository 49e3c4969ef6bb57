/** Structural equality and canonical keys for JSON values (enum, uniqueItems and list-type checks). */
import type { JsonValue } from '../meta.js';

/** Deep equality of JSON values; object key order does not matter. */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const bv = b[k];
    if (bv === undefined || !jsonEqual(a[k] ?? null, bv)) return false;
  }
  return true;
}

/** A string equal for exactly the `jsonEqual` values: JSON with object keys sorted. */
export function canonicalKey(v: JsonValue): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(v[k] ?? null)}`).join(',')}}`;
}
