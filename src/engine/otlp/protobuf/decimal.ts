// 64-bit integers between protobuf's two 32-bit words and the model's decimal strings,
// without BigInt: every span carries two fixed64 times above 2^53, so this is hot.

import { DecodeError, int64ToDecimal, uint64ToDecimal, type WireReader } from './wire.ts';

const TWO_32 = 4294967296;

/** Reads a fixed64 field as a decimal string. */
export function readFixed64Decimal(r: WireReader): string {
  const w = readWords(r);
  return uint64ToDecimal(w.lo, w.hi);
}

/** Reads an sfixed64 field as a decimal string. */
export function readSfixed64Decimal(r: WireReader): string {
  const w = readWords(r);
  return int64ToDecimal(w.lo, w.hi);
}

const scratch: Words = { lo: 0, hi: 0 };

/** The eight little-endian bytes at the reader as two words (in a reused object). */
function readWords(r: WireReader): Words {
  const pos = r.pos;
  if (pos + 8 > r.end) throw new DecodeError(`message truncated at byte ${pos}`);
  const b = r.buf;
  r.pos = pos + 8;
  scratch.lo = (b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16)) + b[pos + 3] * 0x1000000;
  scratch.hi = (b[pos + 4] | (b[pos + 5] << 8) | (b[pos + 6] << 16)) + b[pos + 7] * 0x1000000;
  return scratch;
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
