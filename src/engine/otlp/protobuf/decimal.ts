// 64-bit integers between protobuf's two 32-bit words and the model's decimal strings,
// without BigInt: every span carries two fixed64 times above 2^53, so this is hot.

import { DecodeError, type WireReader } from './wire.ts';

const TWO_32 = 4294967296;
const E7 = 10_000_000;

/** The unsigned 64-bit integer `hi * 2^32 + lo` in decimal. */
export function uint64ToDecimal(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * TWO_32 + lo); // below 2^53: exact as a double
  // Split into 24-bit limbs a0 + a1·2^24 + a2·2^48 and re-add them in base 10^7, using
  // 2^24 = 1·10^7 + 6777216 and 2^48 = 2·10^14 + 8147497·10^7 + 6710656. Every partial
  // sum stays below 2^53.
  const a0 = lo & 0xffffff;
  const a1 = ((lo >>> 24) | (hi << 8)) & 0xffffff;
  const a2 = hi >>> 16;
  let d0 = a0 + a1 * 6777216 + a2 * 6710656;
  let d1 = a1 + a2 * 8147497;
  let d2 = a2 * 2;
  d1 += Math.floor(d0 / E7);
  d0 %= E7;
  d2 += Math.floor(d1 / E7);
  d1 %= E7;
  return String(d2) + String(d1 + E7).slice(1) + String(d0 + E7).slice(1);
}

/** The two's-complement signed 64-bit integer `hi * 2^32 + lo` in decimal. */
export function int64ToDecimal(lo: number, hi: number): string {
  if ((hi & 0x80000000) === 0) return uint64ToDecimal(lo, hi);
  const negLo = (~lo + 1) >>> 0;
  const negHi = (~hi + (negLo === 0 ? 1 : 0)) >>> 0;
  return '-' + uint64ToDecimal(negLo, negHi);
}

/** Reads a fixed64 field as a decimal string. */
export function readFixed64Decimal(r: WireReader): string {
  const pos = r.pos;
  if (pos + 8 > r.end) throw new DecodeError(`message truncated at byte ${pos}`);
  const b = r.buf;
  r.pos = pos + 8;
  const lo = (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16)) + b[pos + 3] * 0x1000000;
  const hi = (b[pos + 4] | (b[pos + 5] << 8) | (b[pos + 6] << 16)) + b[pos + 7] * 0x1000000;
  return uint64ToDecimal(lo, hi);
}

/** Reads an sfixed64 field as a decimal string. */
export function readSfixed64Decimal(r: WireReader): string {
  const pos = r.pos;
  if (pos + 8 > r.end) throw new DecodeError(`message truncated at byte ${pos}`);
  const b = r.buf;
  r.pos = pos + 8;
  const lo = (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16)) + b[pos + 3] * 0x1000000;
  const hi = (b[pos + 4] | (b[pos + 5] << 8) | (b[pos + 6] << 16)) + b[pos + 7] * 0x1000000;
  return int64ToDecimal(lo, hi);
}

/** Two 32-bit words, reused by callers so that parsing allocates nothing. */
export interface Words {
  lo: number;
  hi: number;
}

/** Parses a decimal 64-bit integer (optionally negative) into two's-complement words. */
export function decimalToWords(s: string, out: Words): void {
  const negative = s.charCodeAt(0) === 0x2d;
  let i = negative ? 1 : 0;
  let lo = 0;
  let hi = 0;
  // Up to five digits at a time keeps lo·10^5 + chunk below 2^53, so every step is exact.
  while (i < s.length) {
    let chunk = 0;
    let scale = 1;
    for (const stop = Math.min(i + 5, s.length); i < stop; i++) {
      chunk = chunk * 10 + (s.charCodeAt(i) - 0x30);
      scale *= 10;
    }
    const low = lo * scale + chunk;
    lo = low % TWO_32;
    hi = (hi * scale + Math.floor(low / TWO_32)) % TWO_32;
  }
  if (negative && (lo !== 0 || hi !== 0)) {
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  }
  out.lo = lo >>> 0;
  out.hi = hi >>> 0;
}
