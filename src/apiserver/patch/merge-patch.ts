/**
 * JSON Merge Patch (RFC 7386, `application/merge-patch+json`): objects merge key by key, `null`
 * deletes a key, and everything else (arrays included) replaces what was there.
 */
import type { JsonObject, JsonValue } from '../../api/meta.js';
import { isObject, setOwn } from '../../api/patch/json-value.js';
import { cloneJson } from '../../base/json-clone.js';

/**
 * Applies `patch` to `doc` per RFC 7386 §2 and returns the result. Pure: neither input is modified
 * and the result shares no structure with either. A patch that is not an object replaces the whole
 * document (so the caller decides whether a non-object result is acceptable). Never throws.
 *
 * @param doc the current document; `undefined` behaves as an absent target.
 */
export function applyMergePatch(doc: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return cloneJson(patch);
  const target: JsonObject = isObject(doc) ? cloneJson(doc) : {};
  mergeInto(target, patch);
  return target;
}

function mergeInto(target: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (isObject(value)) {
      const existing = Object.hasOwn(target, key) ? target[key] : undefined;
      const child: JsonObject = isObject(existing) ? existing : {};
      mergeInto(child, value);
      setOwn(target, key, child);
    } else {
      setOwn(target, key, cloneJson(value));
    }
  }
}
