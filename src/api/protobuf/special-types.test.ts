import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatGoDuration,
  formatRfc3339,
  readIntOrString,
  readQuantity,
  readTimestamp,
} from './special-types.js';
import { intOrString, proto } from './testing/encoder.js';

describe('special types', () => {
  it('formats durations like Go time.Duration.String', () => {
    const cases: [bigint, string][] = [
      [0n, '0s'],
      [1n, '1ns'],
      [1_500n, '1.5µs'],
      [2_000_000n, '2ms'],
      [1_000_000_000n, '1s'],
      [90_500_000_000n, '1m30.5s'],
      [3_600_000_000_000n, '1h0m0s'],
      [-5_000_000_000n, '-5s'],
    ];
    for (const [ns, want] of cases) assert.equal(formatGoDuration(ns), want, String(ns));
  });

  it('formats Time at second precision and MicroTime at microsecond precision, in UTC', () => {
    assert.equal(formatRfc3339(0, 0, 0), '1970-01-01T00:00:00Z');
    assert.equal(formatRfc3339(1714558830, 999_999_999, 0), '2024-05-01T10:20:30Z');
    assert.equal(formatRfc3339(1714558830, 5_000, 6), '2024-05-01T10:20:30.000005Z');
    assert.equal(readTimestamp(new Uint8Array(), 0), undefined);
    assert.throws(() => formatRfc3339(1e15, 0, 0), /out of range/);
  });

  it('reads IntOrString as a number or a string, dropping int 0 unless kept', () => {
    assert.equal(readIntOrString(proto(intOrString(8080)), false), 8080);
    assert.equal(readIntOrString(proto(intOrString('http')), false), 'http');
    assert.equal(readIntOrString(proto(intOrString(0)), false), undefined);
    assert.equal(readIntOrString(proto(intOrString(0)), true), 0);
  });

  it('reads Quantity strings', () => {
    assert.equal(
      readQuantity(
        proto((w) => w.string(1, '128Mi')),
        false,
      ),
      '128Mi',
    );
    assert.equal(readQuantity(new Uint8Array(), false), undefined);
    assert.equal(readQuantity(new Uint8Array(), true), '0');
  });
});
