// One uPlot time chart of the signals view: every chart of a group shares the cursor
// (hover values everywhere at once) and the window shown on the x axis; dragging across
// a chart brushes a new window, and a click on a point asks for the traces behind it.

import uPlot from 'uplot';
import { h } from '../ui/dom.ts';

export interface LineSpec {
  label: string;
  color: string;
  /** Dashed: a baseline. */
  dashed?: boolean;
  /** Points only, no line (exemplars). */
  pointsOnly?: boolean;
  /** A second y axis on the right (e.g. error rate beside error counts). */
  right?: boolean;
  /** Join the line across missing values (metric series sampled at their own times). */
  spanGaps?: boolean;
}

export interface ChartEvents {
  /** A window was brushed (ms). */
  brushed(startMs: number, endMs: number): void;
  /** A point was clicked: its time (ms) and which line. */
  clicked(timeMs: number, line: number): void;
}

export const SYNC_KEY = 'loupe-signals';

/** A window marked behind the lines (an alert's firing window), in ms. */
export interface ChartMark {
  startMs: number;
  endMs: number;
  label: string;
  /** Resolved: drawn paler than one still firing. */
  resolved: boolean;
}

export class TimeChart {
  readonly element: HTMLElement;
  readonly summary = h('span', { class: 'chart-summary' });
  private readonly body = h('div', { class: 'chart-body' });
  private plot: uPlot | undefined;
  private readonly resize: ResizeObserver;
  private down: { x: number; y: number } | undefined;
  private marks: ChartMark[] = [];

