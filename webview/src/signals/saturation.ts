// Saturation beside the golden signals: the usual resource series of the chosen service
// when it sends or exposes them (CPU, memory, active requests, connection pools, event-loop
// delay, GC), from OTLP metrics or scraped Prometheus endpoints, with the same window and
// baseline as the charts above.

import type { MetricSeriesResponse, MetricSummary } from '../../../src/protocol/api.ts';
import type { Transport } from '../transport/transport.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { MetricChartBox, type MetricChartEvents } from './metricChartBox.ts';
import { msToNs, type TimeWindow } from './signalsState.ts';

interface Group {
  title: string;
  match: RegExp;
}

/** OpenTelemetry semantic-convention names first, then common Prometheus client names. */
export const SATURATION: Group[] = [
  { title: 'CPU', match: /^(process\.cpu\.utilization|system\.cpu\.utilization|process_cpu_utilization|process_cpu_seconds_total|process\.cpu\.time)$/ },
  { title: 'Memory', match: /^(process\.memory\.(usage|utilization)|system\.memory\.utilization|process_resident_memory_bytes|v8js\.memory\.heap\.used|nodejs_heap_size_used_bytes|jvm\.memory\.used|go_memstats_heap_inuse_bytes)$/ },
  { title: 'Active requests', match: /^(http\.server\.active_requests|http_server_requests_in_flight|.*_in_flight_requests|.*_requests_in_flight|.*_active_requests)$/ },
  { title: 'Connection pool', match: /^(db\.client\.connections?\.(usage|count)|db\.client\.connection\.pending_requests|.*_pool_(size|usage|active|in_use|connections).*)$/ },
  { title: 'Event-loop delay', match: /^(nodejs\.eventloop\.(delay\.(p99|p90|p50|mean|max)|utilization)|nodejs_eventloop_lag_(p99_)?seconds)$/ },
  { title: 'GC', match: /^(v8js\.gc\.duration|nodejs_gc_duration_seconds|jvm\.gc\.duration|go_gc_duration_seconds|dotnet\.gc\.pause\.time)$/ },
];

const MAX_PER_GROUP = 2;

export class SaturationCharts {
  readonly element = h('div', { class: 'chart-grid saturation' });
  private readonly boxes = new Map<string, MetricChartBox>();

  constructor(private readonly transport: Transport, private readonly events: MetricChartEvents) {}

  /** Shows the service's saturation series; resolves to how many charts there are. */
  async show(metrics: MetricSummary[], service: string, window: TimeWindow, baseline: TimeWindow | undefined): Promise<number> {
    const picked = SATURATION.flatMap((g) => metrics
      .filter((m) => g.match.test(m.name) && m.series.some((s) => !service || s.service === service))
      .slice(0, MAX_PER_GROUP)
      .map((m) => ({ group: g, metric: m })));
    const shown = new Set<string>();
    const results = await Promise.all(picked.map(async ({ group, metric }) => {
      const [current, before] = await Promise.all([
        this.fetch(metric.name, service, window),
        baseline ? this.fetch(metric.name, service, baseline) : Promise.resolve(undefined),
      ]);
      return { group, metric, current, before };
    }));
    for (const { group, metric, current, before } of results) {
      if (!current.series.some((s) => s.points.length)) continue;
      let box = this.boxes.get(metric.name);
      if (!box) this.boxes.set(metric.name, box = new MetricChartBox(`${group.title} · ${metric.name}`, this.events));
      box.show(current, window, before && baseline ? { response: before, shiftMs: window.startMs - baseline.startMs } : undefined, sourceNote(metric));
      shown.add(metric.name);
    }
    for (const [name, box] of this.boxes) {
      if (shown.has(name)) continue;
      box.dispose();
      this.boxes.delete(name);
    }
    replaceChildren(this.element, ...[...shown].map((n) => this.boxes.get(n)!.element));
    return shown.size;
  }

  dispose(): void {
    for (const box of this.boxes.values()) box.dispose();
  }

  private fetch(name: string, service: string, w: TimeWindow): Promise<MetricSeriesResponse> {
    const q = new URLSearchParams({ name, start: msToNs(w.startMs), end: msToNs(w.endMs) });
    if (service) q.set('service', service);
    return this.transport.get<MetricSeriesResponse>(`/api/metrics/series?${q}`);
  }
}

function sourceNote(m: MetricSummary): string {
  const sources = new Set(m.series.map((s) => s.source));
  return sources.has('scrape') ? (sources.has('otlp') ? 'OTLP + scraped' : 'scraped') : 'OTLP';
}
