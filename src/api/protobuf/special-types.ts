/**
 * The apimachinery types whose JSON form is not their protobuf message: `Time` and `MicroTime`
 * (a Timestamp → RFC 3339 string), `Duration` (nanoseconds → Go duration string), `IntOrString`
 * (→ number or string) and `Quantity` (→ its canonical string). Each reader takes the message
 * payload and returns the JSON value, or `undefined` for Go's zero value, which `omitempty`
 * leaves out of JSON.
 */
import type { JsonValue } from '../meta.js';
import { ProtobufDecodeError, WireReader, WireType } from './wire.js';

/** Reads a `Time`/`MicroTime` payload; `undefined` for the zero time (an empty message). */
export function readTimestamp(bytes: Uint8Array, fractionDigits: 0 | 6): string | undefined {
  if (bytes.length === 0) return undefined;
  let seconds = 0;
  let nanos = 0;
  const r = new WireReader(bytes);
  while (!r.done) {
    const key = r.key();
    if (key.field === 1 && key.wireType === WireType.Varint) seconds = r.int64();
    else if (key.field === 2 && key.wireType === WireType.Varint) nanos = r.int32();
    else r.skip(key);
  }
  return formatRfc3339(seconds, nanos, fractionDigits);
}

/** Formats Unix seconds and nanoseconds as UTC RFC 3339 with 0 (Time) or 6 (MicroTime) fraction digits. */
export function formatRfc3339(seconds: number, nanos: number, fractionDigits: 0 | 6): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime()) || nanos < 0 || nanos > 999_999_999) {
    throw new ProtobufDecodeError(`timestamp ${seconds}s ${nanos}ns is out of range`);
  }
  const base = date.toISOString().replace(/\.\d{3}Z$/, '');
  if (fractionDigits === 0) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** Reads a `Duration` payload (field 1: int64 nanoseconds) as a Go duration string. */
export function readDuration(bytes: Uint8Array): string | undefined {
  let ns = 0n;
  const r = new WireReader(bytes);
  while (!r.done) {
    const key = r.key();
    if (key.field === 1 && key.wireType === WireType.Varint) ns = BigInt.asIntN(64, r.varint());
    else r.skip(key);
  }
  return ns === 0n ? undefined : formatGoDuration(ns);
}

/** Formats nanoseconds as Go's `time.Duration.String()` does: `1h2m3.5s`, `1.5ms`, `0s`. */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  let u = ns < 0n ? -ns : ns;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${fraction(u, 1000n, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${fraction(u, 1_000_000n, 6)}ms`;
  const hours = u / 3_600_000_000_000n;
  u %= 3_600_000_000_000n;
  const minutes = u / 60_000_000_000n;
  u %= 60_000_000_000n;
  const h = hours > 0n ? `${hours}h` : '';
  const m = hours > 0n || minutes > 0n ? `${minutes}m` : '';
  return `${sign}${h}${m}${fraction(u, 1_000_000_000n, 9)}s`;
}

function fraction(value: bigint, unit: bigint, digits: number): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return `${whole}`;
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Reads an `IntOrString` payload (type, intVal, strVal); `undefined` for int 0 unless kept. */
export function readIntOrString(bytes: Uint8Array, keepZero: boolean): JsonValue | undefined {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  const r = new WireReader(bytes);
  while (!r.done) {
    const key = r.key();
    if (key.field === 1 && key.wireType === WireType.Varint) type = r.int64();
    else if (key.field === 2 && key.wireType === WireType.Varint) intVal = r.int32();
    else if (key.field === 3 && key.wireType === WireType.LengthDelimited) strVal = r.string();
    else r.skip(key);
  }
  if (type === 1) return strVal === '' && !keepZero ? undefined : strVal;
  return intVal === 0 && !keepZero ? undefined : intVal;
}

/** Reads a `Quantity` payload (field 1: its string form); `undefined` when empty unless kept. */
export function readQuantity(bytes: Uint8Array, keepZero: boolean): string | undefined {
  let value = '';
  const r = new WireReader(bytes);
  while (!r.done) {
    const key = r.key();
    if (key.field === 1 && key.wireType === WireType.LengthDelimited) value = r.string();
    else r.skip(key);
  }
  if (value === '') return keepZero ? '0' : undefined;
  return value;
}
