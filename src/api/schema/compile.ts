/**
 * `compileSchema`: turns an OpenAPI v3 schema (a CRD's structural `openAPIV3Schema`, or a built-in
 * kind's upstream definition with `$ref`s) into an `ObjectSchema` that validates, prunes and
 * defaults objects of that kind.
 *
 * Compilation is cheap: keywords of a node are read when the node is first reached and children
 * are compiled lazily, memoised per raw schema object within one universe (one per `resolveRef`
 * function), so compiling every built-in kind against one resolver compiles each shared
 * definition once. Only the `$ref` reachability check walks the whole graph, once per universe.
 */
import type { JsonObject } from '../meta.js';
import type { ObjectSchema } from '../object-schema.js';
import type { FieldIssue } from '../status.js';
import { defaultValue } from './defaults.js';
import type { RefResolver, SchemaNode } from './node.js';
import { Universe, checkRefs } from './node.js';
import { pruneValue } from './prune.js';
import { validateValue } from './validate.js';

export interface CompileOptions {
  /**
   * Resolves a `$ref` (e.g. `#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec`) to its raw
   * schema. Must return the same object for the same ref; pass the same function for every kind
   * of one spec to share compiled definitions.
   */
  resolveRef?: RefResolver;
  /** Kind the schema describes; named in errors. */
  kind?: string;
}

interface UniverseState {
  readonly universe: Universe;
  readonly checked: WeakSet<JsonObject>;
}

const universes = new WeakMap<RefResolver, UniverseState>();
const refless: UniverseState = { universe: new Universe(undefined), checked: new WeakSet() };

function stateFor(options: CompileOptions): UniverseState {
  const resolve = options.resolveRef;
  if (resolve === undefined) return refless;
  let state = universes.get(resolve);
  if (state === undefined) {
    state = { universe: new Universe(resolve), checked: new WeakSet() };
    universes.set(resolve, state);
  }
  return state;
}

/** An `ObjectSchema` over a compiled root node. */
class CompiledSchema implements ObjectSchema {
  readonly root: SchemaNode;

  constructor(root: SchemaNode) {
    this.root = root;
  }

  validate(obj: JsonObject, old?: JsonObject): FieldIssue[] {
    return validateValue(this.root, obj, { resourceRoot: true, ...(old ? { unchangedFrom: old } : {}) });
  }

  prune(obj: JsonObject): string[] {
    return pruneValue(this.root, obj, true);
  }

  applyDefaults(obj: JsonObject): void {
    defaultValue(this.root, obj);
  }
}

/**
 * Compiles `schema` into an `ObjectSchema`:
 * - `validate(obj)` returns kube-worded issues with field paths (`spec.replicas`); it expects
 *   `applyDefaults` to have run first, as kube defaults while decoding.
 * - `prune(obj)` removes unknown fields in place and returns their paths; the root's
 *   `apiVersion`/`kind`/`metadata` are never touched.
 * - `applyDefaults(obj)` fills `default`s in place and drops nulls of non-nullable fields.
 *
 * Throws `SchemaRefError` when a `$ref` reachable from `schema` cannot be resolved (including any
 * `$ref` when no `resolveRef` is given). After a successful compile, the three methods never throw.
 */
export function compileSchema(schema: JsonObject, options: CompileOptions = {}): ObjectSchema {
  const state = stateFor(options);
  checkRefs(schema, state.universe, { checked: state.checked, kind: options.kind });
  return new CompiledSchema(state.universe.node(schema));
}

/** The compiled root node of a schema (for CRD default validation and other in-package callers). */
export function compileNode(schema: JsonObject, options: CompileOptions = {}): SchemaNode {
  const state = stateFor(options);
  checkRefs(schema, state.universe, { checked: state.checked, kind: options.kind });
  return state.universe.node(schema);
}
