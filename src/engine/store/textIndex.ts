// Trigram filters of the text in stored span bytes, so a free-text search reads only
// the blocks that may hold its text. Each 64 KiB block of a chunk (the spans that start
// in it, as for the attribute Bloom filters) gets a 16 Kibit set of the hashed,
// lower-cased trigrams of its printable ASCII runs: 3% of the bytes it covers. A block
// can hold a text only if it has every trigram of the text.
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

export const TEXT_WORDS = 512;
const BIT_SHIFT = 32 - 14; // 2^14 bits a block

function lower(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
}

function trigramBit(a: number, b: number, c: number): number {
  return Math.imul((a << 14) | (b << 7) | c, 0x9e3779b1) >>> BIT_SHIFT;
}

/** The bits of a text's trigrams; undefined when it has none to filter on (short, or not ASCII). */
export function textTrigrams(text: string): number[] | undefined {
  const bytes = Buffer.from(text.toLowerCase());
  if (bytes.length < 3) return undefined;
  const bits: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7e) return undefined;
  for (let i = 2; i < bytes.length; i++) bits.push(trigramBit(bytes[i - 2], bytes[i - 1], bytes[i]));
  return bits;
}

export function blockMayContain(filters: Uint32Array, block: number, bits: number[]): boolean {
  const base = block * TEXT_WORDS;
  for (const bit of bits) if ((filters[base + (bit >>> 5)] & (1 << (bit & 31))) === 0) return false;
  return true;
}

/** Builds the filter of one block of a sealed chunk. */
export function indexBlock(chunk: TextChunk, block: number): void {
  const filters = chunk.textFilters!;
  const base = block * TEXT_WORDS;
  const bytes = chunk.bytes;
  const blockStart = block << BLOCK_SHIFT;
  let s = itemAt(chunk, blockStart);
  if (itemStart(chunk, s) < blockStart) s++;
  const blockEnd = (block + 1) << BLOCK_SHIFT;
  for (; s < chunk.count && itemStart(chunk, s) < blockEnd; s++) {
    // Trigrams within one span: a text never matches across two.
    let run = 0;
    let a = 0;
    let b = 0;
    for (let i = itemStart(chunk, s), end = chunk.ends[s]; i < end; i++) {
      const byte = bytes[i];
      if (byte < 0x20 || byte > 0x7e) {
        run = 0;
        continue;
      }
      const c = lower(byte);
      if (++run >= 3) {
        const bit = trigramBit(a, b, c);
        filters[base + (bit >>> 5)] |= 1 << (bit & 31);
      }
      a = b;
      b = c;
    }
  }
}

/** Blocks of a chunk; the last one may be partly used. */
export function blockCount(chunk: Pick<TextChunk, 'used'>): number {
  return chunk.used === 0 ? 0 : ((chunk.used - 1) >>> BLOCK_SHIFT) + 1;
}
