// Metric series from `GET /api/metrics/series` laid out for one chart: the union of their
// timestamps as the x column and one column per line (series × chart line), plus the
// baseline's lines shifted onto the window, and exemplars as points.

import type { MetricExemplar, MetricSeriesResponse } from '../../../src/protocol/api.ts';
import { nsToMs } from './signalsState.ts';
import type { LineSpec } from './timeChart.ts';

export const PALETTE = ['#3794ff', '#d18616', '#2e9e4f', '#b180d7', '#e5534b', '#1ba1a1', '#c586c0', '#8c8c8c'];
const MAX_LINES = 8;

export interface ChartLayout {
  xs: number[];
  columns: (number | null)[][];
  lines: LineSpec[];
  /** Per column index of an exemplar line: the exemplars by x position. */
  exemplars: Map<number, MetricExemplar[]>;
  unit: string;
  mode: MetricSeriesResponse['series'][number]['chart']['mode'] | undefined;
}

/** A short name for a series among its siblings: the attribute values that differ. */
export function seriesLabel(series: MetricSeriesResponse['series'], i: number): string {
  const keys = new Set(series.flatMap((s) => Object.keys(s.attributes)));
  const differing = [...keys].filter((k) => new Set(series.map((s) => JSON.stringify(s.attributes[k]))).size > 1);
  const parts = differing.map((k) => `${k}=${String(series[i].attributes[k] ?? '')}`);
  return parts.join(' ') || series[i].service;
}

export function layoutMetric(current: MetricSeriesResponse, baseline?: { response: MetricSeriesResponse; shiftMs: number }, withExemplars = false): ChartLayout {
  const wanted: { label: string; times: number[]; values: (number | null)[]; dashed: boolean }[] = [];
  const add = (resp: MetricSeriesResponse, shiftMs: number, dashed: boolean) => {
    resp.series.forEach((s, i) => {
      // Percentile charts show p50 and p99 (p90 and count/s stay in the explorer's table of lines).
      const lines = s.chart.mode === 'percentiles' ? s.chart.lines.filter((l) => l.name === 'p50' || l.name === 'p99') : s.chart.lines;
      for (const line of lines) {
        if (wanted.length >= MAX_LINES * (dashed ? 2 : 1)) return;
        const name = [resp.series.length > 1 ? seriesLabel(resp.series, i) : '', lines.length > 1 || s.chart.mode === 'rate' ? line.name : ''].filter(Boolean).join(' ');
        wanted.push({ label: `${dashed ? 'baseline ' : ''}${name || resp.name}`, times: s.chart.times.map((t) => (nsToMs(t) + shiftMs) / 1000), values: line.values, dashed });
      }
    });
  };
  add(current, 0, false);
  if (baseline) add(baseline.response, baseline.shiftMs, true);
  const exemplarList = withExemplars ? current.series.flatMap((s) => s.chart.exemplars) : [];
  const xs = [...new Set([...wanted.flatMap((w) => w.times), ...exemplarList.map((e) => nsToMs(e.time) / 1000)])].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = wanted.map((w) => {
    const col: (number | null)[] = xs.map(() => null);
    w.times.forEach((t, k) => { col[index.get(t)!] = w.values[k]; });
    return col;
  });
  // Series are sampled at their own times, so most x positions are empty for a given line: join across them.
  const lines: LineSpec[] = wanted.map((w, i) => ({ label: w.label, color: PALETTE[(w.dashed ? i - wanted.findIndex((x) => x.dashed) : i) % PALETTE.length], dashed: w.dashed, spanGaps: true }));
  const exemplars = new Map<number, MetricExemplar[]>();
  if (exemplarList.length) {
    const col: (number | null)[] = xs.map(() => null);
    const at: MetricExemplar[] = [];
    for (const e of exemplarList) {
      const i = index.get(nsToMs(e.time) / 1000)!;
      col[i] = e.value;
      at[i] = e;
    }
    exemplars.set(columns.length, at);
    columns.push(col);
    lines.push({ label: 'exemplars (click: trace)', color: '#e5534b', pointsOnly: true });
  }
  const first = current.series[0];
  return { xs, columns, lines, exemplars, unit: first?.chart.unit ?? '', mode: first?.chart.mode };
}

/** Values in the metric's unit, readably. */
export function unitFormatter(unit: string): (v: number) => string {
  const n = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));
  switch (unit) {
    case '1': return (v) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`;
    case 'By': return (v) => (v >= 1048576 ? `${(v / 1048576).toFixed(0)} MB` : v >= 1024 ? `${(v / 1024).toFixed(0)} KB` : `${v} B`);
    case 's': return (v) => (v < 1 ? `${n(v * 1000)} ms` : `${n(v)} s`);
    case 'ms': return (v) => `${n(v)} ms`;
    default: return (v) => `${n(v)}${unit && !unit.startsWith('{') ? ` ${unit}` : ''}`;
  }
}
