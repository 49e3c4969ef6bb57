/**
 * Defaulting, as apiextensions-apiserver does it when decoding a custom resource:
 *  1. a null under a non-nullable schema without a default is removed
 *     (PruneNonNullableNullsWithoutDefaults);
 *  2. a property with a `default` is set (to a copy) when its key is missing, or holds null and the
 *     property is not nullable — only where the parent object exists; elements of arrays and values
 *     of `additionalProperties` maps get their schema's defaults the same way.
 */
import type { JsonObject, JsonValue } from '../meta.js';
import type { SchemaNode } from './node.js';
import { cloneJson } from '../../base/json-clone.js';

/** Applies defaults to `value` in place (see module doc). Never throws for any JSON input. */
export function defaultValue(node: SchemaNode, value: JsonValue): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    const items = node.items();
    if (items === undefined) return;
    for (let i = 0; i < value.length; i++) {
      const el = value[i] ?? null;
      if (el === null && !items.nullable && items.hasDefault)
        value[i] = cloneJson(items.defaultValue ?? null);
      defaultValue(items, value[i] ?? null);
    }
    return;
  }
  defaultObject(node, value);
}

function defaultObject(node: SchemaNode, o: JsonObject): void {
  const additional = node.additional();
  for (const key of Object.keys(o)) {
    const child = node.property(key) ?? additional;
    if (typeof child !== 'object') continue;
    if (o[key] === null && !child.nullable) {
      if (child.hasDefault) o[key] = cloneJson(child.defaultValue ?? null);
      else delete o[key];
    }
  }
  for (const [key, child] of defaultedProperties(node)) {
    if (!Object.hasOwn(o, key)) o[key] = cloneJson(child.defaultValue ?? null);
  }
  for (const key of Object.keys(o)) {
    const child = node.property(key) ?? additional;
    if (typeof child === 'object') defaultValue(child, o[key] ?? null);
  }
}

const defaultedCache = new WeakMap<SchemaNode, readonly (readonly [string, SchemaNode])[]>();

/** The declared properties of `node` that carry a `default`, computed once per node. */
function defaultedProperties(node: SchemaNode): readonly (readonly [string, SchemaNode])[] {
  let list = defaultedCache.get(node);
  if (list === undefined) {
    list = node
      .propertyNames()
      .map((k) => [k, node.property(k)] as const)
      .filter((e): e is readonly [string, SchemaNode] => e[1]?.hasDefault === true);
    defaultedCache.set(node, list);
  }
  return list;
}
