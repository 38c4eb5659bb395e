// A chart of metric series whose lines change with the data: the uPlot chart is rebuilt
// only when the set of lines changes, and updated in place otherwise.

import type { MetricExemplar, MetricSeriesResponse } from '../../../src/protocol/api.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { layoutMetric, unitFormatter } from './metricLines.ts';
import type { TimeWindow } from './signalsState.ts';
import { TimeChart, type ChartEvents } from './timeChart.ts';

export interface MetricChartEvents {
  brushed: ChartEvents['brushed'];
  /** A click on the chart: a time, and the exemplar when one was hit. */
  clicked(timeMs: number, exemplar: MetricExemplar | undefined): void;
}

export class MetricChartBox {
  readonly element = h('div', { class: 'metric-chart' });
  private chart: TimeChart | undefined;
  private key = '';
  private exemplars = new Map<number, MetricExemplar[]>();

  constructor(private readonly title: string, private readonly events: MetricChartEvents, private readonly withExemplars = false) {}

  show(current: MetricSeriesResponse, window: TimeWindow, baseline?: { response: MetricSeriesResponse; shiftMs: number }, note = ''): void {
    const layout = layoutMetric(current, baseline, this.withExemplars);
    const key = JSON.stringify([layout.lines.map((l) => l.label), layout.unit, layout.mode]);
    if (key !== this.key || !this.chart) {
      this.chart?.dispose();
      const title = layout.mode === 'rate' ? `${this.title} (per second)` : this.title;
      this.chart = new TimeChart(title, layout.lines, unitFormatter(layout.mode === 'rate' ? rateUnit(layout.unit) : layout.unit), {
        brushed: this.events.brushed,
        clicked: (t, line) => this.events.clicked(t, this.exemplarNear(line, t)),
      });
      this.key = key;
      replaceChildren(this.element, this.chart.element);
    }
    this.exemplars = layout.exemplars;
    this.chart.summary.textContent = note;
    this.chart.setData(layout.xs, layout.columns, window);
    this.xs = layout.xs;
  }

  dispose(): void {
    this.chart?.dispose();
  }

  private xs: number[] = [];

  private exemplarNear(line: number, timeMs: number): MetricExemplar | undefined {
    const at = this.exemplars.get(line);
    if (!at) return undefined;
    const i = this.xs.findIndex((x) => Math.abs(x * 1000 - timeMs) < 1);
    return i >= 0 ? at[i] : undefined;
  }
}

/** A counter's unit per second: "s/s" is a utilization, "By/s" stays bytes. */
function rateUnit(unit: string): string {
  return unit === 's/s' ? '1' : unit;
}
