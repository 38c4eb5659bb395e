// Seeded damage for fuzz tests: truncation, corrupted bytes, flipped bits, spliced slices
// and garbage, so every decoder is tried the same way and a failure reproduces.

/** mulberry32: a tiny seeded PRNG. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mutate(valid: Buffer, rand: () => number): Buffer {
  const bytes = Buffer.from(valid);
  const int = (n: number) => Math.floor(rand() * n);
  switch (int(5)) {
    case 0: return bytes.subarray(0, int(bytes.length)); // truncate
    case 1: for (let i = 0, n = 1 + int(4); i < n; i++) bytes[int(bytes.length)] = int(256); return bytes; // corrupt
    case 2: { // flip one bit, often in a length or tag
      const at = int(bytes.length);
      bytes[at] ^= 1 << int(8);
      return bytes;
    }
    case 3: { // splice a slice of itself elsewhere
      const from = int(bytes.length);
      const slice = bytes.subarray(from, from + int(32));
      const at = int(bytes.length);
      return Buffer.concat([bytes.subarray(0, at), slice, bytes.subarray(at)]);
    }
    default: return Buffer.from(Array.from({ length: int(200) }, () => int(256))); // garbage
  }
}
