// Golden signals derived from request metrics, kept as metric points arrive: each point
// becomes the requests, errors and latency buckets of its own interval (a cumulative
// point minus the one before it; a counter that went down, or a new start time, means the
// app restarted and the point counts from zero, so rates are never negative), added per
// service, source and route into the same 10 s / 1 min / 10 min tiers as the span-derived
// signals.

import type { KeyValue } from '../../../protocol/otlp.ts';
import { valueText } from '../../../shared/plainValue.ts';
import { SCRAPE_SCOPE } from '../../scrape/promToOtlp.ts';
import type { MetricSeries, StoredPoint } from '../../store/metricStore.ts';
import { TIERS } from '../signalStore.ts';
import { BucketHistogram, type HistogramKind } from './bucketHistogram.ts';
import { RequestMetricNames, type RequestMetricMatch } from './requestMetricNames.ts';

export type MetricSignalSource = 'otlp-metrics' | 'scrape';

export interface MetricBucket {
  /** From latency histograms (or summaries' counts): every request, and those with an error status. */
  latencyRequests: number;
  latencyErrors: number;
  /** From request counters (`http_requests_total`). */
  counterRequests: number;
  counterErrors: number;
  /** From error counters (`http_errors_total`). */
  errorCounter: number;
  latency?: BucketHistogram;
}

/** What a route's metrics can tell, which decides where requests and errors are read from. */
export interface MetricRouteFacts {
  latency: boolean;
  latencyStatus: boolean;
  requestCounter: boolean;
  counterStatus: boolean;
  errorCounter: boolean;
  histogramKind?: HistogramKind;
}

export interface MetricRoute {
  readonly service: string;
  readonly route: string | null;
  readonly source: MetricSignalSource;
  readonly tiers: Map<number, MetricBucket>[];
  readonly facts: MetricRouteFacts;
  /** Request-latency summaries (reported quantiles) of this route: shown as reported, never merged. */
  readonly summaries: Set<MetricSeries>;
  /** The metric names it was derived from. */
  readonly metrics: Set<string>;
}

interface SeriesState {
  match: RequestMetricMatch;
  route: string | null;
  isError: boolean | undefined;
  source: MetricSignalSource;
  service: string;
  previous?: { start: string; time: number; counts: Map<number, number>; count: number; scale: number };
}

const CUMULATIVE = 2;
/** A first cumulative point is counted only when its start is this recent; older ones are a baseline. */
const FIRST_POINT_MAX_NS = 10 * 60 * 1e9;
const BUCKET_BYTES = 200;
/** A bucket's latency histogram: two small maps, a few dozen buckets (measured roughly on the heap). */
const HISTOGRAM_BYTES = 1200;

export class MetricSignals {
  readonly names = new RequestMetricNames();
  /** service → `${source}\0${route}` ('' route: the service as a whole) → route. */
  private readonly services = new Map<string, Map<string, MetricRoute>>();
  /** By series object, not id: series of another store (older data counted from disk) have ids of their own. */
  private seriesStates = new WeakMap<MetricSeries, SeriesState | null>();
  newestNs = 0;
  memoryBytes = 0;
  private nextPruneNs = 0;

  /** A metric point was stored (MetricStore's observer). */
  add(series: MetricSeries, point: StoredPoint, service: string): void {
    let state = this.seriesStates.get(series);
    if (state === undefined) {
      state = this.classify(series, service);
      this.seriesStates.set(series, state);
    }
    if (!state) return;
    const timeNs = Number(point.timeUnixNano ?? 0);
    if (!(timeNs > 0)) return;
    const routes = this.routesOf(state, series);
    if (series.kind === 'summary') {
      for (const r of routes) r.summaries.add(series);
      this.addCount(state, series, point, timeNs, routes, 'latency');
      return;
    }
    if (series.kind === 'histogram' || series.kind === 'exponentialHistogram') {
      if (state.match.role !== 'latency') return;
      this.addHistogram(state, series, point, timeNs, routes);
      return;
    }
    if (series.kind === 'sum' && state.match.role !== 'latency') this.addCount(state, series, point, timeNs, routes, state.match.role);
  }

  /** New metric names from the user: series are classified again as their next points arrive. */
  setNames(names: ConstructorParameters<typeof RequestMetricNames>[0]): void {
    this.names.set(names ?? []);
    this.seriesStates = new WeakMap();
  }

  /** Services with request metrics, and which sources they have. */
  serviceSources(): Map<string, MetricSignalSource[]> {
    const out = new Map<string, MetricSignalSource[]>();
    for (const [service, routes] of this.services) {
      const sources = new Set<MetricSignalSource>();
      for (const r of routes.values()) sources.add(r.source);
      out.set(service, [...sources]);
    }
    return out;
  }

  /** The routes of a service from one source: its routes, then (last) the service as a whole. */
  routesOfService(service: string, source: MetricSignalSource): MetricRoute[] {
    const all = [...(this.services.get(service)?.values() ?? [])].filter((r) => r.source === source);
    return [...all.filter((r) => r.route !== null), ...all.filter((r) => r.route === null)];
  }

