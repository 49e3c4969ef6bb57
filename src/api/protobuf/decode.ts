/**
 * Decodes Kubernetes protobuf into the JSON the API would have received from a JSON client.
 *
 * A body is the magic `k8s\0` followed by a `runtime.Unknown` whose `typeMeta` names the kind and
 * whose `raw` holds the object's message. Fields are decoded by the schema tables; unknown field
 * numbers are skipped, so newer clients never break the decode. JSON follows Go's encoding of the
 * same struct: zero non-pointer scalars are omitted (`omitempty`), pointers are kept when present,
 * `[]byte` becomes base64, embedded structs are inlined.
 */
import type { JsonObject, JsonValue } from '../meta.js';
import type { FieldSchema, MessageSchema, ScalarType, SchemaRegistry, ValueType } from './schema.js';
import { readDuration, readIntOrString, readQuantity, readTimestamp } from './special-types.js';
import { ProtobufDecodeError, WireReader, WireType } from './wire.js';

/** The four bytes every Kubernetes protobuf body starts with: `k8s\0`. */
export const PROTOBUF_MAGIC: Uint8Array = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** The media type of Kubernetes protobuf. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** Thrown when a well-formed body holds something the registry cannot decode (kind, encoding). */
export class UnsupportedProtobufError extends Error {
  override readonly name = 'UnsupportedProtobufError';
}

/** The decoded `runtime.Unknown` envelope. */
export interface UnknownEnvelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

const MAX_DEPTH = 64;

/** True when the bytes start with the Kubernetes protobuf magic. */
export function hasProtobufMagic(bytes: Uint8Array): boolean {
  return PROTOBUF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Reads the magic and the `runtime.Unknown` envelope. Throws `ProtobufDecodeError` when malformed. */
export function decodeEnvelope(bytes: Uint8Array): UnknownEnvelope {
  if (!hasProtobufMagic(bytes)) {
    throw new ProtobufDecodeError('the body does not start with the Kubernetes protobuf prefix "k8s\\x00"');
  }
  const env: UnknownEnvelope = {
    apiVersion: '',
    kind: '',
    raw: new Uint8Array(),
    contentEncoding: '',
    contentType: '',
  };
  const r = new WireReader(bytes.subarray(PROTOBUF_MAGIC.length));
  while (!r.done) {
    const key = r.key();
    if (key.wireType !== WireType.LengthDelimited || key.field > 4) {
      r.skip(key);
      continue;
    }
    const value = r.bytes();
    if (key.field === 1) {
      const tm = new WireReader(value);
      while (!tm.done) {
        const k = tm.key();
        if (k.field === 1 && k.wireType === WireType.LengthDelimited) env.apiVersion = tm.string();
        else if (k.field === 2 && k.wireType === WireType.LengthDelimited) env.kind = tm.string();
        else tm.skip(k);
      }
    } else if (key.field === 2) env.raw = value;
    else if (key.field === 3) env.contentEncoding = new TextDecoder().decode(value);
    else env.contentType = new TextDecoder().decode(value);
  }
  return env;
}

/**
 * Decodes a whole protobuf body into a JSON object with `apiVersion` and `kind` set.
 * Throws `ProtobufDecodeError` for malformed bytes and `UnsupportedProtobufError` for a kind with
 * no schema or an encoding other than plain protobuf or JSON.
 */
export function decodeObject(registry: SchemaRegistry, bytes: Uint8Array, depth = 0): JsonObject {
  const env = decodeEnvelope(bytes);
  if (env.kind === '') throw new ProtobufDecodeError('the protobuf envelope does not name a kind');
  if (env.contentEncoding !== '') {
    throw new UnsupportedProtobufError(
      `content encoding ${JSON.stringify(env.contentEncoding)} is not supported`,
    );
  }
  if (env.contentType === 'application/json') {
    const parsed = parseJson(env.raw, 'raw object');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ProtobufDecodeError('the raw JSON object is not an object');
    }
    return { ...parsed, apiVersion: env.apiVersion, kind: env.kind };
  }
  if (env.contentType !== '' && env.contentType !== PROTOBUF_MEDIA_TYPE) {
    throw new UnsupportedProtobufError(
      `raw content type ${JSON.stringify(env.contentType)} is not supported`,
    );
  }
  const schema = registry.messageForKind(env.apiVersion, env.kind);
  if (schema === undefined) {
    throw new UnsupportedProtobufError(`no protobuf decoding for ${env.apiVersion}, Kind=${env.kind}`);
  }
  return { apiVersion: env.apiVersion, kind: env.kind, ...decodeAt({ registry, depth }, schema, env.raw) };
}

