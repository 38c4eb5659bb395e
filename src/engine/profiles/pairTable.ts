// An open-addressing hash table from a pair of small non-negative integers to an index,
// for the stack prefix tree: (parent stack + 1, frame) → stack. A Map keyed by a
// combined double was the decoders' hot spot on large profiles (tens of millions of
// lookups); typed arrays with a multiplicative hash are several times faster.

const EMPTY = -1;

export class PairTable {
  private keyA: Int32Array;
  private keyB: Int32Array;
  private value: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.keyA = new Int32Array(n).fill(EMPTY);
    this.keyB = new Int32Array(n);
    this.value = new Int32Array(n);
    this.mask = n - 1;
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    let slot = hash(a, b) & this.mask;
    while (true) {
      const ka = this.keyA[slot];
      if (ka === EMPTY) return -1;
      if (ka === a && this.keyB[slot] === b) return this.value[slot];
      slot = (slot + 1) & this.mask;
    }
  }

  /** Stores `value` for (a, b), which must not be present yet. */
  set(a: number, b: number, value: number): void {
    if ((this.size + 1) * 2 > this.keyA.length) this.grow();
    this.put(a, b, value);
    this.size++;
  }

  private put(a: number, b: number, value: number): void {
    let slot = hash(a, b) & this.mask;
    while (this.keyA[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    this.keyA[slot] = a;
    this.keyB[slot] = b;
    this.value[slot] = value;
  }

  private grow(): void {
    const { keyA, keyB, value } = this;
    this.keyA = new Int32Array(keyA.length * 2).fill(EMPTY);
    this.keyB = new Int32Array(keyA.length * 2);
    this.value = new Int32Array(keyA.length * 2);
    this.mask = this.keyA.length - 1;
    for (let i = 0; i < keyA.length; i++) if (keyA[i] !== EMPTY) this.put(keyA[i], keyB[i], value[i]);
  }
}

function hash(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}
