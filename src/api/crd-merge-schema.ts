/**
 * Merge descriptions for custom resources, derived from a CRD version's structural
 * `openAPIV3Schema`: `x-kubernetes-list-type` (`atomic` | `set` | `map`) with
 * `x-kubernetes-list-map-keys`, and `x-kubernetes-map-type: atomic`. Lists without markers are
 * atomic, as in kube-apiserver; `metadata` at the root merges as ObjectMeta, whatever the CRD says.
 */
import type { JsonObject, JsonValue } from './meta.js';
import { isJsonObject } from './meta.js';
import type { ListType, MergeSchema, MergeSchemaSpec } from './merge-schema.js';
import { mergeSchemaFromSpec } from './merge-schema.js';
import { OBJECT_META_MERGE_SPEC } from './builtin-merge-schemas.js';

/** Deeper schemas are treated as opaque; structural schemas never come close. */
const MAX_DEPTH = 64;

function listTypeOf(schema: JsonObject): ListType | undefined {
  const type = schema['x-kubernetes-list-type'];
  if (type === 'atomic') return { type: 'atomic' };
  if (type === 'set') return { type: 'set' };
  if (type !== 'map') return undefined;
  const raw: JsonValue | undefined = schema['x-kubernetes-list-map-keys'];
  const keys = Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string') : [];
  const [mergeKey] = keys;
  // A map list without keys is rejected by CRD validation; treat a stray one as atomic.
  return mergeKey === undefined ? { type: 'atomic' } : { type: 'map', keys, mergeKey };
}

/**
 * Converts one OpenAPI v3 schema node to a `MergeSchemaSpec`. Only what affects merging is kept:
 * `properties`, `items`, object-valued `additionalProperties`, the list markers and
 * `x-kubernetes-map-type: atomic`. Never throws; unknown or malformed parts are ignored.
 */
export function mergeSchemaSpecFromOpenAPI(schema: JsonObject, depth = 0): MergeSchemaSpec {
  const spec: MergeSchemaSpec = {};
  if (depth >= MAX_DEPTH) return spec;
  const list = listTypeOf(schema);
  if (list !== undefined) spec.list = list;
  if (schema['x-kubernetes-map-type'] === 'atomic') spec.atomicMap = true;

  const properties = schema['properties'];
  if (isJsonObject(properties)) {
    const out: Record<string, MergeSchemaSpec> = {};
    for (const [name, child] of Object.entries(properties)) {
      if (isJsonObject(child)) {
        Object.defineProperty(out, name, {
          value: mergeSchemaSpecFromOpenAPI(child, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    spec.properties = out;
  }
  const items = schema['items'];
  if (isJsonObject(items)) spec.items = mergeSchemaSpecFromOpenAPI(items, depth + 1);
  const additional = schema['additionalProperties'];
  if (isJsonObject(additional)) spec.additionalProperties = mergeSchemaSpecFromOpenAPI(additional, depth + 1);
  return spec;
}

/**
 * The `MergeSchema` of a custom resource from its CRD version's `openAPIV3Schema` (the root of
 * the object). Root `metadata` always merges as ObjectMeta (ownerReferences keyed by uid,
 * finalizers a set), because kube-apiserver substitutes ObjectMeta's schema there. Never throws.
 */
export function mergeSchemaFromOpenAPI(schema: JsonObject): MergeSchema {
  const spec = mergeSchemaSpecFromOpenAPI(schema);
  return mergeSchemaFromSpec({
    ...spec,
    properties: { ...spec.properties, metadata: OBJECT_META_MERGE_SPEC },
  });
}
