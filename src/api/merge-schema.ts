/**
 * How a JSON document merges, node by node: the information strategic merge patch and server-side
 * apply both need. Built-in kinds get theirs from the patch-strategy table
 * (`builtin-merge-schemas.ts`); custom resources from their CRD's structural schema
 * (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`).
 *
 * A missing schema (`undefined`) means "nothing known": maps merge key by key and lists are
 * atomic, which is what both algorithms do for unknown fields.
 */

/** List semantics. `map` lists are keyed by `keys` (SSA) and merged by `mergeKey` (SMP, the first key). */
export type ListType =
  { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: readonly string[]; mergeKey: string };

export interface MergeSchema {
  /** Schema of property `name` when this node is an object. */
  property(name: string): MergeSchema | undefined;
  /** Schema of each element when this node is a list (also of each value for maps with additionalProperties). */
  items(): MergeSchema | undefined;
  /** List semantics when this node is a list; absent = atomic. */
  readonly list?: ListType;
  /** SMP `retainKeys` strategy on this object (union types such as Deployment.spec.strategy). */
  readonly retainKeys?: boolean;
  /** `x-kubernetes-map-type: atomic`: replaced whole by apply. */
  readonly atomicMap?: boolean;
}

/** A plain, serialisable description from which `MergeSchema` nodes are built. */
export interface MergeSchemaSpec {
  properties?: Record<string, MergeSchemaSpec>;
  items?: MergeSchemaSpec;
  /** For maps whose values share a schema (`additionalProperties`). */
  additionalProperties?: MergeSchemaSpec;
  list?: ListType;
  retainKeys?: boolean;
  atomicMap?: boolean;
}

class SpecNode implements MergeSchema {
  readonly list?: ListType;
  readonly retainKeys?: boolean;
  readonly atomicMap?: boolean;
  readonly #spec: MergeSchemaSpec;
  readonly #children = new Map<string, MergeSchema | undefined>();

  constructor(spec: MergeSchemaSpec) {
    this.#spec = spec;
    if (spec.list) this.list = spec.list;
    if (spec.retainKeys) this.retainKeys = true;
    if (spec.atomicMap) this.atomicMap = true;
  }

  property(name: string): MergeSchema | undefined {
    if (this.#children.has(name)) return this.#children.get(name);
    const child = this.#spec.properties?.[name] ?? this.#spec.additionalProperties;
    const node = child ? new SpecNode(child) : undefined;
    this.#children.set(name, node);
    return node;
  }

  items(): MergeSchema | undefined {
    const child = this.#spec.items ?? this.#spec.additionalProperties;
    return child ? new SpecNode(child) : undefined;
  }
}

/** Builds a lazily-walked `MergeSchema` from a plain spec. */
export function mergeSchemaFromSpec(spec: MergeSchemaSpec): MergeSchema {
  return new SpecNode(spec);
}
