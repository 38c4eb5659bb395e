// A metrics-derived route's figures over a window or a step: requests and errors from the
// source its metrics can answer best (a latency histogram counts every request; without
// one, a request counter; errors from a status attribute, else an error counter), and
// percentiles from the merged histogram buckets with the bucket each one fell in.

import type { LatencyResolution, SignalFigures, SignalPoint } from '../../../protocol/api.ts';
import { TIERS } from '../signalStore.ts';
import { BucketHistogram } from './bucketHistogram.ts';
import type { MetricBucket, MetricRoute } from './metricSignals.ts';

const NS = 1e9;

export interface MetricTotals {
  requests: number;
  errors: number;
  latency: BucketHistogram | undefined;
}

/** Merges the buckets [firstIndex, lastIndex] of one tier. */
export function mergeBuckets(r: MetricRoute, tier: number, firstIndex: number, lastIndex: number): MetricTotals {
  const m = { latencyRequests: 0, latencyErrors: 0, counterRequests: 0, counterErrors: 0, errorCounter: 0 };
  let latency: BucketHistogram | undefined;
  const buckets = r.tiers[tier];
  const take = (b: MetricBucket) => {
    m.latencyRequests += b.latencyRequests;
    m.latencyErrors += b.latencyErrors;
    m.counterRequests += b.counterRequests;
    m.counterErrors += b.counterErrors;
    m.errorCounter += b.errorCounter;
    if (b.latency) (latency ??= new BucketHistogram(b.latency.kind)).merge(b.latency);
  };
  if (lastIndex - firstIndex + 1 <= buckets.size) {
    for (let i = firstIndex; i <= lastIndex; i++) {
      const b = buckets.get(i);
      if (b) take(b);
    }
  } else {
    for (const [i, b] of buckets) if (i >= firstIndex && i <= lastIndex) take(b);
  }
  const f = r.facts;
  const requests = f.latency ? m.latencyRequests : m.counterRequests;
  const errors = f.latency && f.latencyStatus ? m.latencyErrors : f.counterStatus ? m.counterErrors : m.errorCounter;
  return { requests, errors: Math.min(errors, requests || errors), latency };
}

/** The route's totals over [startNs, endNs), from the coarsest tier that still resolves the window's edges. */
export function metricTotals(r: MetricRoute, startNs: number, endNs: number, newestNs: number): MetricTotals {
  const lengthS = (endNs - startNs) / NS;
  let tier = 0;
  for (let t = TIERS.length - 1; t > 0; t--) {
    if (TIERS[t].seconds * 30 <= lengthS && startNs >= newestNs - TIERS[t].keepSeconds * NS) { tier = t; break; }
  }
  const width = TIERS[tier].seconds * NS;
  return mergeBuckets(r, tier, Math.floor(startNs / width), Math.ceil(endNs / width) - 1);
}

export function figuresOf(t: MetricTotals, seconds: number): SignalFigures {
  const p = (q: number) => round(t.latency?.percentile(q)?.value);
  return {
    requests: t.requests,
    errors: t.errors,
    errorRate: t.requests ? t.errors / t.requests : 0,
    requestsPerSecond: t.requests / Math.max(1e-9, seconds),
    p50Ms: p(0.5), p90Ms: p(0.9), p95Ms: p(0.95), p99Ms: p(0.99),
  };
}

export function pointOf(time: string, t: MetricTotals): SignalPoint {
  const p = (q: number) => round(t.latency?.percentile(q)?.value);
  return { time, requests: t.requests, errors: t.errors, p50Ms: p(0.5), p90Ms: p(0.9), p99Ms: p(0.99) };
}

export function resolutionOf(t: MetricTotals): LatencyResolution | undefined {
  const h = t.latency;
  if (!h) return undefined;
  const bucket = (q: number): [number, number | null] | undefined => {
    const p = h.percentile(q);
    return p && [round(p.lower)!, p.upper === Infinity ? null : round(p.upper)!];
  };
  return { buckets: h.kind, ...(h.relativeResolution !== undefined ? { relative: h.relativeResolution } : {}), p50Ms: bucket(0.5), p90Ms: bucket(0.9), p95Ms: bucket(0.95), p99Ms: bucket(0.99) };
}

function round(ms: number | undefined): number | null {
  return ms === undefined || !Number.isFinite(ms) ? null : Math.round(ms * 1000) / 1000;
}