/** Decodes one message by its schema. Throws `ProtobufDecodeError` for malformed bytes. */
export function decodeMessage(
  registry: SchemaRegistry,
  schema: MessageSchema,
  bytes: Uint8Array,
): JsonObject {
  return decodeAt({ registry, depth: 0 }, schema, bytes);
}

/** Where a decode is: the registry and the nesting depth (bounded against hostile input). */
interface Scope {
  registry: SchemaRegistry;
  depth: number;
}

/** One field value about to be read: its field, the reader positioned at it and its wire type. */
interface Slot {
  scope: Scope;
  field: FieldSchema;
  r: WireReader;
  wireType: number;
}

function decodeAt(scope: Scope, schema: MessageSchema, bytes: Uint8Array): JsonObject {
  if (scope.depth > MAX_DEPTH) throw new ProtobufDecodeError('messages are nested too deeply');
  const inner: Scope = { registry: scope.registry, depth: scope.depth + 1 };
  const out: JsonObject = {};
  const r = new WireReader(bytes);
  while (!r.done) {
    const key = r.key();
    const field = schema.fields.get(key.field);
    if (field === undefined) {
      r.skip(key);
      continue;
    }
    const slot: Slot = { scope: inner, field, r, wireType: key.wireType };
    if (field.cardinality === 'map') readMapEntry(slot, out);
    else if (field.cardinality === 'repeated') readRepeated(slot, out);
    else {
      const value = readValue(slot, field.type, field.pointer);
      if (field.inline) {
        if (value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) {
          Object.assign(out, value);
        }
      } else if (value === undefined) delete out[field.name];
      else out[field.name] = value;
    }
  }
  return out;
}

function readRepeated(slot: Slot, out: JsonObject): void {
  const { field } = slot;
  const list = Array.isArray(out[field.name]) ? (out[field.name] as JsonValue[]) : [];
  out[field.name] = list;
  const type = field.type;
  if (slot.wireType === WireType.LengthDelimited && type.kind === 'scalar' && isPacked(type.scalar)) {
    const packed: Slot = {
      ...slot,
      r: new WireReader(slot.r.bytes()),
      wireType: elementWireType(type.scalar),
    };
    while (!packed.r.done) list.push(readValue(packed, type, true) ?? null);
    return;
  }
  list.push(readValue(slot, type, true) ?? null);
}

function readMapEntry(slot: Slot, out: JsonObject): void {
  expectWire(slot, WireType.LengthDelimited);
  const entry = new WireReader(slot.r.bytes());
  let key = '';
  let value: JsonValue | undefined;
  while (!entry.done) {
    const k = entry.key();
    const inner: Slot = { ...slot, r: entry, wireType: k.wireType };
    if (k.field === 1) {
      expectWire(inner, WireType.LengthDelimited);
      key = entry.string();
    } else if (k.field === 2) value = readValue(inner, slot.field.type, true);
    else entry.skip(k);
  }
  const existing = out[slot.field.name];
  const map: JsonObject =
    existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
  map[key] = value ?? zeroValue(slot.field.type);
  out[slot.field.name] = map;
}

