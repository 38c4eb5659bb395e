// Randomness with a shape: the latencies and failures that make the demo's telemetry
// look like a real service's.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function chance(probability: number): boolean {
  return Math.random() < probability;
}

/** Mostly near `typicalMs`, with the long right tail real latencies have. */
export function latencyMs(typicalMs: number): number {
  const u = 1 - Math.random();
  return typicalMs * Math.exp(0.5 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random()));
}

export function between(min: number, max: number): number {
  return min + Math.random() * (max - min);
}