  find(service: string, source: MetricSignalSource, route: string | null): MetricRoute | undefined {
    return this.services.get(service)?.get(`${source}\u0000${route ?? ''}`);
  }

  /** The source to show for a service: OTLP metrics before scraped ones (the same requests, counted twice otherwise). */
  preferredSource(service: string): MetricSignalSource | undefined {
    const routes = this.services.get(service);
    if (!routes) return undefined;
    let scrape = false;
    for (const r of routes.values()) {
      if (r.source === 'otlp-metrics') return 'otlp-metrics';
      scrape = true;
    }
    return scrape ? 'scrape' : undefined;
  }

  clear(): void {
    this.services.clear();
    this.seriesStates = new WeakMap();
    this.newestNs = 0;
    this.nextPruneNs = 0;
    this.memoryBytes = 0;
  }

  private classify(series: MetricSeries, service: string): SeriesState | null {
    const match = this.names.match(series.name, series.unit);
    if (!match) return null;
    const attrs = plain(series.attributes);
    return { match, route: match.route(attrs), isError: match.isError(attrs), source: series.scope.name === SCRAPE_SCOPE ? 'scrape' : 'otlp-metrics', service };
  }

  private routesOf(state: SeriesState, series: MetricSeries): MetricRoute[] {
    let routes = this.services.get(state.service);
    if (!routes) this.services.set(state.service, routes = new Map());
    const keys: [string, string | null][] = [[`${state.source}\u0000`, null]];
    if (state.route !== null) keys.unshift([`${state.source}\u0000${state.route}`, state.route]);
    return keys.map(([key, route]) => {
      let r = routes.get(key);
      if (!r) {
        r = {
          service: state.service, route, source: state.source, tiers: TIERS.map(() => new Map()), summaries: new Set(), metrics: new Set(),
          facts: { latency: false, latencyStatus: false, requestCounter: false, counterStatus: false, errorCounter: false },
        };
        routes.set(key, r);
        this.memoryBytes += 400 + key.length * 2;
      }
      r.metrics.add(series.name);
      return r;
    });
  }

  private addHistogram(state: SeriesState, series: MetricSeries, point: StoredPoint, timeNs: number, routes: MetricRoute[]): void {
    const exponential = series.kind === 'exponentialHistogram';
    const scale = exponential ? Number(point.scale ?? 0) : 0;
    const counts = exponential ? exponentialCounts(point) : explicitCounts(point);
    const count = Number(point.count ?? 0);
    const delta = this.intervalOf(state, series, point, timeNs, counts, count, scale);
    if (!delta) return;
    const kind: HistogramKind = exponential ? 'exponential' : 'explicit';
    const bounds = exponential ? [] : ((point.explicitBounds as number[] | undefined) ?? []).map((b) => b * state.match.msPerUnit);
    for (const r of routes) {
      r.facts.latency = true;
      r.facts.histogramKind ??= kind;
      if (state.isError !== undefined) r.facts.latencyStatus = true;
      for (const b of this.bucketsAt(r, timeNs)) {
        b.latencyRequests += delta.count;
        if (state.isError) b.latencyErrors += delta.count;
        if (!b.latency) {
          b.latency = new BucketHistogram(kind);
          this.memoryBytes += HISTOGRAM_BYTES;
        }
        if (exponential) {
          const zero = delta.counts.get(ZERO) ?? 0;
          const entries = [...delta.counts].filter(([i]) => i !== ZERO);
          const min = entries.length ? Math.min(...entries.map(([i]) => i)) : 0;
          const dense: number[] = [];
          for (const [i, c] of entries) dense[i - min] = c;
          b.latency.addExponential(delta.scale, min, dense, zero, state.match.msPerUnit);
        } else {
          const dense: number[] = [];
          for (const [i, c] of delta.counts) dense[i] = c;
          b.latency.addExplicit(bounds, dense);
        }
      }
    }
  }

  /** Counters (requests, errors) and summaries' counts: the increase since the previous point. */
  private addCount(state: SeriesState, series: MetricSeries, point: StoredPoint, timeNs: number, routes: MetricRoute[], role: 'latency' | 'requests' | 'errors'): void {
    const value = series.kind === 'summary' ? Number(point.count ?? 0) : numberOf(point);
    if (!Number.isFinite(value)) return;
    const delta = this.intervalOf(state, series, point, timeNs, new Map(), value, 0);
    if (!delta) return;
    for (const r of routes) {
      if (role === 'latency') {
        r.facts.latency = true;
        if (state.isError !== undefined) r.facts.latencyStatus = true;
      } else if (role === 'requests') {
        r.facts.requestCounter = true;
        if (state.isError !== undefined) r.facts.counterStatus = true;
      } else {
        r.facts.errorCounter = true;
      }
      for (const b of this.bucketsAt(r, timeNs)) {
        if (role === 'latency') {
          b.latencyRequests += delta.count;
          if (state.isError) b.latencyErrors += delta.count;
        } else if (role === 'requests') {
          b.counterRequests += delta.count;
          if (state.isError) b.counterErrors += delta.count;
        } else {
          b.errorCounter += delta.count;
        }
      }
    }
  }

