// A hash map from a pair of small non-negative integers to an index, in typed arrays
// (open addressing, linear probing): the call tree asks it once per stack, so a
// million-stack profile must not allocate a key per lookup as a Map of strings would.

export class PairIndex {
  private a: Int32Array;
  private b: Int32Array;
  private value: Int32Array;
  private mask: number;
  private used = 0;

  constructor(expected = 1024) {
    let size = 1024;
    while (size < expected * 2) size *= 2;
    this.a = new Int32Array(size).fill(-1);
    this.b = new Int32Array(size);
    this.value = new Int32Array(size);
    this.mask = size - 1;
  }

  /** The index stored for (a, b), or -1. */
  get(a: number, b: number): number {
    for (let i = this.slot(a, b); ; i = (i + 1) & this.mask) {
      const k = this.a[i];
      if (k === -1) return -1;
      if (k === a && this.b[i] === b) return this.value[i];
    }
  }

  set(a: number, b: number, value: number): void {
    if ((this.used + 1) * 2 > this.a.length) this.grow();
    for (let i = this.slot(a, b); ; i = (i + 1) & this.mask) {
      const k = this.a[i];
      if (k === -1) {
        this.a[i] = a; this.b[i] = b; this.value[i] = value;
        this.used++;
        return;
      }
      if (k === a && this.b[i] === b) { this.value[i] = value; return; }
    }
  }

  private slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x632be5ab, 0x85ebca77)) & this.mask;
  }

  private grow(): void {
    const { a, b, value } = this;
    this.a = new Int32Array(a.length * 2).fill(-1);
    this.b = new Int32Array(a.length * 2);
    this.value = new Int32Array(a.length * 2);
    this.mask = this.a.length - 1;
    this.used = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== -1) this.set(a[i], b[i], value[i]);
  }
}