function readValue(slot: Slot, type: ValueType, keepZero: boolean): JsonValue | undefined {
  switch (type.kind) {
    case 'scalar':
      return readScalar(slot, type.scalar, keepZero);
    case 'message': {
      expectWire(slot, WireType.LengthDelimited);
      const schema = slot.scope.registry.message(type.message);
      if (schema === undefined)
        throw new Error(`protobuf schema references undefined message ${type.message}`);
      return decodeAt(slot.scope, schema, slot.r.bytes());
    }
    case 'special': {
      expectWire(slot, WireType.LengthDelimited);
      const bytes = slot.r.bytes();
      switch (type.special) {
        case 'Time':
          return readTimestamp(bytes, 0) ?? (keepZero ? null : undefined);
        case 'MicroTime':
          return readTimestamp(bytes, 6) ?? (keepZero ? null : undefined);
        case 'Duration':
          return readDuration(bytes) ?? (keepZero ? '0s' : undefined);
        case 'IntOrString':
          return readIntOrString(bytes, keepZero);
        case 'Quantity':
          return readQuantity(bytes, keepZero);
        case 'FieldsV1':
        case 'RawExtension':
          return readEmbeddedJson(slot.scope, bytes, type.special);
      }
    }
  }
}

function readScalar(slot: Slot, scalar: ScalarType, keepZero: boolean): JsonValue | undefined {
  const { r } = slot;
  switch (scalar) {
    case 'string': {
      expectWire(slot, WireType.LengthDelimited);
      const s = r.string();
      return s === '' && !keepZero ? undefined : s;
    }
    case 'bytes': {
      expectWire(slot, WireType.LengthDelimited);
      const b = r.bytes();
      return b.length === 0 && !keepZero ? undefined : Buffer.from(b).toString('base64');
    }
    case 'int32':
    case 'int64': {
      expectWire(slot, WireType.Varint);
      const n = scalar === 'int32' ? r.int32() : r.int64();
      return n === 0 && !keepZero ? undefined : n;
    }
    case 'bool': {
      expectWire(slot, WireType.Varint);
      const v = r.bool();
      return !v && !keepZero ? undefined : v;
    }
    case 'double':
    case 'float': {
      expectWire(slot, scalar === 'double' ? WireType.Fixed64 : WireType.Fixed32);
      const d = scalar === 'double' ? r.double() : r.float();
      return d === 0 && !keepZero ? undefined : d;
    }
  }
}

/** FieldsV1 and RawExtension hold one `bytes` field (1) with JSON, or for RawExtension a nested object. */
function readEmbeddedJson(scope: Scope, bytes: Uint8Array, what: string): JsonValue | undefined {
  let raw: Uint8Array | undefined;
  const r = new WireReader(bytes);
  while (!r.done) {
    const key = r.key();
    if (key.field === 1 && key.wireType === WireType.LengthDelimited) raw = r.bytes();
    else r.skip(key);
  }
  if (raw === undefined || raw.length === 0) return undefined;
  if (what === 'RawExtension' && hasProtobufMagic(raw)) return decodeObject(scope.registry, raw, scope.depth);
  return parseJson(raw, what);
}

function parseJson(raw: Uint8Array, what: string): JsonValue {
  try {
    return JSON.parse(new TextDecoder().decode(raw)) as JsonValue;
  } catch (err) {
    throw new ProtobufDecodeError(`${what} does not hold valid JSON`, { cause: err });
  }
}

function zeroValue(type: ValueType): JsonValue {
  if (type.kind === 'message') return {};
  if (type.kind === 'special')
    return type.special === 'Quantity' ? '0' : type.special === 'IntOrString' ? 0 : null;
  switch (type.scalar) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'double':
    case 'float':
      return 0;
  }
}

function isPacked(scalar: string): boolean {
  return (
    scalar === 'int32' || scalar === 'int64' || scalar === 'bool' || scalar === 'double' || scalar === 'float'
  );
}

function elementWireType(scalar: string): number {
  if (scalar === 'double') return WireType.Fixed64;
  if (scalar === 'float') return WireType.Fixed32;
  return WireType.Varint;
}

function expectWire(slot: Slot, expected: number): void {
  if (slot.wireType !== expected) {
    const name = slot.field.name || '(inline)';
    throw new ProtobufDecodeError(
      `field ${JSON.stringify(name)} has wire type ${slot.wireType}, expected ${expected}`,
    );
  }
}
