// Seeded damage for the fuzz harness. Every mutation is a pure function of the input
// and the PRNG, so (target, seed, iteration) reproduces an input exactly.

import { random } from '../../src/engine/otlp/testSupport/mutation.ts';

export type Rand = () => number;

export { random };

export const int = (rand: Rand, n: number): number => Math.floor(rand() * n);

/** A varint for a length or count that claims far more than any input holds, or a small lie. */
function lyingVarint(rand: Rand): Buffer {
  const claims = [0, 1, 127, 128, 0x3fff, 0x7fffffff, 0xffffffff, 2 ** 53];
  let n = claims[int(rand, claims.length)] + int(rand, 3);
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  // Sometimes an unterminated or over-long varint instead.
  if (rand() < 0.2) return Buffer.from(Array.from({ length: 11 }, () => 0xff));
  return Buffer.from(out);
}

/**
 * Protobuf-aware damage: finds a tag with wire type 2 (length-delimited) and replaces the
 * length after it, so nested messages claim lengths their bytes do not have.
 */
function corruptLength(bytes: Buffer, rand: Rand): Buffer {
  for (let attempt = 0; attempt < 16; attempt++) {
    const at = int(rand, bytes.length);
    if ((bytes[at] & 0x07) !== 2 || at + 1 >= bytes.length) continue;
    let end = at + 1;
    while (end < bytes.length && bytes[end] & 0x80 && end - at < 6) end++;
    return Buffer.concat([bytes.subarray(0, at + 1), lyingVarint(rand), bytes.subarray(end + 1)]);
  }
  return flipBits(bytes, rand);
}

function flipBits(bytes: Buffer, rand: Rand): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0, n = 1 + int(rand, 3); i < n && out.length; i++) out[int(rand, out.length)] ^= 1 << int(rand, 8);
  return out;
}

const BINARY: ((b: Buffer, r: Rand, other: Buffer) => Buffer)[] = [
  (b, r) => b.subarray(0, int(r, b.length + 1)), // truncate
  (b, r) => b.subarray(int(r, b.length + 1)), // drop the start
  flipBits,
  (b, r) => { const out = Buffer.from(b); for (let i = 0, n = 1 + int(r, 8); i < n && out.length; i++) out[int(r, out.length)] = int(r, 256); return out; },
  corruptLength,
  (b, r) => { const at = int(r, b.length + 1); return Buffer.concat([b.subarray(0, at), lyingVarint(r), b.subarray(at)]); },
  (b, r, other) => { // splice a slice of another seed in
    const from = int(r, other.length);
    const at = int(r, b.length + 1);
    return Buffer.concat([b.subarray(0, at), other.subarray(from, from + 1 + int(r, 256)), b.subarray(at + int(r, 64))]);
  },
  (b, r) => { // repeat a slice many times (deep nesting, many fields)
    const from = int(r, b.length);
    const slice = b.subarray(from, from + 1 + int(r, 16));
    const at = int(r, b.length + 1);
    return Buffer.concat([b.subarray(0, at), ...Array.from({ length: 2 + int(r, 200) }, () => slice), b.subarray(at)]);
  },
  (_b, r) => Buffer.from(Array.from({ length: int(r, 512) }, () => int(r, 256))), // garbage
];

const JSON_TOKENS = [
  '"', '{', '}', '[', ']', ',', ':', '0', '-', '-0', '1e999', '-1e999', '1e-999', 'NaN', 'null', 'true', 'false', '""', '"x"',
  '12345678901234567890', '-9223372036854775809', '18446744073709551616', '0.5', '\\', '\\u0000', '\\ud800', '"\\u202e"',
  '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', '"' + 'a'.repeat(70000) + '"', '[]', '{}', '"AAAA"', '"zz"',
  '"0123456789abcdef0123456789abcdef"', '"ffffffffffffffff"', '"Infinity"', '"-Infinity"', '4294967296', '-1', '2147483648',
];

const TEXT: ((t: string, r: Rand, other: string) => string)[] = [
  (t, r) => { // replace a short run with a token
    const at = int(r, t.length + 1);
    return t.slice(0, at) + JSON_TOKENS[int(r, JSON_TOKENS.length)] + t.slice(at + int(r, 8));
  },
  (t, r) => { // replace a value after a key with a token
    const colons = [...t.matchAll(/:/g)].map((m) => m.index!);
    if (!colons.length) return t;
    const at = colons[int(r, colons.length)] + 1;
    const end = t.slice(at).search(/[,}\]]/);
    return t.slice(0, at) + JSON_TOKENS[int(r, JSON_TOKENS.length)] + (end < 0 ? '' : t.slice(at + end));
  },
  (t, r) => t.slice(0, int(r, t.length + 1)), // truncate
  (t, r) => { const depth = 1 + int(r, 5000); const at = int(r, t.length + 1); return t.slice(0, at) + '['.repeat(depth) + ']'.repeat(depth) + t.slice(at); },
  (t, r) => { const depth = 1 + int(r, 3000); const at = int(r, t.length + 1); return t.slice(0, at) + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + t.slice(at); },
  (t, r, other) => { const from = int(r, other.length); const at = int(r, t.length + 1); return t.slice(0, at) + other.slice(from, from + int(r, 200)) + t.slice(at); },
  (t, r) => { // duplicate an array element many times
    const at = t.indexOf('[{', int(r, t.length));
    if (at < 0) return t;
    const end = t.indexOf('}', at);
    const element = t.slice(at + 1, end + 1);
    return t.slice(0, at + 1) + `${element},`.repeat(1 + int(r, 300)) + t.slice(at + 1);
  },
];

/** One mutation of `input`; `other` is another seed of the same target, for splicing. */
export function mutate(input: Buffer, rand: Rand, other: Buffer, text: boolean): Buffer {
  let out = input;
  // Stacked mutations reach states one step cannot.
  for (let i = 0, n = 1 + (rand() < 0.3 ? int(rand, 3) : 0); i < n; i++) {
    if (text && rand() < 0.7) {
      const t = TEXT[int(rand, TEXT.length)];
      out = Buffer.from(t(out.toString('utf8'), rand, other.toString('utf8')));
    } else {
      out = BINARY[int(rand, BINARY.length)](out, rand, other);
    }
  }
  return out;
}
