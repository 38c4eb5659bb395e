// Bloom filters of span attributes (key + encoded scalar value), one per 64 KiB block
// of a chunk's span bytes, so an attribute search reads only the blocks that may hold a
// match instead of scanning every byte. 16 Kibit a block: about 3% of the bytes it
// covers, ~2% false positives.

export const BLOCK_SHIFT = 16;
export const BLOCK_WORDS = 512;
const BIT_MASK = BLOCK_WORDS * 32 - 1;

export function bloomWords(chunkBytes: number): number {
  return Math.ceil(chunkBytes / (1 << BLOCK_SHIFT)) * BLOCK_WORDS;
}

/**
 * The hash both ingest and search use: FNV-1a over the lengths, the last 8 bytes of the
 * key and the first and last 8 bytes of the encoded value. Sampling keeps ingest fast;
 * values that differ only in their middle collide, which costs a byte search of the
 * chunk, never a missed match.
 */
export function attributeHash(buf: Uint8Array, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): number {
  let h = Math.imul(0x811c9dc5 ^ (keyEnd - keyStart), 0x01000193);
  for (let i = Math.max(keyStart, keyEnd - 8); i < keyEnd; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  h = Math.imul(h ^ (valueEnd - valueStart), 0x01000193);
  const head = Math.min(valueEnd, valueStart + 8);
  for (let i = valueStart; i < head; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  for (let i = Math.max(head, valueEnd - 8); i < valueEnd; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h >>> 0;
}

/** Adds `hash` to the filter of the block holding byte `offset`. */
export function bloomAdd(bloom: Uint32Array, offset: number, hash: number): void {
  const base = (offset >>> BLOCK_SHIFT) * BLOCK_WORDS;
  const a = hash & BIT_MASK;
  const b = (Math.imul(hash, 0x9e3779b1) >>> 12) & BIT_MASK;
  bloom[base + (a >>> 5)] |= 1 << (a & 31);
  bloom[base + (b >>> 5)] |= 1 << (b & 31);
}

export function bloomHas(bloom: Uint32Array, block: number, hash: number): boolean {
  const base = block * BLOCK_WORDS;
  const a = hash & BIT_MASK;
  const b = (Math.imul(hash, 0x9e3779b1) >>> 12) & BIT_MASK;
  return (bloom[base + (a >>> 5)] & (1 << (a & 31))) !== 0 && (bloom[base + (b >>> 5)] & (1 << (b & 31))) !== 0;
}

/**
 * The protobuf encodings (AnyValue messages) an attribute filter's text can stand for: a
 * string always; an int, a double or a bool when the text reads as one. Hashing each
 * against the key finds the attribute whatever type the app gave it.
 */
export function valueEncodings(value: string): Buffer[] {
  const encodings: Buffer[] = [anyValueString(value)];
  if (/^-?\d+$/.test(value)) {
    const n = BigInt(value);
    if (n >= -(1n << 63n) && n < 1n << 63n) encodings.push(Buffer.concat([Buffer.from([0x18]), varint(BigInt.asUintN(64, n))]));
  }
  if (value !== '' && Number.isFinite(Number(value))) {
    const d = Buffer.alloc(9);
    d[0] = 0x21;
    d.writeDoubleLE(Number(value), 1);
    encodings.push(d);
  }
  if (value === 'true' || value === 'false') encodings.push(Buffer.from([0x10, value === 'true' ? 1 : 0]));
  return encodings;
}

export function filterHashes(key: string, value: string): number[] {
  const k = Buffer.from(key);
  return valueEncodings(value).map((v) => {
    const both = Buffer.concat([k, v]);
    return attributeHash(both, 0, k.length, k.length, both.length);
  });
}

/**
 * The bytes of a KeyValue message's key and value fields, from the key's text on:
 * `key`, then field 2 (tag 0x12), the value's length and the AnyValue `value`. Encoders
 * write a KeyValue's fields in field order, so a stored attribute holds these bytes.
 */
export function keyValueTail(key: string, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from(key), Buffer.from([0x12]), varint(BigInt(value.length)), value]);
}

function anyValueString(s: string): Buffer {
  const bytes = Buffer.from(s);
  return Buffer.concat([Buffer.from([0x0a]), varint(BigInt(bytes.length)), bytes]);
}

function varint(n: bigint): Buffer {
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}
