// The metrics explorer: every metric name (filterable), and for the chosen one its series
// with their attributes, charted as the engine prepares them (counters as rates, gauges
// as values, histograms as percentile lines) with exemplars that open their trace.

import type { MetricSeriesResponse, MetricSummary } from '../../../src/protocol/api.ts';
import type { Transport } from '../transport/transport.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { MetricChartBox, type MetricChartEvents } from './metricChartBox.ts';
import { seriesLabel } from './metricLines.ts';
import { msToNs, type TimeWindow } from './signalsState.ts';

export interface ExplorerEvents extends MetricChartEvents {
  chosen(metric: string): void;
}

const MODE_TEXT = { value: 'values as recorded', rate: 'a counter, shown as its rate per second', percentiles: 'a histogram, shown as percentiles of each interval from its buckets', quantiles: 'a summary, shown as the quantiles it reported (not re-aggregated)' };

export class MetricsExplorer {
  readonly element: HTMLElement;
  private readonly filter = h('vscode-textfield', { class: 'metric-filter', attrs: { placeholder: 'Filter metrics', 'aria-label': 'Filter metrics' } });
  private readonly list = h('ul', { class: 'metric-list', attrs: { role: 'listbox', 'aria-label': 'Metrics' } });
  private readonly detail = h('div', { class: 'metric-detail' });
  private readonly chart: MetricChartBox;
  private metrics: MetricSummary[] = [];
  private chosen = '';

  constructor(private readonly transport: Transport, private readonly events: ExplorerEvents) {
    this.chart = new MetricChartBox('', events, true);
    this.filter.addEventListener('input', () => this.renderList());
    this.element = h('div', { class: 'metrics-explorer' }, h('div', { class: 'metric-side' }, this.filter, this.list), this.detail);
  }

  /** `service` '' shows every service's metrics. */
  async show(all: MetricSummary[], service: string, chosen: string, window: TimeWindow): Promise<void> {
    const metrics = service ? all.filter((m) => m.series.some((s) => s.service === service)) : all;
    this.metrics = metrics;
    this.chosen = chosen && metrics.some((m) => m.name === chosen) ? chosen : metrics[0]?.name ?? '';
    this.renderList();
    const metric = metrics.find((m) => m.name === this.chosen);
    if (!metric) {
      replaceChildren(this.detail, h('div', { class: 'list-empty' }, service ? `No metrics from ${oneLine(service)}. Choose another service, or all of them.` : 'No metrics yet. Send OTLP metrics to this endpoint, or add Prometheus endpoints to scrape (setting loupe.scrapeTargets, or --scrape on the engine).'));
      return;
    }
    const q = new URLSearchParams({ name: metric.name, start: msToNs(window.startMs), end: msToNs(window.endMs) });
    if (service) q.set('service', service);
    const response = await this.transport.get<MetricSeriesResponse>(`/api/metrics/series?${q}`);
    if (metric.name !== this.chosen) return;
    const mode = response.series[0]?.chart.mode;
    this.chart.show(response, window, undefined, `${response.series.length} series`);
    replaceChildren(this.detail,
      h('h2', { class: 'metric-name mono' }, oneLine(metric.name)),
      h('p', { class: 'metric-about' }, [metric.kind, metric.unit && `unit ${oneLine(metric.unit)}`, mode && MODE_TEXT[mode]].filter(Boolean).join(' · '),
        metric.description ? h('span', { class: 'metric-description' }, ` — ${oneLine(metric.description)}`) : null),
      this.chart.element,
      seriesTable(response));
  }

  dispose(): void {
    this.chart.dispose();
  }

  private renderList(): void {
    const text = this.filter.value.trim().toLowerCase();
    const shown = this.metrics.filter((m) => !text || m.name.toLowerCase().includes(text));
    replaceChildren(this.list, ...shown.map((m) => h('li', {
      class: `metric-item${m.name === this.chosen ? ' selected' : ''}`,
      attrs: { role: 'option', 'aria-selected': String(m.name === this.chosen), tabindex: '0' },
      dataset: { metric: m.name },
      on: {
        click: () => this.events.chosen(m.name),
        keydown: (e) => { if (e.key === 'Enter') this.events.chosen(m.name); },
      },
    },
    h('span', { class: 'mono' }, oneLine(m.name)),
    h('span', { class: 'metric-meta' }, `${m.kind} · ${m.series.length} series${m.series.some((s) => s.source === 'scrape') ? ' · scraped' : ''}`))));
  }
}

function seriesTable(r: MetricSeriesResponse): HTMLElement {
  return h('table', { class: 'series-table' },
    h('thead', null, h('tr', null, h('th', null, 'Series'), h('th', null, 'Service'), h('th', null, 'Attributes'), h('th', { class: 'num' }, 'Points'), h('th', { class: 'num' }, 'Latest'))),
    h('tbody', null, ...r.series.map((s, i) => {
      const first = s.chart.lines[0];
      const latest = first ? [...first.values].reverse().find((v) => v !== null) : undefined;
      return h('tr', null,
        h('td', { class: 'mono' }, oneLine(seriesLabel(r.series, i))),
        h('td', null, oneLine(s.service)),
        h('td', { class: 'mono attrs' }, Object.entries(s.attributes).map(([k, v]) => `${k}=${oneLine(String(v))}`).join('  ') || '—'),
        h('td', { class: 'num' }, String(s.points.length)),
        h('td', { class: 'num' }, latest === undefined || latest === null ? '—' : `${first.name} ${Number(latest.toPrecision(4))}`));
    })));
}
