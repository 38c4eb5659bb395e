// `GET /api/signals` (series over time) and `GET /api/signals/routes` (one row per route)
// from the aggregates, with an optional baseline window for compare.

import type { SignalFigures, SignalPoint, SignalRoute, SignalSeriesItem, SignalsResponse } from '../../protocol/api.ts';
import { oneOf, optionalString, optionalTimeNs, QueryError } from '../query/params.ts';
import { LatencySketch } from './latencySketch.ts';
import { TIERS, type SignalBucket, type SignalSeries, type SignalStore } from './signalStore.ts';

const NS = 1e9;
const DEFAULT_RANGE_S = 15 * 60;
const TARGET_POINTS = 120;
const MAX_POINTS = 2000;

interface Window {
  startNs: number;
  endNs: number;
}

export function querySignals(store: SignalStore, q: URLSearchParams): SignalsResponse {
  const service = optionalString(q, 'service');
  const route = optionalString(q, 'route');
  if (route !== undefined && service === undefined) throw new QueryError('route', 'needs service= as well: a route belongs to one service');
  const window = readWindow(q, store);
  const baseline = readBaseline(q);
  const stepS = readStep(q, window, store);
  const tier = tierFor(stepS, window.startNs, store);
  const alignedStart = Math.floor(window.startNs / (stepS * NS)) * stepS * NS;
  // `only=service`: just the service as a whole (what a chart of all routes needs), not every route too.
  const only = oneOf(q, 'only', ['service'] as const);
  if (only && route !== undefined) throw new QueryError('only', 'only=service asks for the service as a whole; leave out route=');
  const series = only ? pickSeries(store, service, undefined).filter((s) => s.route === null) : pickSeries(store, service, route);
  const out: SignalSeriesItem[] = series.map((s) => {
    const item: SignalSeriesItem = {
      service: s.service, route: s.route, routeSource: s.routeIsName ? 'name' : 'http.route', points: pointsOf(s, tier, alignedStart, window.endNs, stepS, 0),
      totals: figures(totals(s, store, window), window),
    };
    if (baseline) {
      const baseStart = Math.floor(baseline.startNs / (stepS * NS)) * stepS * NS;
      const shift = alignedStart - baseStart;
      const baseEnd = Math.min(baseline.endNs, baseStart + (window.endNs - alignedStart));
      const baseTier = tierFor(stepS, baseStart, store);
      item.baseline = {
        shiftNs: String(shift), points: pointsOf(s, baseTier, baseStart, baseEnd, stepS, shift),
        totals: figures(totals(s, store, baseline), baseline),
      };
    }
    return item;
  });
  return {
    step: stepS,
    start: String(alignedStart),
    end: String(window.endNs),
    ...(baseline ? { baselineStart: String(baseline.startNs), baselineEnd: String(baseline.endNs) } : {}),
    series: out,
  };
}

export function querySignalRoutes(store: SignalStore, q: URLSearchParams): SignalRoute[] {
  const service = optionalString(q, 'service');
  const window = readWindow(q, store);
  const baseline = readBaseline(q);
  const services = service === undefined ? store.serviceNames() : [service];
  const rows: SignalRoute[] = [];
  for (const name of services) {
    for (const s of store.seriesOf(name)) {
      if (s.route === null) continue;
      const current = totals(s, store, window);
      const before = baseline ? totals(s, store, baseline) : undefined;
      if (current.requests === 0 && (!before || before.requests === 0)) continue;
      rows.push({
        service: s.service, route: s.route, routeSource: s.routeIsName ? 'name' : 'http.route', ...figures(current, window),
        ...(before ? { baseline: figures(before, baseline!) } : {}),
      });
    }
  }
  return rows.sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route));
}

function pickSeries(store: SignalStore, service: string | undefined, route: string | undefined): SignalSeries[] {
  if (service === undefined) return store.serviceNames().map((n) => store.find(n, null)!).filter(Boolean);
  if (route === undefined) return store.seriesOf(service);
  const s = store.find(service, route);
  return s ? [s] : [];
}

function pointsOf(s: SignalSeries, tier: number, fromNs: number, toNs: number, stepS: number, shiftNs: number): SignalPoint[] {
  const points: SignalPoint[] = [];
  const buckets = s.tiers[tier];
  const perStep = stepS / TIERS[tier].seconds;
  const firstBucket = Math.round(fromNs / (TIERS[tier].seconds * NS));
  const scratch = new Merged();
  for (let t = fromNs, i = 0; t < toNs; t += stepS * NS, i++) {
    // One bucket in the step is answered from its own sketch; several are merged into a reused one.
    let only: SignalBucket | undefined;
    let found = 0;
    scratch.reset();
    for (let k = 0; k < perStep; k++) {
      const b = buckets.get(firstBucket + i * perStep + k);
      if (!b) continue;
      if (found++ === 0) only = b;
      else {
        if (found === 2) scratch.add(only!.requests, only!.errors, only!.sketch);
        scratch.add(b.requests, b.errors, b.sketch);
      }
    }
    const m = found === 1 ? only! : scratch;
    const [p50, p90, p99] = m.sketch.quantiles(POINT_QUANTILES);
    points.push({ time: String(t + shiftNs), requests: m.requests, errors: m.errors, p50Ms: toMs(p50), p90Ms: toMs(p90), p99Ms: toMs(p99) });
  }
  return points;
}

const POINT_QUANTILES = [0.5, 0.9, 0.99];

