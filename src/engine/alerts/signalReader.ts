// What alert rules read: a route's golden signals over a window (from spans when the
// service has them, else from its request metrics) and a metric's values reduced to one
// number. One reader serves one evaluation round and remembers what it read, so a
// thousand rules on the same routes merge each window once.

import type { AlertReduce } from '../../protocol/alerts.ts';
import type { SignalFigures } from '../../protocol/api.ts';
import { chartOf } from '../query/metricChart.ts';
import { figuresOf, metricTotals } from '../signals/fromMetrics/metricFigures.ts';
import type { MetricSignals } from '../signals/fromMetrics/metricSignals.ts';
import { LatencySketch } from '../signals/latencySketch.ts';
import { TIERS, type SignalSeries, type SignalStore } from '../signals/signalStore.ts';
import { seriesPoints, type MetricStore } from '../store/metricStore.ts';

const NS = 1e9;

/** A route's buckets [first, last] of one tier, merged. */
interface Merged {
  first: number;
  last: number;
  requests: number;
  errors: number;
  sketch: LatencySketch;
}

export interface RouteRef {
  service: string;
  route: string | null;
  source: 'spans' | 'metrics';
}

export class SignalReader {
  private readonly cache = new Map<string, SignalFigures | null>();
  private readonly merged = new Map<SignalSeries, Map<number, Merged>>();

  constructor(private readonly spans: SignalStore, private readonly metricSignals: MetricSignals, private readonly metrics: MetricStore) {}

  /** Every route of every service, from the source that wins for it. */
  routes(): RouteRef[] {
    const out: RouteRef[] = [];
    for (const service of this.spans.serviceNames()) {
      for (const s of this.spans.seriesOf(service)) if (s.route !== null) out.push({ service, route: s.route, source: 'spans' });
    }
    for (const service of this.metricSignals.serviceSources().keys()) {
      if (this.spans.seriesOf(service).length) continue;
      const source = this.metricSignals.preferredSource(service)!;
      for (const r of this.metricSignals.routesOfService(service, source)) if (r.route !== null) out.push({ service, route: r.route, source: 'metrics' });
    }
    return out;
  }

  sourceOf(service: string): 'spans' | 'metrics' {
    return this.spans.seriesOf(service).length || !this.metricSignals.preferredSource(service) ? 'spans' : 'metrics';
  }

  /** The route's figures over [startNs, endNs); null when nothing is known of it. */
  figures(service: string, route: string | null, startNs: number, endNs: number): SignalFigures | null {
    const key = `${service}\u0000${route ?? ''}\u0000${startNs}\u0000${endNs}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    let out: SignalFigures | null = null;
    const series = this.spans.find(service, route);
    if (series) out = this.spanFigures(series, startNs, endNs);
    else if (!this.spans.seriesOf(service).length) {
      const source = this.metricSignals.preferredSource(service);
      const r = source && this.metricSignals.find(service, source, route);
      if (r) out = figuresOf(metricTotals(r, startNs, endNs, this.metricSignals.newestNs), (endNs - startNs) / NS);
    }
    this.cache.set(key, out);
    return out;
  }

  /** A metric's values of one service over the window, reduced to one number; null without values. */
  metric(name: string, service: string, reduce: AlertReduce, startNs: number, endNs: number): number | null {
    const values: number[] = [];
    for (const s of this.metrics.all()) {
      if (s.name !== name || this.metrics.services.values[s.serviceId] !== service) continue;
      // One point before the window too: rates and histogram intervals need the previous point.
      const all = seriesPoints(s);
      const from = all.findIndex((p) => Number(p.timeUnixNano ?? 0) >= startNs);
      if (from < 0) continue;
      const points = all.slice(Math.max(0, from - 1)).filter((p) => Number(p.timeUnixNano ?? 0) < endNs);
      const chart = chartOf(s, points);
      const wanted = reduce.startsWith('p') ? chart.lines.find((l) => l.name === reduce) : reduce === 'rate' ? chart.lines.find((l) => l.name === 'rate' || l.name === 'count/s') : undefined;
      const line = wanted ?? chart.lines[0];
      if (!line) continue;
      const inWindow = line.values.slice(from > 0 ? 1 : 0);
      for (const v of inWindow) if (v !== null && Number.isFinite(v)) values.push(v);
    }
    if (!values.length) return null;
    switch (reduce) {
      case 'last': return values[values.length - 1];
      case 'min': return Math.min(...values);
      case 'max': return Math.max(...values);
      case 'sum': return values.reduce((a, b) => a + b, 0);
      default: return values.reduce((a, b) => a + b, 0) / values.length;
    }
  }

  private spanFigures(s: SignalSeries, startNs: number, endNs: number): SignalFigures {
    const lengthS = (endNs - startNs) / NS;
    // 10 s buckets for windows under ten minutes; longer ones need their edges no finer than a tenth.
    let tier = 0;
    for (let t = TIERS.length - 1; t > 0; t--) {
      if (TIERS[t].seconds * 10 <= lengthS && startNs >= this.spans.newestNs - TIERS[t].keepSeconds * NS) { tier = t; break; }
    }
    const width = TIERS[tier].seconds * NS;
    const first = Math.floor(startNs / width);
    const last = Math.ceil(endNs / width) - 1;
    const buckets = s.tiers[tier];
    // Windows that end together (every rule of a round ends now) nest: asked shortest
    // first, each one extends the previous merge backwards instead of merging again.
    let tiers = this.merged.get(s);
    if (!tiers) this.merged.set(s, tiers = new Map());
    let m = tiers.get(tier);
    if (!m || m.last !== last || m.first < first) {
      m = { first: last + 1, last, requests: 0, errors: 0, sketch: m?.sketch ?? new LatencySketch() };
      m.sketch.reset();
      tiers.set(tier, m);
    }
    for (let i = m.first - 1; i >= first; i--) {
      const b = buckets.get(i);
      if (!b) continue;
      m.requests += b.requests;
      m.errors += b.errors;
      m.sketch.merge(b.sketch);
    }
    m.first = Math.min(m.first, first);
    const { requests, errors, sketch } = m;
    const [p50, p90, p95, p99] = sketch.quantiles([0.5, 0.9, 0.95, 0.99]);
    const ms = (ns: number) => (Number.isNaN(ns) ? null : Math.round(ns / 1e3) / 1e3);
    return { requests, errors, errorRate: requests ? errors / requests : 0, requestsPerSecond: requests / Math.max(1e-9, lengthS), p50Ms: ms(p50), p90Ms: ms(p90), p95Ms: ms(p95), p99Ms: ms(p99) };
  }
}
