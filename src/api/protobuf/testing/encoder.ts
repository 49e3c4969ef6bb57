/**
 * A test-only protobuf writer for building Kubernetes request bodies by field number, the way
 * Go's generated marshallers lay them out. Not used by production code.
 */
import { PROTOBUF_MAGIC } from '../decode.js';

/** Appends protobuf fields; every method returns `this` so messages read as one expression. */
export class ProtoWriter {
  readonly #bytes: number[] = [];

  /** A varint field (int32, int64, bool, enum); negative numbers use 10-byte two's complement. */
  varint(field: number, value: number | bigint | boolean): this {
    this.#key(field, 0);
    this.#varint(typeof value === 'boolean' ? (value ? 1n : 0n) : BigInt(value));
    return this;
  }

  /** A UTF-8 string field. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A length-delimited bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.#key(field, 2);
    this.#varint(BigInt(value.length));
    this.#bytes.push(...value);
    return this;
  }

  /** An embedded message field built by `build`. */
  message(field: number, build: (w: ProtoWriter) => unknown = () => undefined): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** A map<string,string> entry (one call per entry). */
  mapEntry(field: number, key: string, value: string | Uint8Array): this {
    return this.message(field, (e) =>
      typeof value === 'string' ? e.string(1, key).string(2, value) : e.string(1, key).bytes(2, value),
    );
  }

  /** A map<string,Quantity> entry. */
  quantityEntry(field: number, key: string, quantity: string): this {
    return this.message(field, (e) => e.string(1, key).message(2, (q) => q.string(1, quantity)));
  }

  /** A 64-bit little-endian double field. */
  double(field: number, value: number): this {
    this.#key(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.#bytes.push(...b);
    return this;
  }

  /** Raw bytes appended as-is (for malformed-input tests). */
  raw(bytes: readonly number[]): this {
    this.#bytes.push(...bytes);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }

  #key(field: number, wireType: number): void {
    this.#varint(BigInt(field * 8 + wireType));
  }

  #varint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.#bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#bytes.push(Number(v));
  }
}

/** Builds one message. */
export function proto(build: (w: ProtoWriter) => unknown): Uint8Array {
  const w = new ProtoWriter();
  build(w);
  return w.finish();
}

/** Wraps an object's message in the magic and a `runtime.Unknown` as kubectl sends it. */
export function k8sEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const unknown = proto((w) =>
    w
      .message(1, (t) => t.string(1, apiVersion).string(2, kind))
      .bytes(2, raw)
      .string(3, '')
      .string(4, ''),
  );
  return Uint8Array.from([...PROTOBUF_MAGIC, ...unknown]);
}

/** A `Time` payload writer for `message(field, time(…))`. */
export function time(iso: string): (w: ProtoWriter) => unknown {
  const ms = Date.parse(iso);
  return (w) => w.varint(1, Math.floor(ms / 1000)).varint(2, (ms % 1000) * 1_000_000);
}

/** An `IntOrString` payload writer. */
export function intOrString(value: number | string): (w: ProtoWriter) => unknown {
  return (w) =>
    typeof value === 'number'
      ? w.varint(1, 0).varint(2, value).string(3, '')
      : w.varint(1, 1).varint(2, 0).string(3, value);
}
