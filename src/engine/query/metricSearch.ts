// Metric names with their series (`GET /api/metrics`) and a metric's points
// (`GET /api/metrics/series`).

import type { MetricSeriesResponse, MetricSummary } from '../../protocol/api.ts';
import type { MetricStore } from '../store/metricStore.ts';
import { seriesPoints } from '../store/metricStore.ts';
import { attributeFilters, optionalString, optionalTimeNs, QueryError } from './params.ts';
import { chartOf } from './metricChart.ts';
import { SCRAPE_SCOPE } from '../scrape/promToOtlp.ts';
import { plainAttributes, valueText } from '../../shared/plainValue.ts';

export function listMetrics(store: MetricStore): MetricSummary[] {
  const byName = new Map<string, MetricSummary>();
  for (const s of store.all()) {
    let m = byName.get(s.name);
    if (!m) {
      m = { name: s.name, kind: s.kind, description: s.description, unit: s.unit, series: [] };
      byName.set(s.name, m);
    }
    const pointCount = s.points.count;
    if (pointCount) m.series.push({ id: s.id, service: store.services.values[s.serviceId], attributes: plainAttributes(s.attributes), pointCount, source: s.scope.name === SCRAPE_SCOPE ? 'scrape' : 'otlp' });
  }
  return [...byName.values()].filter((m) => m.series.length).sort((a, b) => a.name.localeCompare(b.name));
}

export function metricSeries(store: MetricStore, q: URLSearchParams): MetricSeriesResponse {
  const name = optionalString(q, 'name');
  if (!name) throw new QueryError('name', 'required: the metric name, as listed by /api/metrics');
  const service = optionalString(q, 'service');
  const attrs = attributeFilters(q);
  const start = optionalTimeNs(q, 'start');
  const end = optionalTimeNs(q, 'end');
  const series: MetricSeriesResponse['series'] = [];
  for (const s of store.all()) {
    if (s.name !== name) continue;
    if (service !== undefined && store.services.values[s.serviceId] !== service) continue;
    if (!attrs.every((a) => s.attributes.some((kv) => kv.key === a.key && valueText(kv.value) === a.value))) continue;
    const points = seriesPoints(s).filter((p) => {
      const t = Number(p.timeUnixNano ?? 0);
      return (start === undefined || t >= start) && (end === undefined || t <= end);
    });
    series.push({
      id: s.id, service: store.services.values[s.serviceId], kind: s.kind, unit: s.unit,
      aggregationTemporality: s.aggregationTemporality, isMonotonic: s.isMonotonic,
      attributes: plainAttributes(s.attributes), points, chart: chartOf(s, points),
    });
  }
  return { name, series };
}
