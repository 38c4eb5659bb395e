// A chunk of stored spans: their protobuf bytes back to back in one buffer, and the
// few fields queries need in typed-array columns beside them. Spans are decoded in full
// only when a trace is fetched, so a stored span costs little more than its wire size.

import { bloomWords } from './attributeBloom.ts';
import { textFilterBytes, TRIGRAMS } from './textIndex.ts';
import type { TraceEntry } from './traceEntry.ts';

export const CHUNK_BYTES = 4 * 1024 * 1024;
const INITIAL_SPANS = 2048;

export class SpanChunk {
  used = 0;
  count = 0;
  /** End offset in `bytes` of each span; span i starts where span i-1 ends. */
  ends = new Uint32Array(INITIAL_SPANS);
  startLo = new Uint32Array(INITIAL_SPANS);
  startHi = new Uint32Array(INITIAL_SPANS);
  durationNs = new Float64Array(INITIAL_SPANS);
  nameId = new Int32Array(INITIAL_SPANS);
  group = new Int32Array(INITIAL_SPANS);
  /** kind (bits 0-2), status code (bits 3-4), has parent (bit 5). */
  bits = new Uint8Array(INITIAL_SPANS);
  traces: TraceEntry[] = [];
  /** Attribute hashes of the chunk's spans, by 64 KiB block (attributeBloom.ts). */
  readonly bloom: Uint32Array;
  readonly receivedAt = Date.now();
  /** Text trigram filters by block (textIndex.ts), built after the chunk is sealed. */
  textFilters: Uint32Array | undefined;
  /** Blocks whose text filter is built: blocks from here on are searched byte by byte. */
  textIndexedBlocks = 0;
  /** Earliest span start and latest span end in the chunk (ns, as doubles). */
  minStartNs = Infinity;
  maxEndNs = -Infinity;

  /** `latestTraceStartNs()` of the sealed chunk. */
  private sealedTraceStart: number | undefined;

  /** Readers that hold the chunk across an await (a trace being written out): its bytes are not reused while > 0. */
  pins = 0;

  /** `bytes`: a fresh buffer, or an evicted chunk's to reuse (spareChunkBuffer.ts). */
  constructor(readonly firstId: number, readonly bytes: Buffer) {
    this.bloom = new Uint32Array(bloomWords(bytes.length));
  }

  fits(length: number): boolean {
    return this.used + length <= this.bytes.length;
  }

  /** Bytes held, counting the columns at their allocated size and the text filters before they are built. */
  get memoryBytes(): number {
    return this.bytes.length + this.ends.length * 30 + this.traces.length * 8 + this.bloom.byteLength + textFilterBytes(this, TRIGRAMS);
  }

  spanStart(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1];
  }

  startNs(i: number): number {
    return this.startHi[i] * 4294967296 + this.startLo[i];
  }

  /** Appends a span; returns its index in the chunk. */
  append(src: Buffer, start: number, end: number): number {
    const i = this.count;
    if (i === this.ends.length) this.grow();
    // `set` of a plain Uint8Array view: Buffer.copy costs five times as much for a
    // span-sized range, and a Buffer view (`subarray`) three times.
    this.bytes.set(new Uint8Array(src.buffer, src.byteOffset + start, end - start), this.used);
    this.used += end - start;
    this.ends[i] = this.used;
    this.count = i + 1;
    return i;
  }

  /**
   * The latest start among the traces of the chunk's spans. A trace's start only moves
   * earlier as its spans arrive, so the figure taken when the chunk is sealed stays an
   * upper bound: searches for the newest traces stop at chunks that cannot hold one.
   */
  latestTraceStartNs(): number {
    if (this.sealedTraceStart !== undefined) return this.sealedTraceStart;
    let latest = -Infinity;
    for (const t of this.traces) if (t.startNs > latest) latest = t.startNs;
    return latest;
  }

  /** Drops unused column capacity once the chunk is full. */
  seal(): void {
    this.sealedTraceStart = this.latestTraceStartNs();
    const n = this.count;
    if (n === this.ends.length) return;
    this.ends = this.ends.slice(0, n);
    this.startLo = this.startLo.slice(0, n);
    this.startHi = this.startHi.slice(0, n);
    this.durationNs = this.durationNs.slice(0, n);
    this.nameId = this.nameId.slice(0, n);
    this.group = this.group.slice(0, n);
    this.bits = this.bits.slice(0, n);
  }

  /** The span whose bytes contain `offset` (binary search over the end offsets). */
  spanAt(offset: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const n = this.ends.length * 2;
    this.ends = growU32(this.ends, n);
    this.startLo = growU32(this.startLo, n);
    this.startHi = growU32(this.startHi, n);
    const d = new Float64Array(n); d.set(this.durationNs); this.durationNs = d;
    const name = new Int32Array(n); name.set(this.nameId); this.nameId = name;
    const g = new Int32Array(n); g.set(this.group); this.group = g;
    const b = new Uint8Array(n); b.set(this.bits); this.bits = b;
  }
}

function growU32(a: Uint32Array, n: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}

export const enum SpanBits { KindMask = 0x07, StatusShift = 3, StatusMask = 0x18, HasParent = 0x20 }
