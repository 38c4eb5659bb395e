// Randomness with a shape: the latencies and failures that make the demo's telemetry
// look like a real service's.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let random = Math.random;

/**
 * From here on the simulation draws from a fixed sequence: a test can replay one request
 * on a normal and on a DEMO_SLOW service with the same luck, so only the slowness differs.
 */
export function seedSimulation(seed: number): void {
  // mulberry32: small, and good enough for latencies.
  let state = seed >>> 0;
  random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function chance(probability: number): boolean {
  return random() < probability;
}

/** Mostly near `typicalMs`, with the long right tail real latencies have. */
export function latencyMs(typicalMs: number): number {
  const u = 1 - random();
  return typicalMs * Math.exp(0.5 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()));
}

export function between(min: number, max: number): number {
  return min + random() * (max - min);
}
