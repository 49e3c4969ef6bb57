import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ProtoWriter, proto } from './testing/encoder.js';
import { ProtobufDecodeError, WireReader, WireType } from './wire.js';

describe('WireReader', () => {
  it('reads varints of every length, including negative int32 and int64', () => {
    const bytes = proto((w) =>
      w
        .varint(1, 0)
        .varint(2, 300)
        .varint(3, -1)
        .varint(4, -(2n ** 40n))
        .varint(5, 2 ** 53 - 1),
    );
    const r = new WireReader(bytes);
    const values: number[] = [];
    while (!r.done) {
      const key = r.key();
      assert.equal(key.wireType, WireType.Varint);
      values.push(key.field === 3 ? r.int32() : r.int64());
    }
    assert.deepEqual(values, [0, 300, -1, -(2 ** 40), 2 ** 53 - 1]);
  });

  it('round-trips any 64-bit varint', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const r = new WireReader(proto((w) => w.varint(7, n)));
        assert.deepEqual(r.key(), { field: 7, wireType: WireType.Varint });
        assert.equal(BigInt.asIntN(64, r.varint()), n);
        assert.ok(r.done);
      }),
    );
  });

  it('reads strings, bytes and doubles', () => {
    const r = new WireReader(
      proto((w) => w.string(1, 'héllo').bytes(2, Uint8Array.of(0, 255)).double(3, 1.5)),
    );
    r.key();
    assert.equal(r.string(), 'héllo');
    r.key();
    assert.deepEqual([...r.bytes()], [0, 255]);
    r.key();
    assert.equal(r.double(), 1.5);
  });

  it('skips every wire type, groups included', () => {
    const bytes = new ProtoWriter()
      .varint(1, 5)
      .double(2, 2.5)
      .string(3, 'x')
      .raw([(4 << 3) | WireType.StartGroup, (1 << 3) | 0, 1, (4 << 3) | WireType.EndGroup])
      .raw([(5 << 3) | WireType.Fixed32, 1, 2, 3, 4])
      .varint(6, 42)
      .finish();
    const r = new WireReader(bytes);
    for (let i = 0; i < 5; i++) r.skip(r.key());
    assert.deepEqual(r.key(), { field: 6, wireType: WireType.Varint });
    assert.equal(r.int32(), 42);
    assert.ok(r.done);
  });

  it('rejects truncated input, overlong varints and invalid keys', () => {
    const truncatedLength = Uint8Array.of((1 << 3) | 2, 5, 1, 2);
    assert.throws(() => new WireReader(truncatedLength).skip({ field: 1, wireType: 2 }), ProtobufDecodeError);
    assert.throws(() => {
      const r = new WireReader(truncatedLength);
      r.key();
      r.bytes();
    }, ProtobufDecodeError);
    assert.throws(() => new WireReader(new Uint8Array(11).fill(0xff)).varint(), /longer than 10 bytes/);
    assert.throws(() => new WireReader(Uint8Array.of(0)).key(), /invalid field number 0/);
    assert.throws(() => new WireReader(Uint8Array.of(0x80)).varint(), /unexpected end/);
    assert.throws(
      () => new WireReader(Uint8Array.of(1)).skip({ field: 1, wireType: 7 }),
      /unexpected wire type/,
    );
  });
});
