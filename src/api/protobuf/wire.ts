/**
 * A reader for the protobuf wire format over a `Uint8Array`: varints, 64-bit, length-delimited and
 * 32-bit values, plus skipping of any field (groups included) so unknown fields never stop a decode.
 * It knows nothing of message schemas; `decode.ts` drives it from the Kubernetes tables.
 */

/** The six protobuf wire types. */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

/** Thrown for bytes that do not decode: truncated input, overlong varints, wire types that do not fit the field, or embedded JSON (FieldsV1, RawExtension) that does not parse. */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
}

/** One field key: the field number and its wire type. */
export interface FieldKey {
  field: number;
  wireType: number;
}

const utf8 = new TextDecoder('utf-8');

/** Reads protobuf values sequentially; every method throws `ProtobufDecodeError` past the end. */
export class WireReader {
  readonly #buf: Uint8Array;
  #pos = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
  }

  /** True when every byte has been consumed. */
  get done(): boolean {
    return this.#pos >= this.#buf.length;
  }

  /** Reads a field key (tag). Field number 0 is invalid on the wire. */
  key(): FieldKey {
    const tag = this.varint();
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (field === 0 || field > 0x1fffffff) throw new ProtobufDecodeError(`invalid field number ${field}`);
    return { field, wireType };
  }

  /** Reads a varint of up to ten bytes as an unsigned 64-bit bigint. */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.#byte();
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes');
  }

  /** A varint as a signed 32-bit number (negative int32 values are sign-extended on the wire). */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()));
  }

  /** A varint as a signed 64-bit value; exact up to 2^53, like every JSON number. */
  int64(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }

  /** A varint as a bool (any non-zero value is true). */
  bool(): boolean {
    return this.varint() !== 0n;
  }

  /** A little-endian 64-bit IEEE double. */
  double(): number {
    return new DataView(this.#take(8).slice().buffer).getFloat64(0, true);
  }

  /** A little-endian 32-bit IEEE float. */
  float(): number {
    return new DataView(this.#take(4).slice().buffer).getFloat32(0, true);
  }

  /** A length-delimited payload, as a view into the underlying buffer. */
  bytes(): Uint8Array {
    const len = this.varint();
    if (len > BigInt(this.#buf.length - this.#pos)) {
      throw new ProtobufDecodeError(`length ${len} runs past the end of the buffer`);
    }
    return this.#take(Number(len));
  }

  /** A length-delimited payload decoded as UTF-8 (invalid sequences become U+FFFD, as in Go). */
  string(): string {
    return utf8.decode(this.bytes());
  }

  /** Skips the value of a field whose key was just read. */
  skip(key: FieldKey): void {
    switch (key.wireType) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.#take(8);
        return;
      case WireType.LengthDelimited:
        this.bytes();
        return;
      case WireType.Fixed32:
        this.#take(4);
        return;
      case WireType.StartGroup:
        for (;;) {
          const inner = this.key();
          if (inner.wireType === WireType.EndGroup) {
            if (inner.field !== key.field) throw new ProtobufDecodeError('mismatched end group');
            return;
          }
          this.skip(inner);
        }
      default:
        throw new ProtobufDecodeError(`unexpected wire type ${key.wireType} for field ${key.field}`);
    }
  }

  #byte(): number {
    const b = this.#buf[this.#pos];
    if (b === undefined) throw new ProtobufDecodeError('unexpected end of buffer');
    this.#pos++;
    return b;
  }

  #take(n: number): Uint8Array {
    if (this.#pos + n > this.#buf.length) throw new ProtobufDecodeError('unexpected end of buffer');
    const out = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }
}
