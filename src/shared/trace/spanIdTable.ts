// Span index by 8-byte span id, for a trace's million spans: open addressing in one
// typed array over the ids' bytes, each id read as two 32-bit numbers (big-endian, as
// its hex reads). A map of a million hex strings would cost a second and a hundred MiB.
// The engine uses it to turn parent ids into indexes, the page to find a span by id.

export class SpanIdTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** Indexes the first `n` ids of `ids` (8 bytes each); the first span holding an id keeps it. */
  constructor(private readonly ids: Uint8Array, n: number) {
    let size = 16;
    while (size < n * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    for (let i = 0; i < n; i++) {
      const hi = idHalf(ids, i * 8), lo = idHalf(ids, i * 8 + 4);
      let h = this.hash(hi, lo);
      let at: number;
      while ((at = this.slots[h]) >= 0 && !this.holds(at, hi, lo)) h = (h + 1) & this.mask;
      if (at < 0) this.slots[h] = i;
    }
  }

  /** The index of the span whose id is (`hi`, `lo`) (see `idHalf`), or -1. */
  find(hi: number, lo: number): number {
    let h = this.hash(hi, lo);
    let at: number;
    while ((at = this.slots[h]) >= 0) {
      if (this.holds(at, hi, lo)) return at;
      h = (h + 1) & this.mask;
    }
    return -1;
  }

  /** The index of the span with this id (16 hex digits, any case), or -1. */
  findHex(spanId: string): number {
    if (!/^[0-9a-fA-F]{16}$/.test(spanId)) return -1;
    return this.find(parseInt(spanId.slice(0, 8), 16), parseInt(spanId.slice(8), 16));
  }

  private holds(i: number, hi: number, lo: number): boolean {
    return idHalf(this.ids, i * 8) === hi && idHalf(this.ids, i * 8 + 4) === lo;
  }

  private hash(hi: number, lo: number): number {
    // Murmur3's finalizer: ids from counters differ only in a few bits.
    let h = lo ^ Math.imul(hi, 0x9e3779b1);
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) & this.mask;
  }
}

/** Four id bytes at `at` as an unsigned 32-bit number, big-endian. */
export function idHalf(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}
