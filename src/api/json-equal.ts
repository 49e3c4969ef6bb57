/**
 * Equality of JSON values, shared by schema validation (enum, uniqueItems, list types), patches,
 * server-side apply and the write engine's no-op detection. JSON semantics: object key order does
 * not matter and a member whose value is `undefined` counts as absent (JSON.stringify drops it).
 */
import type { JsonValue } from './meta.js';

type Loose = JsonValue | undefined;

function isPlainObject(v: unknown): v is Record<string, Loose> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function definedKeys(o: Record<string, Loose>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}

/** Deep equality of JSON values. Never throws. Allocates nothing: it runs on every write. */
export function jsonEqual(a: Loose, b: Loose): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  // Every defined member of `a` is in `b` and equal; then `b` has no other defined member.
  let members = 0;
  for (const k in a) {
    if (!Object.hasOwn(a, k)) continue;
    const v = a[k];
    if (v === undefined) continue;
    if (!Object.hasOwn(b, k) || !jsonEqual(v, b[k])) return false;
    members++;
  }
  for (const k in b) if (Object.hasOwn(b, k) && b[k] !== undefined && --members < 0) return false;
  return members === 0;
}

/** A string equal for exactly the `jsonEqual` values: JSON with object keys sorted. */
export function canonicalKey(v: JsonValue): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(',')}]`;
  const keys = definedKeys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(v[k] ?? null)}`).join(',')}}`;
}
