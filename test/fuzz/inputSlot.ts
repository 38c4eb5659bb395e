// The input a fuzz worker is decoding, in memory shared with the parent thread: when a
// decoder never returns, the worker cannot say what it was given, but the parent can
// still read it here and save it for reproduction.

const BUSY = 0;
const LENGTH = 1;
const WHERE_LENGTH = 2;
/** Int32 slots, then the start time as a Float64 at byte 16. */
const HEADER_BYTES = 32;
const WHERE_BYTES = 512;

export interface CurrentInput {
  where: string;
  /** The input, or its first `capacity` bytes when longer (`truncated`). */
  input: Buffer;
  truncated: boolean;
  busyMs: number;
}

export class InputSlot {
  private readonly ints: Int32Array;
  private readonly started: Float64Array;
  private readonly whereBytes: Uint8Array;
  private readonly inputBytes: Uint8Array;

  constructor(readonly shared: SharedArrayBuffer) {
    this.ints = new Int32Array(shared, 0, 4);
    this.started = new Float64Array(shared, 16, 1);
    this.whereBytes = new Uint8Array(shared, HEADER_BYTES, WHERE_BYTES);
    this.inputBytes = new Uint8Array(shared, HEADER_BYTES + WHERE_BYTES);
  }

  /** Room for inputs of up to `capacity` bytes; longer ones keep their start. */
  static create(capacity: number): InputSlot {
    return new InputSlot(new SharedArrayBuffer(HEADER_BYTES + WHERE_BYTES + capacity));
  }

  /** The worker, before it decodes `input`. */
  begin(input: Buffer, where: string): void {
    const name = Buffer.from(where).subarray(0, WHERE_BYTES);
    this.whereBytes.set(name);
    Atomics.store(this.ints, WHERE_LENGTH, name.length);
    this.inputBytes.set(input.subarray(0, this.inputBytes.length));
    Atomics.store(this.ints, LENGTH, input.length);
    this.started[0] = Date.now();
    Atomics.store(this.ints, BUSY, 1);
  }

  /** The worker, between inputs and when it is done. */
  idle(): void {
    Atomics.store(this.ints, BUSY, 0);
  }

  /** The parent: what the worker is decoding now, if anything. */
  current(): CurrentInput | undefined {
    if (Atomics.load(this.ints, BUSY) !== 1) return undefined;
    const length = Atomics.load(this.ints, LENGTH);
    const kept = Math.min(length, this.inputBytes.length);
    return {
      where: Buffer.from(this.whereBytes.subarray(0, Atomics.load(this.ints, WHERE_LENGTH))).toString(),
      input: Buffer.from(this.inputBytes.subarray(0, kept)),
      truncated: kept < length,
      busyMs: Date.now() - this.started[0],
    };
  }
}
