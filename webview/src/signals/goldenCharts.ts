// The three golden-signal charts of one series (a route, or a service as a whole):
// latency p50/p90/p99, traffic in requests/s, errors as a count and a rate; each with its
// baseline dashed behind it and the change over the window written in its header.

import type { SignalPoint, SignalSeriesItem } from '../../../src/protocol/api.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { delta, formatMs, formatPercent, formatRate, type Delta } from './delta.ts';
import type { TimeWindow } from './signalsState.ts';
import { nsToMs } from './signalsState.ts';
import { TimeChart, type ChartEvents, type ChartMark } from './timeChart.ts';

export const COLORS = { p50: '#3794ff', p90: '#b180d7', p99: '#d18616', traffic: '#3794ff', errors: '#e5534b', rate: '#c586c0', baseline: '#8c8c8c' };

/** What a click on a chart point means: the traces of this series in that step. */
export type PointClick = (startMs: number, endMs: number, errorsOnly: boolean) => void;

export class GoldenCharts {
  readonly element = h('div', { class: 'chart-grid' });
  private readonly latency: TimeChart;
  private readonly traffic: TimeChart;
  private readonly errors: TimeChart;
  private stepMs = 10_000;

  constructor(brushed: ChartEvents['brushed'], clicked: PointClick) {
    const on = (errorsOnly: (line: number) => boolean): ChartEvents => ({
      brushed,
      clicked: (t, line) => clicked(t, t + this.stepMs, errorsOnly(line)),
    });
    this.latency = new TimeChart('Latency', [
      { label: 'p50', color: COLORS.p50 }, { label: 'p90', color: COLORS.p90 }, { label: 'p99', color: COLORS.p99 },
      { label: 'baseline p50', color: COLORS.p50, dashed: true }, { label: 'baseline p99', color: COLORS.p99, dashed: true },
    ], (v) => formatMs(v), on(() => false));
    this.traffic = new TimeChart('Traffic', [
      { label: 'requests/s', color: COLORS.traffic }, { label: 'baseline', color: COLORS.baseline, dashed: true },
    ], formatRate, on(() => false));
    this.errors = new TimeChart('Errors', [
      { label: 'errors', color: COLORS.errors }, { label: 'error rate', color: COLORS.rate, right: true },
      { label: 'baseline errors', color: COLORS.baseline, dashed: true },
    ], (v) => String(Math.round(v * 100) / 100), on((line) => line !== 2), formatPercent);
    replaceChildren(this.element, this.latency.element, this.traffic.element, this.errors.element);
  }

  show(series: SignalSeriesItem | undefined, stepS: number, window: TimeWindow): void {
    this.stepMs = stepS * 1000;
    const points = series?.points ?? [];
    const base = series?.baseline?.points;
    const xs = points.map((p) => nsToMs(p.time) / 1000);
    const baseAt = alignBaseline(points, base);
    const col = (f: (p: SignalPoint) => number | null, from: (SignalPoint | undefined)[] = points) => from.map((p) => (p ? f(p) : null));
    const perSecond = (p: SignalPoint) => p.requests / stepS;
    this.latency.setData(xs, [col((p) => p.p50Ms), col((p) => p.p90Ms), col((p) => p.p99Ms), col((p) => p.p50Ms, baseAt), col((p) => p.p99Ms, baseAt)], window);
    this.traffic.setData(xs, [col(perSecond), col(perSecond, baseAt)], window);
    this.errors.setData(xs, [col((p) => p.errors), col((p) => (p.requests ? p.errors / p.requests : null)), col((p) => p.errors, baseAt)], window);

    const now = series?.totals;
    const before = series?.baseline?.totals;
    summary(this.latency.summary, `p50 ${formatMs(now?.p50Ms)} · p99 ${formatMs(now?.p99Ms)}`, before && delta(now?.p99Ms, before.p99Ms, true), 'p99 ');
    summary(this.traffic.summary, formatRate(now?.requestsPerSecond ?? 0), before && delta(now?.requestsPerSecond, before.requestsPerSecond, undefined));
    summary(this.errors.summary, `${now?.errors ?? 0} (${formatPercent(now?.errorRate ?? 0)})`, before && delta(now?.errors, before.errors, true, true), 'errors ');
  }

  /** Shades the windows alerts fired in on all three charts. */
  mark(marks: ChartMark[]): void {
    for (const c of [this.latency, this.traffic, this.errors]) c.setMarks(marks);
  }

  dispose(): void {
    for (const c of [this.latency, this.traffic, this.errors]) c.dispose();
  }
}

/** Baseline points by the current points' times (the engine already shifted them). */
function alignBaseline(points: SignalPoint[], base: SignalPoint[] | undefined): (SignalPoint | undefined)[] {
  if (!base) return points.map(() => undefined);
  const byTime = new Map(base.map((p) => [p.time, p]));
  return points.map((p) => byTime.get(p.time));
}

function summary(el: HTMLElement, text: string, change: Delta | undefined, what = ''): void {
  replaceChildren(el, text, change && change.text ? h('span', { class: `delta delta-${change.tone}`, title: 'Change against the baseline' }, what + change.text) : null);
}
