// A flame graph on a 2D canvas: the element, its state (layout, view, hover and
// selection) and one drawing per animation frame at most. What is in view is
// flameViewport.ts, the drawing flamePainter.ts, the mouse flamePointer.ts and the
// arrow keys flameKeys.ts.

import { boxAt, type FlameLayout } from '../model/flameLayout.ts';
import { boxForArrow } from './flameKeys.ts';
import { FlamePainter, type PaintOptions } from './flamePainter.ts';
import { activationOf, listenPointer, type Activation } from './flamePointer.ts';
import { FlameViewport, ROW_PX, type RowPlacement } from './flameViewport.ts';
import { themeColours, type ThemeColours } from './palette.ts';

export { ROW_PX } from './flameViewport.ts';
export { activationOf, type Activation } from './flamePointer.ts';

export type FlameOptions = RowPlacement & PaintOptions;

export interface FlameEvents {
  hover(box: number, x: number, y: number): void;
  /** A click on a box: zoom to it, with Ctrl/Cmd open its source, with Shift show its callers and callees. */
  activate(box: number, how: Activation): void;
  /** Keyboard selection moved. */
  select?(box: number): void;
}

declare global {
  // The benchmark sets this to collect how long each frame's drawing took.
  var __loupeFlameRenders: number[] | undefined;
}

/** Less than this many CSS pixels of movement since the last drawing is not worth a frame. */
const SUBPIXEL = 0.25;

export class FlameCanvas {
  readonly element: HTMLCanvasElement;
  private layout: FlameLayout | undefined;
  private options: FlameOptions = { orientation: 'flame', firstDepth: 0, colour: () => '#ccc' };
  private readonly viewport = new FlameViewport(() => this.options);
  private readonly painter: FlamePainter;
  private hovered = -1;
  private selected = -1;
  private frame = 0;
  private theme: ThemeColours | undefined;
  private fontFamily = '';
  /** What the last drawing showed; a request that would draw the same is skipped. */
  private drawn = { x0: NaN, x1: NaN, scroll: NaN, hovered: -1, selected: -1 };
  private readonly resize = new ResizeObserver(() => this.measure());
  private readonly stopPointer: () => void;

  constructor(names: readonly string[], private readonly events: FlameEvents, label: string) {
    this.element = document.createElement('canvas');
    this.element.className = 'flame-canvas';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', label);
    this.painter = new FlamePainter(names);
    this.resize.observe(this.element);
    const self = this;
    this.stopPointer = listenPointer(this.element, {
      view: this.viewport,
      get icicle() { return self.options.orientation === 'icicle'; },
      boxAtPoint: (x, y) => this.boxAtPoint(x, y),
      hover: (box, x, y) => {
        if (box !== this.hovered) {
          this.hovered = box;
          this.schedule();
        }
        this.events.hover(box, x, y);
      },
      activate: (box, how) => this.events.activate(box, how),
      changed: () => this.schedule(),
    });
    this.element.addEventListener('keydown', (e) => this.key(e));
  }

  setLayout(layout: FlameLayout, options: FlameOptions, keepView = false): void {
    const same = this.layout === layout;
    this.layout = layout;
    this.options = options;
    if (!keepView || !same) {
      this.viewport.showAll(layout.extent, layout.rows.length);
      this.hovered = -1;
      this.selected = -1;
    }
    this.redraw();
  }

  setOptions(options: Partial<FlameOptions>): void {
    this.options = { ...this.options, ...options };
    this.redraw();
  }

  /** The visible x range, in the layout's units. */
  get view(): { x0: number; x1: number } {
    return { x0: this.viewport.x0, x1: this.viewport.x1 };
  }

  zoomTo(box: number): void {
    const l = this.layout;
    if (!l || box < 0) return;
    this.viewport.zoomToRange(l.start[box], l.width[box]);
    this.selected = box;
    this.viewport.reveal(l.depth[box]);
    this.schedule();
  }

  reset(): void {
    if (!this.layout) return;
    this.viewport.showAll(this.layout.extent, this.layout.rows.length);
    this.selected = -1;
    this.schedule();
  }

  /** Zooms by `factor` (< 1 zooms in) around the fraction `at` (0–1) of the width. */
  zoomBy(factor: number, at = 0.5): void {
    if (!this.layout) return;
    this.viewport.zoomBy(factor, at);
    this.schedule();
  }

  /** Pans by `px` CSS pixels (positive: right). */
  panBy(px: number): void {
    this.viewport.panBy(px);
    this.schedule();
  }

  scrollBy(px: number): void {
    this.viewport.scrollTo(this.viewport.scrollPx + px);
    this.schedule();
  }

