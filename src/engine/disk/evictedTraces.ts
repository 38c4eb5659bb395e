// Trace ids that memory evicted lately, kept as two generations of a Bloom filter. A
// trace that receives spans after its first ones were evicted is split between the tiers;
// this is how a query knows to gather it from both. A false positive costs a look at the
// segment indexes; a trace evicted more than two generations ago is no longer seen as split.

const BITS = 1 << 24;
const PROBES = 7;
/** About a million traces per generation, at 16 bits each: about 0.05 % false positives. */
const CAPACITY = BITS / 16;

export class EvictedTraces {
  private current: Uint32Array | undefined;
  private previous: Uint32Array | undefined;
  private count = 0;

  add(hash: number): void {
    if (!this.current || this.count >= CAPACITY) {
      this.previous = this.current;
      this.current = new Uint32Array(BITS / 32);
      this.count = 0;
    }
    const bits = this.current;
    const step = stepOf(hash);
    for (let i = 0, bit = hash; i < PROBES; i++, bit = (bit + step) >>> 0) bits[(bit & (BITS - 1)) >>> 5] |= 1 << (bit & 31);
    this.count++;
  }

  mayHold(hash: number): boolean {
    return holds(this.current, hash) || holds(this.previous, hash);
  }

  clear(): void {
    this.current = this.previous = undefined;
    this.count = 0;
  }
}

function stepOf(hash: number): number {
  return (Math.imul(hash, 0x9e3779b1) >>> 0) | 1;
}

function holds(bits: Uint32Array | undefined, hash: number): boolean {
  if (!bits) return false;
  const step = stepOf(hash);
  for (let i = 0, bit = hash; i < PROBES; i++, bit = (bit + step) >>> 0) {
    if (!(bits[(bit & (BITS - 1)) >>> 5] & (1 << (bit & 31)))) return false;
  }
  return true;
}
