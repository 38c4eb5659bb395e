// Summaries (OTLP Summary points, Prometheus summaries) hold quantiles the app computed
// itself: they cannot be combined across series or windows, so each series' lines are
// drawn as reported, and the chart says so.

import type { ReportedQuantiles } from '../../../src/protocol/api.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { formatMs } from './delta.ts';
import type { ChartEvents } from './timeChart.ts';
import { TimeChart } from './timeChart.ts';
import { nsToMs, type TimeWindow } from './signalsState.ts';

const COLORS = ['#3794ff', '#d18616', '#b180d7', '#4ec9b0', '#e5534b', '#c586c0'];

export class ReportedQuantileCharts {
  readonly element = h('div', { class: 'reported-quantiles' });
  private charts: TimeChart[] = [];

  constructor(private readonly events: ChartEvents) {
    this.element.hidden = true;
  }

  show(summaries: ReportedQuantiles[] | undefined, window: TimeWindow): void {
    for (const c of this.charts) c.dispose();
    this.charts = [];
    const list = summaries ?? [];
    this.element.hidden = list.length === 0;
    if (!list.length) return replaceChildren(this.element);
    const items = list.map((s) => {
      const labels = Object.entries(s.attributes).map(([k, v]) => `${k}=${String(v)}`).join(', ');
      const chart = new TimeChart(`${s.metric}${labels ? ` {${labels}}` : ''} — reported quantiles`,
        s.lines.map((l, i) => ({ label: `q${l.quantile}`, color: COLORS[i % COLORS.length], spanGaps: true })), (v) => formatMs(v), this.events);
      chart.setData(s.times.map((t) => nsToMs(t) / 1000), s.lines.map((l) => l.valuesMs), window);
      this.charts.push(chart);
      return chart.element;
    });
    replaceChildren(this.element,
      h('p', { class: 'section-note' }, 'Summaries: quantiles as the app reported them, one chart per series. Quantiles cannot be merged across series or re-aggregated over time, so Loupe never does.'),
      h('div', { class: 'chart-grid' }, ...items));
  }

  dispose(): void {
    for (const c of this.charts) c.dispose();
  }
}
