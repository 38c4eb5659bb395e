// `/api/signals` and `/api/signals/routes` with request metrics: a service without
// span-derived signals gets its series and rows from its request metrics (saying which
// source, and the buckets its percentiles fell in); with `metrics=1`, span-derived ones get
// the same route's metrics-derived figures beside them, with a note when the two disagree.

import type { ReportedQuantiles, SignalFigures, SignalPoint, SignalRoute, SignalSeriesItem, SignalsResponse } from '../../../protocol/api.ts';
import { plainAttributes } from '../../../shared/plainValue.ts';
import { optionalString, optionalTimeNs } from '../../query/params.ts';
import { seriesPoints } from '../../store/metricStore.ts';
import { TIERS, type SignalStore } from '../signalStore.ts';
import { figuresOf, mergeBuckets, metricTotals, pointOf, resolutionOf } from './metricFigures.ts';
import type { MetricRoute, MetricSignals } from './metricSignals.ts';

const NS = 1e9;
const DEFAULT_RANGE_S = 15 * 60;

export function withMetricSignals(response: SignalsResponse, spans: SignalStore, metrics: MetricSignals, q: URLSearchParams): SignalsResponse {
  const service = optionalString(q, 'service');
  const route = optionalString(q, 'route');
  const onlyService = optionalString(q, 'only') === 'service';
  const besides = optionalString(q, 'metrics') === '1';
  const step = response.step;
  const start = Number(response.start);
  const end = Number(response.end);
  for (const item of response.series) {
    if (!besides) continue;
    const r = metricRouteFor(metrics, item.service, item.route);
    if (!r) continue;
    const totals = metricTotals(r, start, end, metrics.newestNs);
    const figures = figuresOf(totals, (end - start) / NS);
    item.metrics = { source: r.source, points: metricPoints(r, metrics, start, end, step), totals: figures, resolution: resolutionOf(totals), disagreement: disagreement(item.totals, figures) };
  }
  const services = service === undefined ? [...metrics.serviceSources().keys()] : [service];
  for (const name of services) {
    if (spans.seriesOf(name).length) continue; // spans win
    const source = metrics.preferredSource(name);
    if (!source) continue;
    let routes = metrics.routesOfService(name, source);
    if (service === undefined || onlyService) routes = routes.filter((r) => r.route === null);
    else if (route !== undefined) routes = routes.filter((r) => r.route === route);
    for (const r of routes) {
      const totals = metricTotals(r, start, end, metrics.newestNs);
      const item: SignalSeriesItem = {
        service: r.service, route: r.route, routeSource: 'http.route', source: r.source,
        points: metricPoints(r, metrics, start, end, step), totals: figuresOf(totals, (end - start) / NS), resolution: resolutionOf(totals),
      };
      if (response.baselineStart !== undefined && response.baselineEnd !== undefined) {
        const bs = Math.floor(Number(response.baselineStart) / (step * NS)) * step * NS;
        const be = Math.min(Number(response.baselineEnd), bs + (end - start));
        const shift = start - bs;
        const points = metricPoints(r, metrics, bs, be, step).map((p) => ({ ...p, time: String(Number(p.time) + shift) }));
        item.baseline = { shiftNs: String(shift), points, totals: figuresOf(metricTotals(r, Number(response.baselineStart), Number(response.baselineEnd), metrics.newestNs), (Number(response.baselineEnd) - Number(response.baselineStart)) / NS) };
      }
      const summaries = reportedQuantiles(r, start, end);
      if (summaries.length) item.summaries = summaries;
      response.series.push(item);
    }
  }
  return response;
}

