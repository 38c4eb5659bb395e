import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimalToWords, readFixed64Decimal, readSfixed64Decimal, type Words } from './decimal.ts';
import { int64ToDecimal, uint64ToDecimal } from './wire.ts';
import { DecodeError, WireReader } from './wire.ts';

const words = (n: bigint): [number, number] => {
  const u = BigInt.asUintN(64, n);
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
};

/** Values around every boundary the conversions care about, plus a seeded random spread. */
function samples(): bigint[] {
  const out = [0n, 1n, 9_999_999n, 10_000_000n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n,
    10n ** 14n, 10n ** 18n, 1_700_000_000_123_456_789n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
  let seed = 12345n;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n);
    out.push(seed >> BigInt(i % 64));
  }
  return out;
}

describe('64-bit decimal conversions', () => {
  it('uint64ToDecimal and int64ToDecimal agree with BigInt', () => {
    for (const n of samples()) {
      const [lo, hi] = words(n);
      assert.equal(uint64ToDecimal(lo, hi), n.toString());
      assert.equal(int64ToDecimal(lo, hi), BigInt.asIntN(64, n).toString());
    }
  });

  it('decimalToWords inverts them, for signed and unsigned decimals', () => {
    const out: Words = { lo: 0, hi: 0 };
    for (const n of samples()) {
      const [lo, hi] = words(n);
      decimalToWords(n.toString(), out);
      assert.deepEqual([out.lo, out.hi], [lo, hi]);
      decimalToWords(BigInt.asIntN(64, n).toString(), out);
      assert.deepEqual([out.lo, out.hi], [lo, hi]);
    }
  });

  it('reads fixed64 and sfixed64 fields, checking bounds', () => {
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64LE(2n ** 64n - 2n);
    assert.equal(readFixed64Decimal(new WireReader(buf)), '18446744073709551614');
    assert.equal(readSfixed64Decimal(new WireReader(buf)), '-2');
    assert.throws(() => readFixed64Decimal(new WireReader(buf, 1)), DecodeError);
  });
});
