// Durations in log-spaced buckets, 2% wide, so a percentile is known to ±1% and a
// duration can be taken out again when its span is evicted (which a sample or a
// merge-only sketch cannot do). Sparse: an operation costs only the buckets it uses.

const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);

export class LatencyHistogram {
  private readonly buckets = new Map<number, number>();
  count = 0;

  add(durationNs: number, times = 1): void {
    const b = bucketOf(durationNs);
    const n = (this.buckets.get(b) ?? 0) + times;
    if (n === 0) this.buckets.delete(b);
    else this.buckets.set(b, n);
    this.count += times;
  }

  remove(durationNs: number): void {
    this.add(durationNs, -1);
  }

  /** Nearest-rank percentile in milliseconds (rounded to the microsecond), 0 when empty. */
  percentileMs(p: number): number {
    if (!this.count) return 0;
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (const k of keys) {
      seen += this.buckets.get(k)!;
      if (seen >= rank) return Math.round(valueOf(k) / 1e3) / 1e3;
    }
    return Math.round(valueOf(keys[keys.length - 1]) / 1e3) / 1e3;
  }

  get memoryBytes(): number {
    return 64 + this.buckets.size * 40;
  }
}

/** Bucket 0 holds durations under 1 ns; bucket k ≥ 1 holds (γ^(k-1), γ^k]. */
function bucketOf(ns: number): number {
  return ns < 1 ? 0 : Math.max(1, Math.ceil(Math.log(ns) / LOG_GAMMA));
}

/** The bucket's midpoint (in relative terms): within 1% of every duration in it. */
function valueOf(k: number): number {
  return k === 0 ? 0 : (2 * Math.pow(GAMMA, k)) / (GAMMA + 1);
}