export function withMetricRoutes(rows: SignalRoute[], spans: SignalStore, metrics: MetricSignals, q: URLSearchParams): SignalRoute[] {
  const service = optionalString(q, 'service');
  const end = optionalTimeNs(q, 'end') ?? Math.max(Date.now() * 1e6, spans.newestNs + 1, metrics.newestNs + 1);
  const start = optionalTimeNs(q, 'start') ?? end - DEFAULT_RANGE_S * NS;
  const baseStart = optionalTimeNs(q, 'baselineStart');
  const baseEnd = optionalTimeNs(q, 'baselineEnd');
  const seconds = (end - start) / NS;
  if (optionalString(q, 'metrics') === '1') {
    for (const row of rows) {
      const r = metricRouteFor(metrics, row.service, row.route);
      if (!r) continue;
      const totals = metricTotals(r, start, end, metrics.newestNs);
      const figures = figuresOf(totals, seconds);
      row.metrics = { source: r.source, figures, resolution: resolutionOf(totals), disagreement: disagreement(row, figures) };
    }
  }
  const services = service === undefined ? [...metrics.serviceSources().keys()] : [service];
  const added: SignalRoute[] = [];
  for (const name of services) {
    if (spans.seriesOf(name).length) continue;
    const source = metrics.preferredSource(name);
    if (!source) continue;
    for (const r of metrics.routesOfService(name, source)) {
      if (r.route === null) continue;
      const totals = metricTotals(r, start, end, metrics.newestNs);
      const before = baseStart !== undefined && baseEnd !== undefined ? figuresOf(metricTotals(r, baseStart, baseEnd, metrics.newestNs), (baseEnd - baseStart) / NS) : undefined;
      if (totals.requests === 0 && (!before || before.requests === 0)) continue;
      added.push({ service: r.service, route: r.route, routeSource: 'http.route', source: r.source, ...figuresOf(totals, seconds), resolution: resolutionOf(totals), ...(before ? { baseline: before } : {}) });
    }
  }
  return added.length ? [...rows, ...added].sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route)) : rows;
}

function metricRouteFor(metrics: MetricSignals, service: string, route: string | null): MetricRoute | undefined {
  const source = metrics.preferredSource(service);
  return source && metrics.find(service, source, route);
}

/** One point per step from the finest tier that divides the step and still holds its start. */
function metricPoints(r: MetricRoute, metrics: MetricSignals, startNs: number, endNs: number, stepS: number): SignalPoint[] {
  let tier = TIERS.findIndex((t) => stepS % t.seconds === 0 && startNs >= metrics.newestNs - t.keepSeconds * NS);
  if (tier < 0) tier = TIERS.length - 1;
  const width = TIERS[tier].seconds;
  const perStep = Math.max(1, Math.round(stepS / width));
  const points: SignalPoint[] = [];
  for (let t = startNs; t < endNs; t += stepS * NS) {
    const first = Math.floor(t / (width * NS));
    points.push(pointOf(String(t), mergeBuckets(r, tier, first, first + perStep - 1)));
  }
  return points;
}

/** The two should agree; a large gap says something: sampling, spans not sent, or metrics from more instances. */
function disagreement(spans: SignalFigures, metrics: SignalFigures): string | undefined {
  const notes: string[] = [];
  const a = spans.requests;
  const b = metrics.requests;
  if (Math.max(a, b) >= 20 && Math.abs(a - b) > 0.2 * Math.max(a, b)) {
    notes.push(`metrics count ${b} requests, spans ${a}${b > a ? ': are spans sampled or some not sent?' : ': do the metrics miss some instances or routes?'}`);
  }
  if (spans.p99Ms !== null && metrics.p99Ms !== null && Math.max(a, b) >= 20) {
    const ratio = metrics.p99Ms / Math.max(1e-6, spans.p99Ms);
    if (ratio > 2 || ratio < 0.5) notes.push(`p99 is ${metrics.p99Ms} ms from metrics, ${spans.p99Ms} ms from spans`);
  }
  return notes.length ? notes.join('; ') : undefined;
}

/** The route's request-latency summaries, each series on its own. */
function reportedQuantiles(r: MetricRoute, startNs: number, endNs: number): ReportedQuantiles[] {
  const out: ReportedQuantiles[] = [];
  for (const s of r.summaries) {
    const points = seriesPoints(s).filter((p) => {
      const t = Number(p.timeUnixNano ?? 0);
      return t >= startNs && t < endNs;
    });
    if (!points.length) continue;
    const msPerUnit = s.unit === 'ms' ? 1 : s.unit === 'us' ? 1e-3 : s.unit === 'ns' ? 1e-6 : 1000;
    const quantiles = [...new Set(points.flatMap((p) => ((p.quantileValues as { quantile?: number }[] | undefined) ?? []).map((v) => v.quantile ?? 0)))].sort((a, b) => a - b);
    out.push({
      metric: s.name,
      attributes: plainAttributes(s.attributes),
      times: points.map((p) => String(p.timeUnixNano)),
      lines: quantiles.map((quantile) => ({
        quantile,
        valuesMs: points.map((p) => {
          const v = ((p.quantileValues as { quantile?: number; value?: number }[] | undefined) ?? []).find((x) => (x.quantile ?? 0) === quantile)?.value;
          return typeof v === 'number' && Number.isFinite(v) ? Math.round(v * msPerUnit * 1000) / 1000 : null;
        }),
      })),
    });
  }
  return out;
}
