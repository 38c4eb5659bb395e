// Metric names with their series (`GET /api/metrics`) and a metric's points
// (`GET /api/metrics/series`), from memory and, for points memory evicted, the disk tier.

import type { DiskAnswer, MetricSeriesResponse, MetricSummary } from '../../protocol/api.ts';
import type { MetricSeries, MetricStore, StoredPoint } from '../store/metricStore.ts';
import { seriesPoints } from '../store/metricStore.ts';
import { attributeFilters, optionalString, optionalTimeNs, QueryError } from './params.ts';
import { chartOf } from './metricChart.ts';
import { SCRAPE_SCOPE } from '../scrape/promToOtlp.ts';
import { plainAttributes, valueText } from '../../shared/plainValue.ts';

/** `evictedToo`: also series whose points memory evicted (with the disk tier, they are charted from disk). */
export function listMetrics(store: MetricStore, evictedToo = false): MetricSummary[] {
  const byName = new Map<string, MetricSummary>();
  for (const s of store.all()) {
    let m = byName.get(s.name);
    if (!m) {
      m = { name: s.name, kind: s.kind, description: s.description, unit: s.unit, series: [] };
      byName.set(s.name, m);
    }
    const pointCount = s.points.count;
    if (pointCount || evictedToo) m.series.push({ id: s.id, service: store.services.values[s.serviceId], attributes: plainAttributes(s.attributes), pointCount, source: s.scope.name === SCRAPE_SCOPE ? 'scrape' : 'otlp' });
  }
  return [...byName.values()].filter((m) => m.series.length).sort((a, b) => a.name.localeCompare(b.name));
}

/** Points of the window that memory evicted, from the disk tier: stores of the segments read, newest first. */
export type ColdMetricReader = (start: number | undefined, end: number | undefined) => { stores: MetricStore[]; answer: DiskAnswer };

interface FoundSeries {
  series: MetricSeries;
  service: string;
  id: number;
  points: StoredPoint[];
  fromDisk: number;
}

/**
 * With `cold`, a series' points memory evicted are read from disk too: each point once
 * (one memory still holds is not taken again), in time order. Series only the disk holds
 * (in the window) follow memory's, with negative ids.
 */
export function metricSeries(store: MetricStore, q: URLSearchParams, cold?: ColdMetricReader): MetricSeriesResponse {
  const name = optionalString(q, 'name');
  if (!name) throw new QueryError('name', 'required: the metric name, as listed by /api/metrics');
  const service = optionalString(q, 'service');
  const attrs = attributeFilters(q);
  const start = optionalTimeNs(q, 'start');
  const end = optionalTimeNs(q, 'end');
  const inWindow = (p: StoredPoint) => {
    const t = Number(p.timeUnixNano ?? 0);
    return (start === undefined || t >= start) && (end === undefined || t <= end);
  };
  const matching = function* (from: MetricStore) {
    for (const s of from.all()) {
      if (s.name !== name) continue;
      if (service !== undefined && from.services.values[s.serviceId] !== service) continue;
      if (!attrs.every((a) => s.attributes.some((kv) => kv.key === a.key && valueText(kv.value) === a.value))) continue;
      yield s;
    }
  };
  const found = new Map<string, FoundSeries>();
  for (const s of matching(store)) {
    found.set(seriesKey(s), { series: s, service: store.services.values[s.serviceId], id: s.id, points: seriesPoints(s).filter(inWindow), fromDisk: 0 });
  }
  const fromDisk = cold?.(start, end);
  let coldId = -1;
  for (const coldStore of fromDisk?.stores ?? []) {
    for (const s of matching(coldStore)) {
      const points = seriesPoints(s).filter(inWindow);
      if (!points.length) continue;
      const key = seriesKey(s);
      const f = found.get(key) ?? { series: s, service: coldStore.services.values[s.serviceId], id: coldId--, points: [], fromDisk: 0 };
      found.set(key, f);
      const held = new Set(f.points.map(pointKey));
      for (const p of points) {
        if (held.has(pointKey(p))) continue;
        f.points.push(p);
        f.fromDisk++;
      }
    }
  }
  const series: MetricSeriesResponse['series'] = [];
  let items = 0;
  for (const { series: s, service: serviceName, id, points, fromDisk: n } of found.values()) {
    if (n) points.sort(byTime);
    items += n;
    series.push({
      id, service: serviceName, kind: s.kind, unit: s.unit,
      aggregationTemporality: s.aggregationTemporality, isMonotonic: s.isMonotonic,
      attributes: plainAttributes(s.attributes), points, chart: chartOf(s, points),
    });
  }
  return fromDisk && items ? { name, series, disk: { ...fromDisk.answer, items } } : { name, series };
}

/** A series across stores: its metric, resource and point attributes (what the store keys it by). */
function seriesKey(s: MetricSeries): string {
  return `${s.name}\u0000${s.kind}\u0000${JSON.stringify(s.resource)}\u0000${JSON.stringify(s.attributes)}`;
}

function pointKey(p: StoredPoint): string {
  return `${p.timeUnixNano ?? ''}\u0000${p.startTimeUnixNano ?? ''}`;
}

function byTime(a: StoredPoint, b: StoredPoint): number {
  const [x, y] = [BigInt(a.timeUnixNano ?? 0), BigInt(b.timeUnixNano ?? 0)];
  return x < y ? -1 : x > y ? 1 : 0;
}
