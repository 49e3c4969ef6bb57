/**
 * One compiled OpenAPI v3 schema node. Keywords are read once into typed fields; children
 * (properties, items, additionalProperties, junctors) are compiled on first use and memoised per
 * raw schema object, so self-referencing `$ref` graphs (JSONSchemaProps) compile in finite time and
 * compiling every built-in kind shares the work.
 *
 * `$ref` handling: a node whose schema is `{$ref}` (plus siblings such as `description`/`default`),
 * or that wraps refs in `allOf: [{$ref}]` as upstream v3 specs do, is flattened: the referenced
 * schemas' keywords are merged in (the node's own keywords win) and those allOf members are not
 * validated a second time.
 */
import type { JsonObject, JsonValue } from '../meta.js';
import { isJsonObject } from '../meta.js';
import { SchemaRefError } from './errors.js';
import { formatChecker } from './formats.js';

/** Resolves `#/components/schemas/...` (or any ref string) to the raw schema it names. */
export type RefResolver = (ref: string) => JsonObject | undefined;

export const T_OBJECT = 1;
export const T_ARRAY = 2;
export const T_STRING = 4;
export const T_INTEGER = 8;
export const T_NUMBER = 16;
export const T_BOOLEAN = 32;

const TYPE_BITS: Readonly<Record<string, number>> = {
  object: T_OBJECT,
  array: T_ARRAY,
  string: T_STRING,
  integer: T_INTEGER,
  number: T_NUMBER,
  boolean: T_BOOLEAN,
};

/** Shared compilation state: one per resolver, so nodes are reused across `compileSchema` calls. */
export class Universe {
  readonly resolve: RefResolver | undefined;
  readonly #nodes = new WeakMap<JsonObject, SchemaNode>();
  readonly #refs = new Map<string, JsonObject>();

  constructor(resolve: RefResolver | undefined) {
    this.resolve = resolve;
  }

  node(raw: JsonObject): SchemaNode {
    let n = this.#nodes.get(raw);
    if (n === undefined) {
      n = new SchemaNode(raw, this);
      this.#nodes.set(raw, n);
    }
    return n;
  }

  /** The raw schema a ref names; throws `SchemaRefError` if it cannot be resolved. */
  deref(ref: string, kind?: string): JsonObject {
    let target = this.#refs.get(ref);
    if (target === undefined) {
      target = this.resolve?.(ref);
      if (target === undefined) throw new SchemaRefError(ref, kind);
      this.#refs.set(ref, target);
    }
    return target;
  }
}

/** Collects `raw` and every schema it pulls in through `$ref` / `allOf: [{$ref}]`, own schema first. */
function flatten(raw: JsonObject, u: Universe): JsonObject[] {
  const out: JsonObject[] = [];
  const visit = (s: JsonObject): void => {
    if (out.includes(s)) return;
    out.push(s);
    if (typeof s.$ref === 'string') visit(u.deref(s.$ref));
    const allOf = s.allOf;
    if (Array.isArray(allOf)) {
      for (const m of allOf) if (isJsonObject(m) && typeof m.$ref === 'string') visit(m);
    }
  };
  visit(raw);
  return out;
}

function pick(parts: readonly JsonObject[], key: string): JsonValue | undefined {
  for (const p of parts) {
    const v = p[key];
    if (v !== undefined) return v;
  }
  return undefined;
}

const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const bool = (v: JsonValue | undefined): boolean => v === true;

type Lazy<T> = { done: false } | { done: true; value: T };

/** A compiled schema node. Fields are read-only after construction; children are lazily compiled. */
export class SchemaNode {
  readonly u: Universe;
  /** Bit set of allowed JSON types (`T_*`); 0 = any type. */
  readonly types: number;
  /** Expected type as kube prints it (`integer`, `integer,string`). */
  readonly typeName: string;
  readonly nullable: boolean;
  readonly preserveUnknown: boolean;
  readonly embedded: boolean;
  readonly format: string | undefined;
  readonly checkFormat: ((s: string) => boolean) | undefined;
  readonly enumValues: readonly JsonValue[] | undefined;
  readonly required: readonly string[];
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly exclusiveMinimum: boolean;
  readonly exclusiveMaximum: boolean;
  readonly multipleOf: number | undefined;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly pattern: string | undefined;
  readonly regex: RegExp | undefined;
  readonly regexError: string | undefined;
  readonly minItems: number | undefined;
  readonly maxItems: number | undefined;
  readonly uniqueItems: boolean;
  readonly listType: string | undefined;
  readonly listMapKeys: readonly string[];
  readonly minProperties: number | undefined;
  readonly maxProperties: number | undefined;
  readonly hasDefault: boolean;
  readonly defaultValue: JsonValue | undefined;
  /** True when `properties` is declared somewhere in the flattened schema. */
  readonly hasProperties: boolean;
  /** True when the node says nothing about its structure (`{}`, description only). */
  readonly open: boolean;