class Merged {
  requests = 0;
  errors = 0;
  readonly sketch = new LatencySketch();
  reset(): void {
    this.requests = this.errors = 0;
    this.sketch.reset();
  }
  add(requests: number, errors: number, sketch: LatencySketch): void {
    this.requests += requests;
    this.errors += errors;
    this.sketch.merge(sketch);
  }
}

/** A route's totals over a window, from the coarsest tier that still resolves its edges. */
function totals(s: SignalSeries, store: SignalStore, w: Window): Merged {
  const lengthS = (w.endNs - w.startNs) / NS;
  let tier = 0;
  for (let t = TIERS.length - 1; t > 0; t--) {
    if (TIERS[t].seconds * 30 <= lengthS && covers(t, w.startNs, store)) { tier = t; break; }
  }
  if (tier === 0 && !covers(0, w.startNs, store)) tier = TIERS.findIndex((_, t) => covers(t, w.startNs, store));
  if (tier < 0) tier = TIERS.length - 1;
  const width = TIERS[tier].seconds * NS;
  const first = Math.floor(w.startNs / width);
  const last = Math.ceil(w.endNs / width) - 1;
  const merged = new Merged();
  const buckets = s.tiers[tier];
  // Walk whichever is shorter: the window's buckets or the buckets held.
  if (last - first + 1 <= buckets.size) {
    for (let i = first; i <= last; i++) {
      const b = buckets.get(i);
      if (b) merged.add(b.requests, b.errors, b.sketch);
    }
  } else {
    for (const [i, b] of buckets) if (i >= first && i <= last) merged.add(b.requests, b.errors, b.sketch);
  }
  return merged;
}

function figures(m: Merged, w: Window): SignalFigures {
  return {
    requests: m.requests,
    errors: m.errors,
    errorRate: m.requests ? m.errors / m.requests : 0,
    requestsPerSecond: m.requests / Math.max(1e-9, (w.endNs - w.startNs) / NS),
    ...percentilesMs(m.sketch),
  };
}

const ROW_QUANTILES = [0.5, 0.9, 0.95, 0.99];

function percentilesMs(sketch: LatencySketch): Pick<SignalFigures, 'p50Ms' | 'p90Ms' | 'p95Ms' | 'p99Ms'> {
  const [p50, p90, p95, p99] = sketch.quantiles(ROW_QUANTILES);
  return { p50Ms: toMs(p50), p90Ms: toMs(p90), p95Ms: toMs(p95), p99Ms: toMs(p99) };
}

function toMs(ns: number): number | null {
  return Number.isNaN(ns) ? null : Math.round(ns / 1e3) / 1e3;
}

/** Whether tier t still holds buckets as old as `ns`. */
function covers(t: number, ns: number, store: SignalStore): boolean {
  return ns >= store.newestNs - TIERS[t].keepSeconds * NS;
}

/** The finest tier that divides the step and still holds the window's start. */
function tierFor(stepS: number, startNs: number, store: SignalStore): number {
  for (let t = 0; t < TIERS.length; t++) {
    if (stepS % TIERS[t].seconds === 0 && covers(t, startNs, store)) return t;
  }
  return TIERS.length - 1;
}

function readWindow(q: URLSearchParams, store: SignalStore): Window {
  const end = optionalTimeNs(q, 'end') ?? Math.max(Date.now() * 1e6, store.newestNs + 1);
  const start = optionalTimeNs(q, 'start') ?? end - DEFAULT_RANGE_S * NS;
  if (start >= end) throw new QueryError('start', `must be before end (start ${start.toFixed(0)}, end ${end.toFixed(0)})`);
  return { startNs: start, endNs: end };
}

function readBaseline(q: URLSearchParams): Window | undefined {
  const start = optionalTimeNs(q, 'baselineStart');
  const end = optionalTimeNs(q, 'baselineEnd');
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined) throw new QueryError('baselineStart', 'required with baselineEnd: the baseline window needs both ends');
  if (end === undefined) throw new QueryError('baselineEnd', 'required with baselineStart: the baseline window needs both ends');
  if (start >= end) throw new QueryError('baselineStart', 'must be before baselineEnd');
  return { startNs: start, endNs: end };
}

/**
 * The step in seconds: as asked (rounded up to a whole bucket of the tier that holds the
 * window), or one that gives about TARGET_POINTS points.
 */
function readStep(q: URLSearchParams, w: Window, store: SignalStore): number {
  const lengthS = (w.endNs - w.startNs) / NS;
  const asked = optionalString(q, 'step');
  let step: number;
  if (asked !== undefined) {
    step = Number(asked);
    if (!Number.isFinite(step) || step <= 0) throw new QueryError('step', `expected seconds, a positive number, got "${asked.slice(0, 40)}"`);
  } else {
    step = lengthS / TARGET_POINTS;
  }
  const finest = TIERS.find((_, t) => covers(t, w.startNs, store)) ?? TIERS[TIERS.length - 1];
  step = Math.max(finest.seconds, Math.ceil(step / finest.seconds) * finest.seconds);
  if (asked === undefined) step = niceStep(step, finest.seconds);
  if (lengthS / step > MAX_POINTS) throw new QueryError('step', `${asked}s gives ${Math.ceil(lengthS / step)} points over this range; at most ${MAX_POINTS} (use a step of ${Math.ceil(lengthS / MAX_POINTS)}s or more)`);
  return step;
}

const NICE = [10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 21600, 43200, 86400];

function niceStep(step: number, unit: number): number {
  return NICE.find((n) => n >= step && n % unit === 0) ?? Math.ceil(step / 86400) * 86400;
}
