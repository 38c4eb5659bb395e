// Typed-array columns that grow by doubling: a decoder appends millions of numbers per
// profile, and JS number arrays cost a boxed slot each and garbage to grow. `view()`
// hands the filled part out without copying when it is most of the buffer.

type TypedArray = Uint8Array | Int32Array | Uint32Array | Float64Array;
type TypedArrayOf<T extends TypedArray> = { new (length: number): T; new (buffer: ArrayBuffer, byteOffset: number, length: number): T };

export class GrowableArray<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(private readonly Type: TypedArrayOf<T>, capacity = 1024) {
    this.data = new Type(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i];
  }

  /** Room for `n` more values, so a caller can write them with `pushUnchecked`. */
  reserve(n: number): void {
    if (this.length + n > this.data.length) this.grow(this.length + n);
  }

  pushUnchecked(v: number): void {
    this.data[this.length++] = v;
  }

  /** Appends all of `values`: taken over without a copy while this array is empty. */
  append(values: T): void {
    if (this.length === 0 && values.length > this.data.length) {
      this.data = values;
      this.length = values.length;
      return;
    }
    this.reserve(values.length);
    this.data.set(values, this.length);
    this.length += values.length;
  }

  /** Appends `v` `count` times. */
  appendRepeated(v: number, count: number): void {
    this.reserve(count);
    this.data.fill(v, this.length, this.length + count);
    this.length += count;
  }

  /** The values so far: a view when little space would be wasted, else a tight copy. */
  view(): T {
    if (this.length * 4 >= this.data.length * 3) return this.data.subarray(0, this.length) as T;
    return this.data.slice(0, this.length) as T;
  }

  private grow(needed: number): void {
    let size = this.data.length * 2;
    while (size < needed) size *= 2;
    const next = new this.Type(size);
    next.set(this.data);
    this.data = next;
  }
}
