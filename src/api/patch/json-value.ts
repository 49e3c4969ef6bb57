/**
 * Small helpers over plain JSON values shared by the three patch formats: structural equality,
 * a JSON type name for messages, and Go's `%v` rendering, which kube-apiserver's patch error
 * messages embed (`map[name:c]`, `[a b]`, `<nil>`).
 */
import type { JsonObject, JsonValue } from '../meta.js';

/** True for a non-null, non-array object. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON type word Go's encoding/json uses in unmarshal errors: object, array, string, number, bool. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string' || typeof v === 'number') return typeof v;
  return typeof v === 'boolean' ? 'bool' : 'object';
}

/** Renders a value the way Go's `fmt.Sprintf("%v", v)` renders decoded JSON (maps with sorted keys). */
export function goFormat(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v)) {
    const parts = Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormat(v[k])}`);
    return `map[${parts.join(' ')}]`;
  }
  return String(v);
}

/**
 * Sets an own, enumerable property, even for the key `__proto__` (plain assignment would change the
 * prototype instead). Patches come from clients, so every write of a client-chosen key goes through here.
 */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
