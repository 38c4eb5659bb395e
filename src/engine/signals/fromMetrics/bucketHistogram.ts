// Request latency as a metric histogram holds it: counts per bucket, no samples. Explicit
// buckets are keyed by their upper bound (ms); exponential ones by index at one scale,
// merged by lowering the finer scale. A percentile is interpolated inside the bucket it
// falls in, and that bucket's bounds are its resolution: the true value lies between them.

export interface Percentile {
  /** Milliseconds. */
  value: number;
  /** The bucket it falls in (ms); `upper` is Infinity in an overflow bucket. */
  lower: number;
  upper: number;
}

export type HistogramKind = 'explicit' | 'exponential';

export class BucketHistogram {
  count = 0;
  /** explicit: upper bound (ms, Infinity for the overflow bucket) → count. */
  private readonly explicit = new Map<number, number>();
  /** exponential: bucket index at `scale` → count (positive values only; latencies are not negative). */
  private readonly exponential = new Map<number, number>();
  private scale = 20;
  private zeroCount = 0;
  /** exponential: milliseconds per unit of the recorded values. */
  private msPerUnit = 1;

  constructor(readonly kind: HistogramKind) {}

  /** Counts of explicit buckets: `bounds` are the finite upper bounds, `counts` one longer. */
  addExplicit(boundsMs: readonly number[], counts: readonly number[]): void {
    // Empty buckets are kept too: their bounds are the lower bounds of the next ones.
    for (let i = 0; i <= boundsMs.length; i++) {
      const c = counts[i] > 0 ? counts[i] : 0;
      const upper = i < boundsMs.length ? boundsMs[i] : Infinity;
      this.explicit.set(upper, (this.explicit.get(upper) ?? 0) + c);
      this.count += c;
    }
  }

  /** Counts of exponential buckets: bucket `offset + k` holds (base^i, base^(i+1)], base = 2^(2^-scale). */
  addExponential(scale: number, offset: number, counts: readonly number[], zeroCount: number, msPerUnit: number): void {
    if (this.count === 0) {
      this.scale = scale;
      this.msPerUnit = msPerUnit;
    }
    if (scale < this.scale) this.downscale(scale);
    const shift = scale - this.scale;
    for (let k = 0; k < counts.length; k++) {
      const c = counts[k];
      if (!(c > 0)) continue;
      const index = (offset + k) >> shift;
      this.exponential.set(index, (this.exponential.get(index) ?? 0) + c);
      this.count += c;
    }
    this.zeroCount += zeroCount;
    this.count += zeroCount;
  }

  merge(other: BucketHistogram): void {
    if (other.count === 0) return;
    for (const [upper, c] of other.explicit) this.explicit.set(upper, (this.explicit.get(upper) ?? 0) + c);
    if (other.exponential.size || other.zeroCount) {
      const counts = [...other.exponential];
      const min = Math.min(...counts.map(([i]) => i));
      const dense: number[] = [];
      for (const [i, c] of counts) dense[i - min] = c;
      // addExponential counts the zero bucket and the rest; the explicit part is counted here.
      this.addExponential(other.scale, counts.length ? min : 0, dense, other.zeroCount, other.msPerUnit);
      this.count += other.count - other.zeroCount - counts.reduce((n, [, c]) => n + c, 0);
    } else {
      this.count += other.count;
    }
  }

  /** The value at quantile q (0–1) with the bucket it falls in; undefined when empty. */
  percentile(q: number): Percentile | undefined {
    if (this.count === 0) return undefined;
    const rank = q * this.count;
    return this.kind === 'explicit' ? this.explicitPercentile(rank) : this.exponentialPercentile(rank);
  }

  /** The relative width of an exponential bucket (base − 1); undefined for explicit buckets. */
  get relativeResolution(): number | undefined {
    return this.kind === 'exponential' ? Math.pow(2, Math.pow(2, -this.scale)) - 1 : undefined;
  }

  private explicitPercentile(rank: number): Percentile {
    const uppers = [...this.explicit.keys()].sort((a, b) => a - b);
    let seen = 0;
    let lower = 0;
    for (const upper of uppers) {
      const c = this.explicit.get(upper)!;
      if (c > 0 && seen + c >= rank) {
        // The overflow bucket has no upper bound: its lower bound is the most that can be said.
        if (upper === Infinity) return { value: lower, lower, upper };
        const from = Math.min(lower, upper);
        return { value: from + (upper - from) * Math.max(0, Math.min(1, (rank - seen) / c)), lower: from, upper };
      }
      seen += c;
      lower = upper;
    }
    return { value: lower, lower, upper: Infinity };
  }

  private exponentialPercentile(rank: number): Percentile {
    if (rank <= this.zeroCount) return { value: 0, lower: 0, upper: 0 };
    const base = Math.pow(2, Math.pow(2, -this.scale));
    const indexes = [...this.exponential.keys()].sort((a, b) => a - b);
    let seen = this.zeroCount;
    for (const i of indexes) {
      const c = this.exponential.get(i)!;
      const lower = Math.pow(base, i) * this.msPerUnit;
      const upper = Math.pow(base, i + 1) * this.msPerUnit;
      if (seen + c >= rank) return { value: lower + (upper - lower) * Math.max(0, Math.min(1, (rank - seen) / c)), lower, upper };
      seen += c;
    }
    const last = indexes[indexes.length - 1] ?? 0;
    const upper = Math.pow(base, last + 1) * this.msPerUnit;
    return { value: upper, lower: upper, upper };
  }

  private downscale(scale: number): void {
    const shift = this.scale - scale;
    const old = [...this.exponential];
    this.exponential.clear();
    for (const [i, c] of old) {
      const index = i >> shift;
      this.exponential.set(index, (this.exponential.get(index) ?? 0) + c);
    }
    this.scale = scale;
  }
}
