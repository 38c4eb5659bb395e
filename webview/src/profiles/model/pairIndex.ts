// A hash map from a pair of small non-negative integers to an index, in one typed array
// (open addressing, linear probing): the call tree asks it once per stack, so a
// million-stack profile must not allocate a key per lookup as a Map of strings would.
// Each slot's key and value sit together (a, b, value, unused: 16 bytes, four to a cache
// line), so a lookup in a table far larger than the cache costs one memory miss, not one
// per array; `getOrSet` probes once where a get and then a set would probe twice.

const STRIDE = 4;

export class PairIndex {
  /** Per slot: a + 1 (0 when empty, so a new table needs no filling), b, value. */
  private slots: Int32Array;
  private mask: number;
  private used = 0;

  constructor(expected = 1024) {
    let size = 1024;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(size * STRIDE);
    this.mask = size - 1;
  }

  /** The index stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const at = this.find(a, b);
    return this.slots[at] === 0 ? -1 : this.slots[at + 2];
  }

  set(a: number, b: number, value: number): void {
    const at = this.find(a, b);
    if (this.slots[at] === 0) this.insert(at, a, b, value);
    else this.slots[at + 2] = value;
  }

  /** The index stored for (a, b); if none, stores `value` and returns -1. */
  getOrSet(a: number, b: number, value: number): number {
    const at = this.find(a, b);
    if (this.slots[at] !== 0) return this.slots[at + 2];
    this.insert(at, a, b, value);
    return -1;
  }

  /** Offset of (a, b)'s slot, or of the empty slot it would take. */
  private find(a: number, b: number): number {
    const t = this.slots;
    const key = a + 1;
    for (let i = this.slot(a, b); ; i = (i + 1) & this.mask) {
      const k = t[i * STRIDE];
      if (k === 0 || (k === key && t[i * STRIDE + 1] === b)) return i * STRIDE;
    }
  }

  private insert(at: number, a: number, b: number, value: number): void {
    const t = this.slots;
    t[at] = a + 1; t[at + 1] = b; t[at + 2] = value;
    if (++this.used * 2 > this.mask + 1) this.grow();
  }

  private slot(a: number, b: number): number {
    // Mixed up to the top bits and back down: the low bits of a product depend only on
    // the low bits of its factors, so taking them straight clusters regular keys (such
    // as consecutive pairs) and their probes run long.
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
    return (h ^ (h >>> 15)) & this.mask;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array((this.mask + 1) * 2 * STRIDE);
    this.mask = this.mask * 2 + 1;
    for (let i = 0; i < old.length; i += STRIDE) {
      if (old[i] === 0) continue;
      const at = this.find(old[i] - 1, old[i + 1]);
      this.slots[at] = old[i]; this.slots[at + 1] = old[i + 1]; this.slots[at + 2] = old[i + 2];
    }
  }
}