  readonly #parts: readonly JsonObject[];
  readonly #props = new Map<string, SchemaNode | undefined>();
  #additional: Lazy<SchemaNode | boolean | undefined> = { done: false };
  #items: Lazy<SchemaNode | undefined> = { done: false };
  #junctors: Lazy<Junctors> = { done: false };

  constructor(raw: JsonObject, u: Universe) {
    this.u = u;
    const parts = flatten(raw, u);
    this.#parts = parts;
    const p = (k: string): JsonValue | undefined => pick(parts, k);

    const intOrString = bool(p('x-kubernetes-int-or-string')) || p('format') === 'int-or-string';
    const type = p('type');
    if (intOrString) {
      this.types = T_INTEGER | T_STRING;
      this.typeName = 'integer,string';
    } else if (typeof type === 'string' && type !== '') {
      this.types = TYPE_BITS[type] ?? 0;
      this.typeName = type;
    } else {
      this.types = 0;
      this.typeName = '';
    }
    this.nullable = bool(p('nullable'));
    this.preserveUnknown = bool(p('x-kubernetes-preserve-unknown-fields'));
    this.embedded = bool(p('x-kubernetes-embedded-resource'));
    const format = p('format');
    this.format = typeof format === 'string' && format !== '' ? format : undefined;
    this.checkFormat = this.format === undefined ? undefined : formatChecker(this.format);
    const en = p('enum');
    this.enumValues = Array.isArray(en) && en.length > 0 ? en : undefined;
    const required = new Set<string>();
    for (const part of parts) {
      if (Array.isArray(part.required))
        for (const r of part.required) if (typeof r === 'string') required.add(r);
    }
    this.required = [...required];
    this.minimum = num(p('minimum'));
    this.maximum = num(p('maximum'));
    this.exclusiveMinimum = bool(p('exclusiveMinimum'));
    this.exclusiveMaximum = bool(p('exclusiveMaximum'));
    this.multipleOf = num(p('multipleOf'));
    this.minLength = num(p('minLength'));
    this.maxLength = num(p('maxLength'));
    const pattern = p('pattern');
    this.pattern = typeof pattern === 'string' ? pattern : undefined;
    if (this.pattern !== undefined) {
      try {
        this.regex = new RegExp(this.pattern);
      } catch (err) {
        this.regexError = err instanceof Error ? err.message : String(err);
      }
    }
    this.minItems = num(p('minItems'));
    this.maxItems = num(p('maxItems'));
    this.uniqueItems = bool(p('uniqueItems'));
    const listType = p('x-kubernetes-list-type');
    this.listType = typeof listType === 'string' ? listType : undefined;
    const keys = p('x-kubernetes-list-map-keys');
    this.listMapKeys = Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
    this.minProperties = num(p('minProperties'));
    this.maxProperties = num(p('maxProperties'));
    const dflt = p('default');
    this.hasDefault = dflt !== undefined;
    this.defaultValue = dflt;
    this.hasProperties = parts.some((part) => isJsonObject(part.properties));
    const additional = p('additionalProperties');
    this.open =
      this.types === 0 &&
      !this.hasProperties &&
      additional === undefined &&
      p('items') === undefined &&
      !parts.some((part) => Array.isArray(part.anyOf) || Array.isArray(part.oneOf));
  }

