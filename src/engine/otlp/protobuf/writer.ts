// Protocol Buffers wire-format writing into one growable buffer. Embedded messages
// reserve a one-byte length prefix and move their bytes only in the rarer case that
// the length needs more than one byte, so nothing is sized twice.

import { decimalToWords, type Words } from './decimal.ts';
import { WireType } from './wire.ts';

export class ProtoWriter {
  buf: Buffer;
  pos = 0;
  private readonly words: Words = { lo: 0, hi: 0 };

  constructor(initialSize = 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** A copy of the bytes written so far, exactly sized. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }

  tag(field: number, wireType: WireType): void {
    this.uint32((field << 3) | wireType);
  }

  uint32(n: number): void {
    this.ensure(5);
    const buf = this.buf;
    let pos = this.pos;
    n >>>= 0;
    while (n > 0x7f) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /** int32 and enums: negative values are sign-extended to ten bytes, as protobuf requires. */
  int32(n: number): void {
    if (n >= 0) this.uint32(n);
    else this.varint64(n >>> 0, 0xffffffff);
  }

  sint32(n: number): void {
    this.uint32((n << 1) ^ (n >> 31));
  }

  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi !== 0 || lo > 0x7f) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  fixed32(n: number): void {
    this.ensure(4);
    this.pos = this.buf.writeUInt32LE(n >>> 0, this.pos);
  }

  fixed64(lo: number, hi: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(lo, this.pos);
    this.pos = this.buf.writeUInt32LE(hi, this.pos + 4);
  }

  double(n: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleLE(n, this.pos);
  }

  /** A 64-bit integer given in decimal (the model's form), as a fixed64/sfixed64. */
  fixed64Decimal(s: string): void {
    decimalToWords(s, this.words);
    this.fixed64(this.words.lo, this.words.hi);
  }

  /** A 64-bit integer given in decimal, as an int64/uint64 varint. */
  varint64Decimal(s: string): void {
    decimalToWords(s, this.words);
    this.varint64(this.words.lo, this.words.hi);
  }

  string(s: string): void {
    this.ensure(s.length * 3 + 5);
    const mark = this.begin();
    this.pos += this.buf.write(s, this.pos, 'utf8');
    this.end(mark);
  }

  hexBytes(hex: string): void {
    this.ensure((hex.length >>> 1) + 5);
    const mark = this.begin();
    this.pos += this.buf.write(hex, this.pos, 'hex');
    this.end(mark);
  }

  base64Bytes(b64: string): void {
    this.ensure(Math.ceil(b64.length * 0.75) + 8);
    const mark = this.begin();
    this.pos += this.buf.write(b64, this.pos, 'base64');
    this.end(mark);
  }

  /** Appends bytes that are already encoded. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Writes field `field` as an embedded message whose fields `body` writes. */
  message(field: number, body: () => void): void {
    this.tag(field, WireType.LengthDelimited);
    const mark = this.begin();
    body();
    this.end(mark);
  }

  /** Starts a length-delimited value (after its tag); returns the mark to pass to `end`. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  end(mark: number): void {
    const len = this.pos - mark - 1;
    if (len > 0x7f) {
      const extra = varintSize(len) - 1;
      this.ensure(extra);
      this.buf.copyWithin(mark + 1 + extra, mark + 1, this.pos);
      this.pos += extra;
    }
    let pos = mark;
    let n = len;
    while (n > 0x7f) {
      this.buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[pos] = n;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}