  constructor(
    title: string,
    private readonly lines: LineSpec[],
    private readonly format: (v: number) => string,
    private readonly events: ChartEvents,
    private readonly formatRight: (v: number) => string = format,
  ) {
    this.element = h('section', { class: 'signal-chart', attrs: { 'aria-label': title } },
      h('header', { class: 'chart-head' }, h('h3', { class: 'chart-title' }, title), this.summary), this.body);
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.body);
  }

  /** `xs` in seconds; one column per line; the x axis spans the window whatever the data. */
  setData(xs: number[], columns: (number | null)[][], windowMs: { startMs: number; endMs: number }): void {
    const data = [xs, ...columns] as uPlot.AlignedData;
    const range: [number, number] = [windowMs.startMs / 1000, windowMs.endMs / 1000];
    if (!this.plot) {
      this.plot = new uPlot(this.options(range), data, this.body);
      this.bindClicks(this.plot);
      return;
    }
    this.plot.batch(() => {
      this.plot!.setData(data, false);
      this.plot!.setScale('x', { min: range[0], max: range[1] });
    });
  }

  /** Windows to shade behind the lines (alerts' firing windows); redrawn at once. */
  setMarks(marks: ChartMark[]): void {
    this.marks = marks;
    this.element.dataset.marks = String(marks.length);
    this.plot?.redraw(false, false);
  }

  dispose(): void {
    this.resize.disconnect();
    this.plot?.destroy();
  }

  private fit(): void {
    const width = Math.max(200, this.body.clientWidth);
    if (this.plot && Math.abs(this.plot.width - width) > 1) this.plot.setSize({ width, height: this.plot.height });
  }

  private options(range: [number, number]): uPlot.Options {
    const theme = themeColors();
    const axis = (side: 0 | 1 | 2 | 3, scale: string, format?: (v: number) => string): uPlot.Axis => ({
      scale, side, stroke: theme.muted, grid: { show: side !== 1, stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 },
      font: `11px ${theme.font}`, size: side === 2 ? 30 : 64,
      ...(format ? { values: (_u: uPlot, ticks: number[]) => ticks.map(format) } : {}),
    });
    const hasRight = this.lines.some((l) => l.right);
    return {
      width: Math.max(200, this.body.clientWidth || 600),
      height: 170,
      scales: { x: { time: true, range: () => range }, y: { range: (_u, _min, max) => [0, niceMax(max)] }, right: { range: (_u, _min, max) => [0, niceMax(max)] } },
      axes: [axis(2, 'x'), axis(3, 'y', this.format), ...(hasRight ? [axis(1, 'right', this.formatRight)] : [])],
      series: [
        { label: 'time' },
        ...this.lines.map((l): uPlot.Series => ({
          label: l.label, stroke: l.color, width: l.dashed ? 1.25 : 1.75, dash: l.dashed ? [5, 4] : undefined,
          scale: l.right ? 'right' : 'y', spanGaps: l.spanGaps ?? false,
          value: (_u, v) => (v === null || v === undefined ? '—' : (l.right ? this.formatRight : this.format)(v)),
          // Lines keep uPlot's own point rule: dots where data is sparse, so a lone step still shows.
          ...(l.pointsOnly ? { paths: () => null, points: { show: true, size: 8, fill: l.color, stroke: l.color } } : {}),
        })),
      ],
      cursor: { sync: { key: SYNC_KEY, setSeries: false }, drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      legend: { live: true },
      hooks: {
        drawClear: [(u) => this.drawMarks(u)],
        setSelect: [(u) => {
          if (u.select.width < 4) return;
          const start = u.posToVal(u.select.left, 'x') * 1000;
          const end = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          this.events.brushed(start, end);
        }],
      },
    };
  }

  private drawMarks(u: uPlot): void {
    if (!this.marks.length) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    for (const m of this.marks) {
      const x0 = Math.max(left, u.valToPos(m.startMs / 1000, 'x', true));
      const x1 = Math.min(left + width, Math.max(x0 + 2 * devicePixelRatio, u.valToPos(m.endMs / 1000, 'x', true)));
      if (x1 <= left || x0 >= left + width) continue;
      ctx.fillStyle = m.resolved ? 'rgba(229, 83, 75, 0.08)' : 'rgba(229, 83, 75, 0.18)';
      ctx.fillRect(x0, top, x1 - x0, height);
      ctx.fillStyle = 'rgba(229, 83, 75, 0.9)';
      ctx.fillRect(x0, top, Math.max(1, devicePixelRatio), height);
      ctx.font = `${10 * devicePixelRatio}px sans-serif`;
      ctx.fillText(`⚠ ${m.label}`, x0 + 3 * devicePixelRatio, top + 11 * devicePixelRatio);
    }
    ctx.restore();
  }

  /** A click without a drag, over a point: the traces behind it. */
  private bindClicks(u: uPlot): void {
    u.over.addEventListener('mousedown', (e) => { this.down = { x: e.clientX, y: e.clientY }; });
    u.over.addEventListener('mouseup', (e) => {
      const d = this.down;
      this.down = undefined;
      if (!d || Math.abs(e.clientX - d.x) > 3 || Math.abs(e.clientY - d.y) > 3) return;
      const idx = u.cursor.idx;
      if (idx === null || idx === undefined) return;
      const line = closestLine(u, idx);
      this.events.clicked(u.data[0][idx] * 1000, line);
    });
    u.over.style.cursor = 'crosshair';
  }
}

/** The line (0-based, without the x column) nearest the cursor at data index `idx`. */
function closestLine(u: uPlot, idx: number): number {
  let best = 0;
  let bestDistance = Infinity;
  const top = u.cursor.top ?? 0;
  for (let s = 1; s < u.series.length; s++) {
    const v = u.data[s][idx];
    if (v === null || v === undefined) continue;
    const distance = Math.abs(u.valToPos(v, u.series[s].scale ?? 'y') - top);
    if (distance < bestDistance) { best = s - 1; bestDistance = distance; }
  }
  return best;
}

function niceMax(max: number | null): number {
  if (!max || !Number.isFinite(max) || max <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(max)));
  const n = max / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * p;
}

/** The chart's colours from the page's theme variables (VS Code's, or the page's fallbacks). */
function themeColors(): { muted: string; grid: string; font: string } {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    muted: v('--vscode-descriptionForeground', '#717171'),
    grid: v('--vscode-editorWidget-border', '#e5e5e5'),
    font: v('--vscode-font-family', 'sans-serif'),
  };
}
