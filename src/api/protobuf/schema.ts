/**
 * The shape of the Kubernetes protobuf message tables and the registry that resolves them.
 *
 * Each message is a record of field number → field spec, a string `jsonName:type` whose type uses
 * Go's spelling, because Go's types decide the JSON the decoder must produce:
 *   - `string`, `bytes` (→ base64 in JSON), `int32`, `int64`, `bool`, `double`, `float`;
 *   - the special types `Time`, `MicroTime`, `Duration`, `IntOrString`, `Quantity`,
 *     `RawExtension`, `FieldsV1`, which have their own JSON forms;
 *   - any other name is a message, looked up in the same package unless it is qualified
 *     (`meta.ObjectMeta`);
 *   - `*T` is a Go pointer: when present on the wire it is kept even when zero (`replicas: 0`),
 *     whereas a zero non-pointer scalar is omitted, as Go's `omitempty` would (the Go protobuf
 *     encoder writes non-pointer fields even when they are zero);
 *   - `[]T` is a repeated field, `map[string]T` a map field;
 *   - the JSON name `(inline)` marks an embedded Go struct whose fields are merged into the parent.
 */

/** Scalars with a plain protobuf encoding. */
export type ScalarType = 'string' | 'bytes' | 'int32' | 'int64' | 'bool' | 'double' | 'float';

/** Types whose JSON form differs from their protobuf message. */
export type SpecialType =
  'Time' | 'MicroTime' | 'Duration' | 'IntOrString' | 'Quantity' | 'RawExtension' | 'FieldsV1';

/** What one value of a field is. */
export type ValueType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarType }
  | { readonly kind: 'special'; readonly special: SpecialType }
  | { readonly kind: 'message'; readonly message: string };

/** One parsed field of a message. */
export interface FieldSchema {
  /** The JSON name; empty for an inlined (embedded) struct. */
  readonly name: string;
  readonly type: ValueType;
  readonly cardinality: 'single' | 'repeated' | 'map';
  /** A Go pointer: emitted whenever present, even when zero. */
  readonly pointer: boolean;
  readonly inline: boolean;
}

/** A message: its fully qualified name (`core.PodSpec`) and fields by number. */
export interface MessageSchema {
  readonly name: string;
  readonly fields: ReadonlyMap<number, FieldSchema>;
}

/** Field number → field spec (`jsonName:type`), one entry per message of a package. */
export type MessageTable = Readonly<Record<string, Readonly<Record<number, string>>>>;

const SCALARS: ReadonlySet<string> = new Set([
  'string',
  'bytes',
  'int32',
  'int64',
  'bool',
  'double',
  'float',
]);
const SPECIALS: ReadonlySet<string> = new Set([
  'Time',
  'MicroTime',
  'Duration',
  'IntOrString',
  'Quantity',
  'RawExtension',
  'FieldsV1',
]);

/** Parses one field spec; throws on a malformed spec (a bug in a table, caught by its tests). */
export function parseFieldSpec(pkg: string, spec: string): FieldSchema {
  const colon = spec.indexOf(':');
  if (colon <= 0) throw new Error(`field spec ${JSON.stringify(spec)} needs name:type`);
  const rawName = spec.slice(0, colon);
  let type = spec.slice(colon + 1);
  let cardinality: FieldSchema['cardinality'] = 'single';
  let pointer = false;
  if (type.startsWith('[]')) {
    cardinality = 'repeated';
    type = type.slice(2);
  } else if (type.startsWith('map[string]')) {
    cardinality = 'map';
    type = type.slice('map[string]'.length);
  } else if (type.startsWith('*')) {
    pointer = true;
    type = type.slice(1);
  }
  if (!/^[A-Za-z][\w.]*$/.test(type)) throw new Error(`field spec ${JSON.stringify(spec)} has a bad type`);
  const inline = rawName === '(inline)';
  return {
    name: inline ? '' : rawName,
    type: valueType(pkg, type),
    cardinality,
    pointer,
    inline,
  };
}

function valueType(pkg: string, type: string): ValueType {
  if (SCALARS.has(type)) return { kind: 'scalar', scalar: type as ScalarType };
  if (SPECIALS.has(type)) return { kind: 'special', special: type as SpecialType };
  return { kind: 'message', message: type.includes('.') ? type : `${pkg}.${type}` };
}

/** Messages by qualified name plus the top-level kinds that map to them. */
export class SchemaRegistry {
  readonly #messages = new Map<string, MessageSchema>();
  readonly #kinds = new Map<string, string>();

  /** Adds every message of a package; throws on a duplicate name or a malformed spec. */
  addPackage(pkg: string, table: MessageTable): this {
    for (const [name, fields] of Object.entries(table)) {
      const qualified = `${pkg}.${name}`;
      if (this.#messages.has(qualified)) throw new Error(`message ${qualified} defined twice`);
      const parsed = new Map<number, FieldSchema>();
      for (const [num, spec] of Object.entries(fields)) parsed.set(Number(num), parseFieldSpec(pkg, spec));
      this.#messages.set(qualified, { name: qualified, fields: parsed });
    }
    return this;
  }

  /**
   * Maps `apiVersion/kind` (e.g. `apps/v1/Deployment`, `v1/Namespace`) to a message name. An
   * apiVersion of `*` matches any apiVersion: option kinds such as DeleteOptions are registered
   * in every group version.
   */
  addKinds(kinds: Readonly<Record<string, string>>): this {
    for (const [gvk, message] of Object.entries(kinds)) this.#kinds.set(gvk, message);
    return this;
  }

  /** The message with this qualified name, if defined. */
  message(name: string): MessageSchema | undefined {
    return this.#messages.get(name);
  }

  /** The message a top-level object of this apiVersion and kind is encoded as, if known. */
  messageForKind(apiVersion: string, kind: string): MessageSchema | undefined {
    const name = this.#kinds.get(`${apiVersion}/${kind}`) ?? this.#kinds.get(`*/${kind}`);
    return name === undefined ? undefined : this.#messages.get(name);
  }

  /** Every `apiVersion/kind` the registry decodes. */
  kinds(): string[] {
    return [...this.#kinds.keys()];
  }

  /** Message references (from fields or kinds) with no definition: must be empty for a sound table. */
  unresolved(): string[] {
    const missing = new Set<string>();
    for (const m of this.#messages.values()) {
      for (const f of m.fields.values()) {
        if (f.type.kind === 'message' && !this.#messages.has(f.type.message)) {
          missing.add(`${m.name} -> ${f.type.message}`);
        }
      }
    }
    for (const [gvk, name] of this.#kinds) if (!this.#messages.has(name)) missing.add(`${gvk} -> ${name}`);
    return [...missing];
  }
}
