// Durations in log-spaced buckets, 2% wide, so a percentile is known to ±1% and a
// duration can be taken out again when its span is evicted (which a sample or a
// merge-only sketch cannot do). The counts cover only the range of buckets used.

const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);

export class LatencyHistogram {
  /** counts[k - first] is the count of bucket k. */
  private counts = new Uint32Array(0);
  private first = 0;
  count = 0;

  add(durationNs: number): void {
    const k = bucketOf(durationNs);
    if (k < this.first || k >= this.first + this.counts.length) this.cover(k);
    this.counts[k - this.first]++;
    this.count++;
  }

  remove(durationNs: number): void {
    const i = bucketOf(durationNs) - this.first;
    if (i < 0 || i >= this.counts.length || !this.counts[i]) return;
    this.counts[i]--;
    this.count--;
  }

  /** Nearest-rank percentile in milliseconds (rounded to the microsecond), 0 when empty. */
  percentileMs(p: number): number {
    if (!this.count) return 0;
    const rank = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    let i = 0;
    for (; i < this.counts.length - 1; i++) {
      seen += this.counts[i];
      if (seen >= rank) break;
    }
    return Math.round(valueOf(i + this.first) / 1e3) / 1e3;
  }

  get memoryBytes(): number {
    return 48 + this.counts.byteLength;
  }

  private cover(k: number): void {
    const from = this.counts.length ? Math.min(this.first, k) : k;
    const to = this.counts.length ? Math.max(this.first + this.counts.length, k + 1) : k + 1;
    const grown = new Uint32Array(to - from);
    if (this.counts.length) grown.set(this.counts, this.first - from);
    this.counts = grown;
    this.first = from;
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
