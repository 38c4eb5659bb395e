// A metric series made chartable: gauges and up-down sums as their values, monotonic sums
// as per-second rates (resets handled), histograms (explicit and exponential) as p50/p90/
// p99 lines from the buckets recorded in each interval, summaries as their reported
// quantiles, and exemplars as points that carry their trace id.

import type { MetricChart, MetricExemplar } from '../../protocol/api.ts';
import type { Exemplar } from '../../protocol/otlp.ts';
import type { MetricSeries, StoredPoint } from '../store/metricStore.ts';

const CUMULATIVE = 2;
const PERCENTILES = [0.5, 0.9, 0.99];

export function chartOf(s: MetricSeries, points: StoredPoint[]): MetricChart {
  const times = points.map((p) => String(p.timeUnixNano ?? '0'));
  const exemplars = points.flatMap((p) => ((p.exemplars as Exemplar[] | undefined) ?? []).map(exemplarOf).filter((e): e is MetricExemplar => e !== undefined));
  switch (s.kind) {
    case 'gauge':
      return { mode: 'value', unit: s.unit, times, lines: [{ name: 'value', values: points.map(numberOf) }], exemplars };
    case 'sum':
      if (!s.isMonotonic) return { mode: 'value', unit: s.unit, times, lines: [{ name: 'value', values: points.map(numberOf) }], exemplars };
      return { mode: 'rate', unit: s.unit ? `${s.unit}/s` : '/s', times, lines: [{ name: 'rate', values: rates(points, s.aggregationTemporality, numberOf) }], exemplars };
    case 'histogram':
    case 'exponentialHistogram': {
      const distributions = intervals(points, s.aggregationTemporality, s.kind === 'histogram' ? explicitBuckets : exponentialBuckets);
      return {
        mode: 'percentiles', unit: s.unit, times, exemplars,
        lines: [
          ...PERCENTILES.map((q) => ({ name: `p${q * 100}`, values: distributions.map((d) => (d ? percentile(d, q) : null)) })),
          { name: 'count/s', values: rates(points, s.aggregationTemporality, (p) => Number(p.count ?? 0)) },
        ],
      };
    }
    case 'summary': {
      const quantiles = [...new Set(points.flatMap((p) => ((p.quantileValues as { quantile?: number }[] | undefined) ?? []).map((v) => v.quantile ?? 0)))].sort((a, b) => a - b);
      return {
        mode: 'quantiles', unit: s.unit, times, exemplars,
        lines: quantiles.map((q) => ({
          name: `q${q}`,
          values: points.map((p) => ((p.quantileValues as { quantile?: number; value?: number }[] | undefined) ?? []).find((v) => (v.quantile ?? 0) === q)?.value ?? null),
        })),
      };
    }
  }
}

function numberOf(p: StoredPoint): number | null {
  if (typeof p.asDouble === 'number') return p.asDouble;
  if (typeof p.asInt === 'string') return Number(p.asInt);
  return null;
}

function exemplarOf(e: Exemplar): MetricExemplar | undefined {
  if (!e.traceId) return undefined;
  return { time: e.timeUnixNano ?? '0', value: e.asDouble ?? Number(e.asInt ?? 0), traceId: e.traceId, spanId: e.spanId ?? '' };
}

/** Per-second rates of a counter; a value that went down (a restart) counts from zero. */
function rates(points: StoredPoint[], temporality: number, value: (p: StoredPoint) => number | null): (number | null)[] {
  return points.map((p, i) => {
    const v = value(p);
    if (v === null) return null;
    const t = Number(p.timeUnixNano ?? 0);
    const start = Number(p.startTimeUnixNano ?? 0);
    const prev = i > 0 ? points[i - 1] : undefined;
    if (temporality === CUMULATIVE && prev && prev.startTimeUnixNano === p.startTimeUnixNano) {
      const pv = value(prev);
      const dt = (t - Number(prev.timeUnixNano ?? 0)) / 1e9;
      if (pv !== null && dt > 0) return v >= pv ? (v - pv) / dt : v / dt;
    }
    const dt = (t - start) / 1e9;
    return start > 0 && dt > 0 ? v / dt : null;
  });
}

/** Buckets as [lower, upper, count], ascending. */
type Distribution = [number, number, number][];

/** Each point's distribution over its own interval: a cumulative point minus the one before (unless it reset). */
function intervals(points: StoredPoint[], temporality: number, bucketsOf: (p: StoredPoint) => Distribution): (Distribution | null)[] {
  return points.map((p, i) => {
    const now = bucketsOf(p);
    const prev = i > 0 ? points[i - 1] : undefined;
    if (temporality !== CUMULATIVE || !prev || prev.startTimeUnixNano !== p.startTimeUnixNano) return total(now) ? now : null;
    const before = new Map(bucketsOf(prev).map(([lo, hi, c]) => [`${lo},${hi}`, c]));
    const diff: Distribution = now.map(([lo, hi, c]) => [lo, hi, c - (before.get(`${lo},${hi}`) ?? 0)]);
    // A bucket that went down means the counters restarted: the point counts from zero.
    const d = diff.some(([, , c]) => c < 0) ? now : diff;
    return total(d) ? d : null;
  });
}

function total(d: Distribution): number {
  let n = 0;
  for (const b of d) n += b[2];
  return n;
}

function explicitBuckets(p: StoredPoint): Distribution {
  const counts = ((p.bucketCounts as string[] | undefined) ?? []).map(Number);
  const bounds = (p.explicitBounds as number[] | undefined) ?? [];
  const min = typeof p.min === 'number' ? p.min : undefined;
  const max = typeof p.max === 'number' ? p.max : undefined;
  return counts.map((c, i) => {
    const lo = i === 0 ? Math.min(min ?? 0, bounds[0] ?? 0) : bounds[i - 1];
    const hi = i < bounds.length ? bounds[i] : Math.max(max ?? bounds[bounds.length - 1] ?? 0, bounds[bounds.length - 1] ?? 0);
    return [lo, hi, c];
  });
}

function exponentialBuckets(p: StoredPoint): Distribution {
  const base = Math.pow(2, Math.pow(2, -Number(p.scale ?? 0)));
  const out: Distribution = [];
  const negative = p.negative as { offset?: number; bucketCounts?: string[] } | undefined;
  const negCounts = (negative?.bucketCounts ?? []).map(Number);
  for (let k = negCounts.length - 1; k >= 0; k--) {
    const index = (negative?.offset ?? 0) + k;
    out.push([-Math.pow(base, index + 1), -Math.pow(base, index), negCounts[k]]);
  }
  const zero = Number(p.zeroCount ?? 0);
  if (zero) out.push([0, 0, zero]);
  const positive = p.positive as { offset?: number; bucketCounts?: string[] } | undefined;
  (positive?.bucketCounts ?? []).forEach((c, k) => {
    const index = (positive?.offset ?? 0) + k;
    out.push([Math.pow(base, index), Math.pow(base, index + 1), Number(c)]);
  });
  return out;
}

/** The value at quantile q, interpolated linearly inside the bucket it falls in. */
export function percentile(d: Distribution, q: number): number | null {
  const n = total(d);
  if (n === 0) return null;
  const rank = q * n;
  let seen = 0;
  for (const [lo, hi, c] of d) {
    if (c <= 0) continue;
    if (seen + c >= rank) return lo + (hi - lo) * Math.max(0, Math.min(1, (rank - seen) / c));
    seen += c;
  }
  return d[d.length - 1][1];
}