  /** The schema of property `key` declared in `properties`, if any. */
  property(key: string): SchemaNode | undefined {
    if (this.#props.has(key)) return this.#props.get(key);
    let node: SchemaNode | undefined;
    for (const part of this.#parts) {
      const props = part.properties;
      if (isJsonObject(props) && Object.hasOwn(props, key)) {
        const raw = props[key];
        if (isJsonObject(raw)) node = this.u.node(raw);
        break;
      }
    }
    this.#props.set(key, node);
    return node;
  }

  /** Names declared in `properties` across the flattened schema, own schema's first. */
  propertyNames(): string[] {
    const names = new Set<string>();
    for (const part of this.#parts) {
      if (isJsonObject(part.properties)) for (const k of Object.keys(part.properties)) names.add(k);
    }
    return [...names];
  }

  /** `additionalProperties`: a schema, `true`/`false`, or undefined when not declared. */
  additional(): SchemaNode | boolean | undefined {
    if (!this.#additional.done) {
      const raw = pick(this.#parts, 'additionalProperties');
      const value = isJsonObject(raw) ? this.u.node(raw) : typeof raw === 'boolean' ? raw : undefined;
      this.#additional = { done: true, value };
    }
    return this.#additional.value;
  }

  /** The schema of each array element (a single `items` schema), if any. */
  items(): SchemaNode | undefined {
    if (!this.#items.done) {
      const raw = pick(this.#parts, 'items');
      this.#items = { done: true, value: isJsonObject(raw) ? this.u.node(raw) : undefined };
    }
    return this.#items.value;
  }

  /** The schema that applies to the value at `key` of an object: a property, additionalProperties, or none. */
  child(key: string): SchemaNode | boolean | undefined {
    return this.property(key) ?? this.additional();
  }

  /** Value-validation junctors (allOf members that were `$ref` wrappers are already merged in). */
  junctors(): Junctors {
    if (!this.#junctors.done) {
      const own = this.#parts[0] ?? {};
      const list = (key: string, skipRefs: boolean): SchemaNode[] => {
        const out: SchemaNode[] = [];
        for (const part of this.#parts) {
          const arr = part[key];
          if (!Array.isArray(arr)) continue;
          for (const m of arr) {
            if (isJsonObject(m) && !(skipRefs && typeof m.$ref === 'string')) out.push(this.u.node(m));
          }
        }
        return out;
      };
      const not = own.not;
      this.#junctors = {
        done: true,
        value: {
          allOf: list('allOf', true),
          anyOf: list('anyOf', false),
          oneOf: list('oneOf', false),
          not: isJsonObject(not) ? this.u.node(not) : undefined,
        },
      };
    }
    return this.#junctors.value;
  }
}

export interface Junctors {
  readonly allOf: readonly SchemaNode[];
  readonly anyOf: readonly SchemaNode[];
  readonly oneOf: readonly SchemaNode[];
  readonly not: SchemaNode | undefined;
}

/**
 * Resolves every `$ref` reachable from `raw` once per universe, so a dangling ref fails at compile
 * time (as a `SchemaRefError`) rather than in the middle of validating a request.
 */
export function checkRefs(
  raw: JsonObject,
  u: Universe,
  options: { checked: WeakSet<JsonObject>; kind?: string | undefined },
): void {
  const { checked, kind } = options;
  // Marks schemas as checked only after the whole walk succeeds, so a failed compile leaves no
  // half-checked subgraph behind for the next one to skip.
  const local = new Set<JsonObject>();
  const stack: JsonObject[] = [raw];
  const pushSchema = (x: JsonValue | undefined): void => {
    if (isJsonObject(x)) stack.push(x);
    else if (Array.isArray(x)) for (const e of x) if (isJsonObject(e)) stack.push(e);
  };
  for (let s = stack.pop(); s !== undefined; s = stack.pop()) {
    if (checked.has(s) || local.has(s)) continue;
    local.add(s);
    if (typeof s.$ref === 'string') stack.push(u.deref(s.$ref, kind));
    for (const k of SCHEMA_KEYS) pushSchema(s[k]);
    for (const k of SCHEMA_MAP_KEYS) {
      const map = s[k];
      if (isJsonObject(map)) for (const x of Object.values(map)) pushSchema(x);
    }
  }
  for (const s of local) checked.add(s);
}

const SCHEMA_KEYS = ['items', 'additionalProperties', 'additionalItems', 'not', 'allOf', 'anyOf', 'oneOf'];
const SCHEMA_MAP_KEYS = ['properties', 'patternProperties', 'definitions', 'dependencies'];
