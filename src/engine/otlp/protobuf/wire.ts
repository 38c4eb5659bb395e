// Protocol Buffers wire-format reading: the primitive layer under every OTLP protobuf
// decoder. Hand-written because it is the ingest hot path.

export class DecodeError extends Error {
  override name = 'DecodeError';
}

export const enum WireType { Varint = 0, Fixed64 = 1, LengthDelimited = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 }

/** How deep messages may nest (AnyValue arrays and kvlists inside each other). */
export const MAX_DEPTH = 64;

const TWO_32 = 4294967296;

/** A cursor over `buf[pos, end)`. Every read checks bounds and throws DecodeError. */
export class WireReader {
  pos: number;
  constructor(readonly buf: Buffer, pos = 0, public end = buf.length) {
    this.pos = pos;
  }

  static of(bytes: Uint8Array): WireReader {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new WireReader(buf);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field tag; returns `fieldNumber << 3 | wireType`. */
  tag(): number {
    const t = this.uint32();
    if (t >>> 3 === 0) throw new DecodeError(`invalid field number 0 at byte ${this.pos}`);
    return t;
  }

  /** A varint that must fit in 32 bits unsigned (lengths, tags, uint32, enums). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw truncated(pos);
    let b = buf[pos++];
    let value = b & 0x7f;
    if (b < 0x80) { this.pos = pos; return value; }
    let shift = 7;
    while (true) {
      if (pos >= this.end) throw truncated(pos);
      b = buf[pos++];
      if (shift < 28) {
        value |= (b & 0x7f) << shift;
      } else if (shift === 28) {
        value = (value >>> 0) + (b & 0x0f) * 0x10000000;
      }
      // Bytes past the 32nd bit are the sign extension of negative int32s: read, ignored.
      if (b < 0x80) break;
      shift += 7;
      if (shift > 63) throw new DecodeError(`varint longer than 10 bytes at byte ${pos}`);
    }
    this.pos = pos;
    return value >>> 0;
  }

  /** An int32 varint (enums, int32 fields): negative values are 10-byte varints. */
  int32(): number {
    return this.uint32() | 0;
  }

  /** A 64-bit varint as unsigned [lo, hi] words combined into a decimal string. */
  uint64String(): string {
    const [lo, hi] = this.varint64();
    return uint64ToDecimal(lo, hi);
  }

  /** A signed int64 varint as a decimal string. */
  int64String(): string {
    const [lo, hi] = this.varint64();
    return int64ToDecimal(lo, hi);
  }

  /** A uint64 varint as a number (exact up to 2^53). */
  uint64Number(): number {
    const [lo, hi] = this.varint64();
    return hi * TWO_32 + lo;
  }

  /** A two's-complement int64 varint as a number (exact within ±2^53). */
  int64Number(): number {
    const [lo, hi] = this.varint64();
    if ((hi & 0x80000000) === 0) return hi * TWO_32 + lo;
    return -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1);
  }

  private varint64(): [number, number] {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    while (true) {
      if (pos >= this.end) throw truncated(pos);
      const b = buf[pos++];
      if (shift < 28) {
        lo |= (b & 0x7f) << shift;
      } else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else {
        hi |= (b & 0x7f) << (shift - 32);
      }
      if (b < 0x80) break;
      shift += 7;
      if (shift > 63) throw new DecodeError(`varint longer than 10 bytes at byte ${pos}`);
    }
    this.pos = pos;
    return [lo >>> 0, hi >>> 0];
  }

  bool(): boolean {
    return this.uint32() !== 0;
  }

  fixed32(): number {
    const pos = this.pos;
    if (pos + 4 > this.end) throw truncated(pos);
    this.pos = pos + 4;
    return this.buf.readUInt32LE(pos);
  }

  double(): number {
    const pos = this.pos;
    if (pos + 8 > this.end) throw truncated(pos);
    this.pos = pos + 8;
    return this.buf.readDoubleLE(pos);
  }

  /** Reads a length prefix and returns the end offset of the delimited bytes. */
  delimitedEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) throw new DecodeError(`length ${len} at byte ${this.pos} runs past the end of its message`);
    return end;
  }

  string(): string {
    const end = this.delimitedEnd();
    const start = this.pos;
    this.pos = end;
    return start === end ? '' : this.buf.utf8Slice(start, end);
  }

  /** Length-delimited bytes as a view (not a copy) into the buffer. */
  bytes(): Buffer {
    const end = this.delimitedEnd();
    const start = this.pos;
    this.pos = end;
    return this.buf.subarray(start, end);
  }

  hex(): string {
    const end = this.delimitedEnd();
    const start = this.pos;
    this.pos = end;
    return this.buf.hexSlice(start, end);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WireType.Varint:
        while (true) {
          if (this.pos >= this.end) throw truncated(this.pos);
          if (this.buf[this.pos++] < 0x80) break;
        }
        return;
      case WireType.Fixed64:
        if (this.pos + 8 > this.end) throw truncated(this.pos);
        this.pos += 8;
        return;
      case WireType.LengthDelimited:
        this.pos = this.delimitedEnd();
        return;
      case WireType.Fixed32:
        if (this.pos + 4 > this.end) throw truncated(this.pos);
        this.pos += 4;
        return;
      default:
        throw new DecodeError(`unsupported wire type ${wireType} at byte ${this.pos}`);
    }
  }
}

/**
 * Whether `buf[start, end)` holds exactly the bytes of `needle`. For the short keys the
 * scanners look for, a loop beats `Buffer.compare`, whose native call costs more than
 * the comparison.
 */
export function bytesEqual(buf: Uint8Array, start: number, end: number, needle: Uint8Array): boolean {
  const n = needle.length;
  if (end - start !== n) return false;
  for (let i = 0; i < n; i++) if (buf[start + i] !== needle[i]) return false;
  return true;
}

function truncated(pos: number): DecodeError {
  return new DecodeError(`message truncated at byte ${pos}`);
}

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

// Node's Buffer has these unchecked slicing methods (faster than toString(enc, s, e),
// which validates its arguments); they are public but missing from @types/node.
declare module 'node:buffer' {
  interface Buffer {
    utf8Slice(start: number, end: number): string;
    hexSlice(start: number, end: number): string;
    latin1Slice(start: number, end: number): string;
  }
}
