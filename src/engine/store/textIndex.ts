// N-gram filters of the text in stored bytes, so a free-text search reads only the
// blocks that may hold its text. Each 64 KiB block of a chunk (the items that start in
// it, as for the attribute Bloom filters) gets a set of the hashed, lower-cased
// trigrams (spans: 16 Kibit, 3% of the bytes it covers) or 4-grams (log records: 32
// Kibit, 6%) of its printable ASCII runs. A block can hold a text only if it has every
// n-gram of the text.
//
// Filters are built off the ingest path, by TextIndexer, while ingest is quiet: a block
// without one is searched byte by byte, so an unindexed block costs time, never a match.

import { BLOCK_SHIFT } from './attributeBloom.ts';
/** What the text filters need of a chunk: its bytes and where each item ends. Span and
 * log chunks both are one. */
export interface TextChunk {
  readonly bytes: Buffer;
  readonly used: number;
  readonly count: number;
  readonly ends: Uint32Array;
  textFilters: Uint32Array | undefined;
  textIndexedBlocks: number;
}

/** The item whose bytes contain `offset` (binary search over the end offsets). */
export function itemAt(chunk: Pick<TextChunk, 'ends' | 'count'>, offset: number): number {
  let lo = 0;
  let hi = chunk.count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (chunk.ends[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function itemStart(chunk: Pick<TextChunk, 'ends'>, i: number): number {
  return i === 0 ? 0 : chunk.ends[i - 1];
}

/** Which n-grams a chunk's text filters hold, and how many 32-bit words a block's filter has. */
export interface GramFilter {
  readonly n: 3 | 4;
  readonly words: number;
  /** 32 minus log2 of the bits a block: turns a 32-bit hash into a bit index. */
  readonly shift: number;
}

/** Spans: trigrams, 16 Kibit a block (3% of the 64 KiB it covers). */
export const TRIGRAMS: GramFilter = { n: 3, words: 512, shift: 32 - 14 };
/**
 * Log records: 4-grams, 32 Kibit a block (6%). Logs are full of numbers, and in a block of
 * them every digit trigram is present: 4-grams still tell `000333333` from its neighbours.
 */
export const QUADGRAMS: GramFilter = { n: 4, words: 1024, shift: 32 - 15 };

function lower(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
}

/** The filter bit of the n-gram ending in `d` (a trigram leaves `a` at 0). */
function gramBit(kind: GramFilter, a: number, b: number, c: number, d: number): number {
  return Math.imul((a << 21) | (b << 14) | (c << 7) | d, 0x9e3779b1) >>> kind.shift;
}

/** The bits of a text's n-grams; undefined when it has none to filter on (short, or not ASCII). */
export function textGrams(text: string, kind: GramFilter = TRIGRAMS): number[] | undefined {
  const bytes = Buffer.from(text.toLowerCase());
  if (bytes.length < kind.n) return undefined;
  const bits: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7e) return undefined;
  for (let i = kind.n - 1; i < bytes.length; i++) bits.push(gramBit(kind, kind.n === 4 ? bytes[i - 3] : 0, bytes[i - 2], bytes[i - 1], bytes[i]));
  return bits;
}

export function blockMayContain(filters: Uint32Array, block: number, bits: number[], kind: GramFilter = TRIGRAMS): boolean {
  const base = block * kind.words;
  for (const bit of bits) if ((filters[base + (bit >>> 5)] & (1 << (bit & 31))) === 0) return false;
  return true;
}

/** Builds the filter of one block of a sealed chunk. */
export function indexBlock(chunk: TextChunk, block: number, kind: GramFilter = TRIGRAMS): void {
  const filters = chunk.textFilters!;
  const base = block * kind.words;
  const bytes = chunk.bytes;
  const blockStart = block << BLOCK_SHIFT;
  let s = itemAt(chunk, blockStart);
  if (itemStart(chunk, s) < blockStart) s++;
  const blockEnd = (block + 1) << BLOCK_SHIFT;
  for (; s < chunk.count && itemStart(chunk, s) < blockEnd; s++) {
    // N-grams within one item: a text never matches across two.
    let run = 0;
    let a = 0;
    let b = 0;
    let c = 0;
    for (let i = itemStart(chunk, s), end = chunk.ends[s]; i < end; i++) {
      const byte = bytes[i];
      if (byte < 0x20 || byte > 0x7e) {
        run = 0;
        continue;
      }
      const d = lower(byte);
      if (++run >= kind.n) {
        const bit = gramBit(kind, kind.n === 4 ? a : 0, b, c, d);
        filters[base + (bit >>> 5)] |= 1 << (bit & 31);
      }
      a = b;
      b = c;
      c = d;
    }
  }
}

/** Blocks of a chunk; the last one may be partly used. */
export function blockCount(chunk: Pick<TextChunk, 'used'>): number {
  return chunk.used === 0 ? 0 : ((chunk.used - 1) >>> BLOCK_SHIFT) + 1;
}

/**
 * Bytes of a chunk's text filters, built or not. Chunks count them from their first
 * byte: the indexer builds them later, while ingest is quiet and no budget is enforced,
 * so a filter counted only once built took the store past its budget (by up to 3% of
 * the span bytes and 6% of the log bytes held).
 */
export function textFilterBytes(chunk: Pick<TextChunk, 'used'>, kind: GramFilter): number {
  return blockCount(chunk) * kind.words * 4;
}
