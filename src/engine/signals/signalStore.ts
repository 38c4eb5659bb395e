// Golden signals kept at ingest: per service and route, per time bucket, the request
// count, the error count and a latency sketch. Three resolutions are kept side by side
// (10 s for two hours, 1 min for a day, 10 min for two weeks, measured back from the
// newest request seen), so the aggregates stay bounded, outlive span eviction, and a
// query over any range merges a few hundred buckets at most.

import { LatencySketch } from './latencySketch.ts';

export interface Tier {
  /** Bucket width. */
  readonly seconds: number;
  /** How far back from the newest request this tier keeps buckets. */
  readonly keepSeconds: number;
}

export const TIERS: readonly Tier[] = [
  { seconds: 10, keepSeconds: 2 * 3600 },
  { seconds: 60, keepSeconds: 24 * 3600 },
  { seconds: 600, keepSeconds: 14 * 24 * 3600 },
];

export interface SignalBucket {
  requests: number;
  errors: number;
  sketch: LatencySketch;
}

/** A request operation's all-time totals (by span name). */
export interface OperationTotals extends SignalBucket {
  /** Start (ns) of its newest request. */
  lastNs: number;
}

/** One service's route (or, with route null, the service as a whole). */
export interface SignalSeries {
  readonly service: string;
  readonly route: string | null;
  /** The route is a span name (the spans had no `http.route`). */
  readonly routeIsName: boolean;
  /** Per tier: bucket index (start time / tier width) → bucket. */
  readonly tiers: Map<number, SignalBucket>[];
}

/** Routes beyond this many per service are counted together, so ids in span names cannot grow the store without bound. */
export const MAX_ROUTES_PER_SERVICE = 300;
export const OTHER_ROUTES = '(other routes)';
const BUCKET_BYTES = 120;
const SERIES_BYTES = 300;

export class SignalStore {
  /** service → route key ('' for the whole service) → series. */
  private readonly services = new Map<string, Map<string, SignalSeries>>();
  /** service → span name → all-time totals. */
  private readonly names = new Map<string, Map<string, OperationTotals>>();
  /** Start time (ns) of the newest request seen: the tiers' retention counts back from it. */
  newestNs = 0;
  memoryBytes = 0;
  /** Counts every add and clear: answers built from the totals are good while it stands still. */
  changes = 0;
  private nextPruneNs = 0;

  /**
   * Adds one server or consumer span. `name` is the span's name: totals by name (all time)
   * give the Services tree and CodeLens the same figures for request spans.
   */
  add(service: string, route: string, routeIsName: boolean, startNs: number, durationNs: number, isError: boolean, name = route): void {
    this.changes++;
    this.addByName(service, name, startNs, durationNs, isError);
    let routes = this.services.get(service);
    if (!routes) {
      routes = new Map();
      this.services.set(service, routes);
    }
    let series = routes.get(route);
    if (!series) {
      // One slot is the whole service's series.
      if (routes.size > MAX_ROUTES_PER_SERVICE) route = OTHER_ROUTES;
      series = routes.get(route) ?? this.newSeries(routes, service, route, route, routeIsName && route !== OTHER_ROUTES);
    }
    const whole = routes.get('') ?? this.newSeries(routes, service, null, '', false);
    this.addTo(series, startNs, durationNs, isError);
    this.addTo(whole, startNs, durationNs, isError);
    if (startNs > this.newestNs) {
      this.newestNs = startNs;
      if (startNs >= this.nextPruneNs) this.prune();
    }
  }

  /** All-time totals of a service's request spans with this name. */
  operation(service: string, name: string): OperationTotals | undefined {
    return this.names.get(service)?.get(name);
  }

  /** Every request operation of a service (or of all), by span name. */
  operations(service?: string): { service: string; name: string; totals: OperationTotals }[] {
    const services = service === undefined ? [...this.names.keys()] : [service];
    return services.flatMap((svc) => [...(this.names.get(svc) ?? new Map<string, OperationTotals>())].map(([name, totals]) => ({ service: svc, name, totals })));
  }

  serviceNames(): string[] {
    return [...this.services.keys()];
  }

  /** The service's series: its routes, then (last) the whole service. */
  seriesOf(service: string): SignalSeries[] {
    const routes = this.services.get(service);
    if (!routes) return [];
    const all = [...routes.values()];
    return [...all.filter((s) => s.route !== null), ...all.filter((s) => s.route === null)];
  }

  find(service: string, route: string | null): SignalSeries | undefined {
    return this.services.get(service)?.get(route ?? '');
  }

  clear(): void {
    this.changes++;
    this.services.clear();
    this.names.clear();
    this.newestNs = 0;
    this.nextPruneNs = 0;
    this.memoryBytes = 0;
  }

  private newSeries(routes: Map<string, SignalSeries>, service: string, route: string | null, key: string, routeIsName: boolean): SignalSeries {
    const series: SignalSeries = { service, route, routeIsName, tiers: TIERS.map(() => new Map()) };
    routes.set(key, series);
    this.memoryBytes += SERIES_BYTES + key.length * 2;
    return series;
  }

  private addByName(service: string, name: string, startNs: number, durationNs: number, isError: boolean): void {
    let names = this.names.get(service);
    if (!names) this.names.set(service, names = new Map());
    let b = names.get(name);
    if (!b) {
      // Names past the cap are left to the span columns, as before.
      if (names.size >= MAX_ROUTES_PER_SERVICE) return;
      names.set(name, b = { requests: 0, errors: 0, sketch: new LatencySketch(), lastNs: 0 });
      this.memoryBytes += BUCKET_BYTES + name.length * 2 + b.sketch.memoryBytes;
    }
    b.requests++;
    if (isError) b.errors++;
    if (startNs > b.lastNs) b.lastNs = startNs;
    const before = b.sketch.memoryBytes;
    b.sketch.add(durationNs);
    this.memoryBytes += b.sketch.memoryBytes - before;
  }

  private addTo(series: SignalSeries, startNs: number, durationNs: number, isError: boolean): void {
    for (let t = 0; t < TIERS.length; t++) {
      const index = Math.floor(startNs / (TIERS[t].seconds * 1e9));
      const buckets = series.tiers[t];
      let b = buckets.get(index);
      if (!b) {
        b = { requests: 0, errors: 0, sketch: new LatencySketch() };
        buckets.set(index, b);
        this.memoryBytes += BUCKET_BYTES + b.sketch.memoryBytes;
      }
      b.requests++;
      if (isError) b.errors++;
      const before = b.sketch.memoryBytes;
      b.sketch.add(durationNs);
      this.memoryBytes += b.sketch.memoryBytes - before;
    }
  }

  /** Drops each tier's buckets that fell out of its retention (checked once per 10 s of data). */
  private prune(): void {
    this.nextPruneNs = this.newestNs + TIERS[0].seconds * 1e9;
    for (const routes of this.services.values()) {
      for (const series of routes.values()) {
        for (let t = 0; t < TIERS.length; t++) {
          const oldest = Math.floor((this.newestNs - TIERS[t].keepSeconds * 1e9) / (TIERS[t].seconds * 1e9));
          for (const [index, b] of series.tiers[t]) {
            if (index >= oldest) continue;
            series.tiers[t].delete(index);
            this.memoryBytes -= BUCKET_BYTES + b.sketch.memoryBytes;
          }
        }
      }
    }
  }
}
