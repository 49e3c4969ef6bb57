/**
 * Pruning of unknown fields, as apiextensions-apiserver's pruning algorithm does it: an object keeps
 * only keys its schema declares (`properties`, or any key under `additionalProperties`); below
 * `x-kubernetes-preserve-unknown-fields` unknown keys stay but known ones are still pruned inside;
 * `apiVersion`/`kind`/`metadata` are kept at a resource root and in embedded resources.
 *
 * Deliberate differences from kube, both to keep data rather than drop it silently:
 * `additionalProperties: true` and schemas that say nothing about structure (`{}`, e.g. the
 * `JSON` type of built-in specs) keep their whole value, and an array without an `items` schema
 * keeps its elements.
 */
import type { JsonObject, JsonValue } from '../meta.js';
import type { SchemaNode } from './node.js';
import { PathStack } from './path.js';

/** Removes unknown fields of `value` in place; returns their field paths (`spec.foo`, `spec.items[0].x`). */
export function pruneValue(node: SchemaNode, value: JsonValue, resourceRoot: boolean): string[] {
  const p = new Pruner();
  p.prune(node, value, resourceRoot);
  return p.pruned;
}

const META_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

class Pruner {
  readonly pruned: string[] = [];
  readonly path = new PathStack();

  prune(n: SchemaNode, v: JsonValue, resourceRoot: boolean): void {
    if (typeof v !== 'object' || v === null || n.open) return;
    if (Array.isArray(v)) {
      const items = n.items();
      if (items === undefined) return;
      for (let i = 0; i < v.length; i++) {
        this.path.push(i);
        this.prune(items, v[i] ?? null, items.embedded);
        this.path.pop();
      }
      return;
    }
    this.object(n, v, resourceRoot || n.embedded);
  }

  private object(n: SchemaNode, o: JsonObject, meta: boolean): void {
    const keepUnknown = n.preserveUnknown;
    const additional = n.additional();
    for (const key of Object.keys(o)) {
      if (meta && META_KEYS.has(key)) continue;
      const child = n.property(key) ?? additional;
      if (child === true) continue;
      if (child === undefined || child === false) {
        if (!keepUnknown) {
          delete o[key];
          this.pruned.push(this.path.fieldOf(key));
        }
        continue;
      }
      this.path.push(key);
      this.prune(child, o[key] ?? null, child.embedded);
      this.path.pop();
    }
  }
}