  /**
   * The counts of the point's own interval. Delta points are that already; a cumulative
   * point is diffed against the series' previous one, unless the series restarted (new
   * start time, or any count went down): then it counts from zero.
   */
  private intervalOf(state: SeriesState, series: MetricSeries, point: StoredPoint, timeNs: number, counts: Map<number, number>, count: number, scale: number): { counts: Map<number, number>; count: number; scale: number } | undefined {
    if (series.aggregationTemporality !== CUMULATIVE && series.kind !== 'summary' && series.kind !== 'gauge') return { counts, count, scale };
    const start = String(point.startTimeUnixNano ?? '0');
    const prev = state.previous;
    state.previous = { start, time: timeNs, counts, count, scale };
    if (!prev) {
      // An SDK's start time is true (its first point may share its millisecond); a scrape's is
      // the target's first scrape, so a series there is new only when it appeared later.
      const startNs = Number(start);
      const fresh = startNs > 0 && (state.source === 'scrape' ? timeNs > startNs : timeNs >= startNs) && timeNs - startNs <= FIRST_POINT_MAX_NS;
      return fresh && count > 0 ? { counts, count, scale } : undefined;
    }
    if (timeNs <= prev.time) return undefined; // a repeat or an out-of-order point
    let before = prev.counts;
    let now = counts;
    let at = scale;
    if (prev.scale !== scale) {
      at = Math.min(prev.scale, scale);
      before = rescale(prev.counts, prev.scale - at);
      now = rescale(counts, scale - at);
    }
    const restarted = prev.start !== start || count < prev.count || [...before].some(([i, c]) => (now.get(i) ?? 0) < c);
    if (restarted) return count > 0 ? { counts, count, scale } : undefined;
    const diff = new Map<number, number>();
    for (const [i, c] of now) {
      const d = c - (before.get(i) ?? 0);
      if (d > 0) diff.set(i, d);
    }
    const d = count - prev.count;
    return d > 0 ? { counts: diff, count: d, scale: at } : undefined;
  }

  private bucketsAt(r: MetricRoute, timeNs: number): MetricBucket[] {
    if (timeNs > this.newestNs) {
      this.newestNs = timeNs;
      if (timeNs >= this.nextPruneNs) this.prune();
    }
    const out: MetricBucket[] = [];
    for (let t = 0; t < TIERS.length; t++) {
      const index = Math.floor(timeNs / (TIERS[t].seconds * 1e9));
      let b = r.tiers[t].get(index);
      if (!b) {
        b = { latencyRequests: 0, latencyErrors: 0, counterRequests: 0, counterErrors: 0, errorCounter: 0 };
        r.tiers[t].set(index, b);
        this.memoryBytes += BUCKET_BYTES;
      }
      out.push(b);
    }
    return out;
  }

  private prune(): void {
    this.nextPruneNs = this.newestNs + TIERS[0].seconds * 1e9;
    for (const routes of this.services.values()) {
      for (const r of routes.values()) {
        for (let t = 0; t < TIERS.length; t++) {
          const oldest = Math.floor((this.newestNs - TIERS[t].keepSeconds * 1e9) / (TIERS[t].seconds * 1e9));
          for (const [index, b] of r.tiers[t]) {
            if (index >= oldest) continue;
            r.tiers[t].delete(index);
            this.memoryBytes -= BUCKET_BYTES + (b.latency ? HISTOGRAM_BYTES : 0);
          }
        }
      }
    }
  }
}

/** The key of an exponential histogram's zero bucket in a counts map. */
const ZERO = Number.MIN_SAFE_INTEGER;

function explicitCounts(point: StoredPoint): Map<number, number> {
  const out = new Map<number, number>();
  ((point.bucketCounts as (string | number)[] | undefined) ?? []).forEach((c, i) => out.set(i, Number(c)));
  return out;
}

function exponentialCounts(point: StoredPoint): Map<number, number> {
  const out = new Map<number, number>();
  const positive = point.positive as { offset?: number; bucketCounts?: (string | number)[] } | undefined;
  const offset = positive?.offset ?? 0;
  (positive?.bucketCounts ?? []).forEach((c, k) => {
    if (Number(c)) out.set(offset + k, Number(c));
  });
  const zero = Number(point.zeroCount ?? 0);
  if (zero) out.set(ZERO, zero);
  return out;
}

function rescale(counts: Map<number, number>, shift: number): Map<number, number> {
  if (shift === 0) return counts;
  const out = new Map<number, number>();
  for (const [i, c] of counts) {
    const index = i === ZERO ? ZERO : i >> shift;
    out.set(index, (out.get(index) ?? 0) + c);
  }
  return out;
}

function numberOf(p: StoredPoint): number {
  if (typeof p.asDouble === 'number') return p.asDouble;
  if (p.asInt !== undefined) return Number(p.asInt);
  return NaN;
}

function plain(attributes: KeyValue[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of attributes) if (kv.key && kv.value) out.set(kv.key, valueText(kv.value));
  return out;
}