  /** Redraws now (tests and the benchmark call it to time a frame). */
  renderNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render(true);
  }

  /** The box's rectangle in CSS pixels, if drawn (tests click boxes through this). */
  boxRect(box: number): { x: number; y: number; width: number; height: number } | undefined {
    const l = this.layout;
    const v = this.viewport;
    if (!l || box < 0) return undefined;
    const k = v.scale;
    const x = (l.start[box] - v.x0) * k;
    const w = l.width[box] * k;
    const y = v.rowY(l.depth[box]);
    if (x + w < 0 || x > v.cssWidth || y + ROW_PX < 0 || y > v.cssHeight) return undefined;
    const left = Math.max(0, x);
    return { x: left, y, width: Math.min(v.cssWidth, x + w) - left, height: ROW_PX - 1 };
  }

  dispose(): void {
    this.resize.disconnect();
    this.stopPointer();
    cancelAnimationFrame(this.frame);
  }

  refreshTheme(): void {
    this.theme = undefined;
    this.fontFamily = '';
    this.redraw();
  }

  /** Draws on the next frame even if the view did not move (content or colours changed). */
  private redraw(): void {
    this.drawn.x0 = NaN;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render(false);
    });
  }

  private measure(): void {
    const rect = this.element.getBoundingClientRect();
    const v = this.viewport;
    v.cssWidth = rect.width;
    v.cssHeight = rect.height;
    const dpr = window.devicePixelRatio || 1;
    this.element.width = Math.max(1, Math.round(rect.width * dpr));
    this.element.height = Math.max(1, Math.round(rect.height * dpr));
    v.scrollTo(v.scrollPx);
    this.render(true);
  }

  private boxAtPoint(x: number, y: number): number {
    const l = this.layout;
    if (!l) return -1;
    const depth = this.viewport.depthAtY(y);
    if (depth < this.options.firstDepth) return -1;
    return boxAt(l, depth, this.viewport.xAt(x));
  }

  private render(force: boolean): void {
    const v = this.viewport;
    // Opaque (every drawing fills the background first): the compositor need not blend it.
    const ctx = this.element.getContext('2d', { alpha: false });
    if (!ctx || !v.cssWidth) return;
    const d = this.drawn;
    const k = v.scale;
    if (!force && this.hovered === d.hovered && this.selected === d.selected && Math.abs(v.scrollPx - d.scroll) < SUBPIXEL
      && Math.abs((v.x0 - d.x0) * k) < SUBPIXEL && Math.abs((v.x1 - d.x1) * k) < SUBPIXEL) return;
    const started = performance.now();
    this.drawn = { x0: v.x0, x1: v.x1, scroll: v.scrollPx, hovered: this.hovered, selected: this.selected };
    // Style is read once per theme, not per frame: reading it forces a style recalculation.
    this.theme ??= themeColours(this.element);
    this.fontFamily ||= getComputedStyle(this.element).fontFamily || 'sans-serif';
    ctx.setTransform(this.element.width / v.cssWidth, 0, 0, this.element.width / v.cssWidth, 0, 0);
    this.painter.paint(ctx, this.layout, v, this.options, this.theme, this.fontFamily);
    for (const [box, colour] of [[this.selected, this.theme.outline], [this.hovered, this.theme.text]] as const) {
      const r = this.boxRect(box);
      if (!r) continue;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(r.x + 0.75, r.y + 0.75, Math.max(1, r.width - 1.5), r.height - 1.5);
    }
    globalThis.__loupeFlameRenders?.push(performance.now() - started);
  }

  private key(e: KeyboardEvent): void {
    const l = this.layout;
    if (!l) return;
    switch (e.key) {
      case 'Enter':
        if (this.selected >= 0) this.events.activate(this.selected, activationOf(e));
        e.preventDefault();
        return;
      case '+': case '=': this.zoomBy(0.7); e.preventDefault(); return;
      case '-': case '_': this.zoomBy(1 / 0.7); e.preventDefault(); return;
    }
    const box = boxForArrow(l, this.selected, e.key, this.options);
    if (box === -1 && !e.key.startsWith('Arrow')) return;
    e.preventDefault();
    if (box < 0 || box === this.selected) return;
    this.selected = box;
    // Keep the selection in view horizontally and vertically.
    const v = this.viewport;
    const s = l.start[box], w = l.width[box];
    if (s + w < v.x0 || s > v.x1 || w > v.x1 - v.x0) this.zoomTo(box);
    v.reveal(l.depth[box]);
    this.events.select?.(box);
    this.schedule();
  }
}
