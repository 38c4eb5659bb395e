// A chunk of stored log records: their protobuf bytes back to back in one buffer, and
// the fields that log queries filter on in typed-array columns beside them (29 bytes a
// record). A record is decoded only when a query returns it.

import { bloomWords } from './attributeBloom.ts';
import { itemAt, itemStart, QUADGRAMS, textFilterBytes } from './textIndex.ts';

export const LOG_CHUNK_BYTES = 4 * 1024 * 1024;
const INITIAL_RECORDS = 4096;
/** Bytes of column per record: ends, time, severity, group, pattern, trace and span hashes. */
const COLUMN_BYTES = 4 + 8 + 1 + 4 + 4 + 4 + 4;

export class LogChunk {
  used = 0;
  count = 0;
  /** End offset in `bytes` of each record; record i starts where record i-1 ends. */
  ends = new Uint32Array(INITIAL_RECORDS);
  /** Event time in ns (observed time when the record has none), as a double for ordering. */
  timeNs = new Float64Array(INITIAL_RECORDS);
  severity = new Uint8Array(INITIAL_RECORDS);
  group = new Int32Array(INITIAL_RECORDS);
  pattern = new Int32Array(INITIAL_RECORDS);
  /** 32-bit hashes of the trace and span ids (idHash); 0 when the record has none. */
  traceHash = new Uint32Array(INITIAL_RECORDS);
  spanHash = new Uint32Array(INITIAL_RECORDS);
  /** Attribute hashes by 64 KiB block (attributeBloom.ts). */
  readonly bloom: Uint32Array;
  readonly receivedAt = Date.now();
  textFilters: Uint32Array | undefined;
  textIndexedBlocks = 0;
  minTimeNs = Infinity;
  maxTimeNs = -Infinity;

  /** `bytes`: a fresh buffer, or an evicted chunk's to reuse (spareChunkBuffer.ts). */
  constructor(readonly firstId: number, readonly bytes: Buffer) {
    this.bloom = new Uint32Array(bloomWords(bytes.length));
  }

  fits(length: number): boolean {
    return this.used + length <= this.bytes.length;
  }

  /** Bytes held, counting buffer and columns at their allocated size and the text filters before they are built. */
  get memoryBytes(): number {
    return this.bytes.length + this.ends.length * COLUMN_BYTES + this.bloom.byteLength + textFilterBytes(this, QUADGRAMS) + 200;
  }

  recordStart(i: number): number {
    return itemStart(this, i);
  }

  recordAt(offset: number): number {
    return itemAt(this, offset);
  }

  /** Appends a record's bytes; returns its index in the chunk. */
  append(src: Buffer, start: number, end: number, timeNs: number): number {
    const i = this.count;
    if (i === this.ends.length) this.resize(i * 2);
    src.copy(this.bytes, this.used, start, end);
    this.used += end - start;
    this.ends[i] = this.used;
    this.timeNs[i] = timeNs;
    if (timeNs < this.minTimeNs) this.minTimeNs = timeNs;
    if (timeNs > this.maxTimeNs) this.maxTimeNs = timeNs;
    this.count = i + 1;
    return i;
  }

  /** Drops unused column capacity once the chunk is full. */
  seal(): void {
    if (this.count < this.ends.length) this.resize(this.count);
  }

  private resize(n: number): void {
    this.ends = copyInto(new Uint32Array(n), this.ends);
    this.timeNs = copyInto(new Float64Array(n), this.timeNs);
    this.severity = copyInto(new Uint8Array(n), this.severity);
    this.group = copyInto(new Int32Array(n), this.group);
    this.pattern = copyInto(new Int32Array(n), this.pattern);
    this.traceHash = copyInto(new Uint32Array(n), this.traceHash);
    this.spanHash = copyInto(new Uint32Array(n), this.spanHash);
  }
}

function copyInto<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(to: T, from: T): T {
  to.set(from.subarray(0, Math.min(from.length, to.length)) as never);
  return to;
}

/** A trace or span id's 32-bit hash (FNV-1a over its bytes); never 0, which means "none". */
export function idHash(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return (h >>> 0) || 1;
}

export function hexIdHash(hex: string): number {
  const bytes = Buffer.from(hex, 'hex');
  return idHash(bytes, 0, bytes.length);
}
