// A flame graph on a 2D canvas: draws only the boxes in view (a binary search per row),
// merges boxes narrower than a pixel or two into one grey run, measures each function's
// name once, and answers the mouse and keyboard (hover, zoom, pan, scroll, select).

import { boxAt, firstEndingAfter, firstStartingFrom, type FlameLayout } from '../model/flameLayout.ts';
import { themeColours, type ThemeColours } from './palette.ts';

export const ROW_PX = 18;
const MIN_BOX_PX = 1.5;
const LABEL_MIN_PX = 24;
const TEXT_PAD = 4;

export interface FlameOptions {
  /** Root at the bottom (flame) or top (icicle). */
  orientation: 'flame' | 'icicle';
  /** Depths above this are not drawn (e.g. the synthetic root in the sandwich). */
  firstDepth: number;
  colour(box: number): string;
  /** Per function: highlighted by the search (others dimmed). */
  matches?: Uint8Array;
}

export type Activation = 'zoom' | 'source' | 'sandwich';

export function activationOf(e: MouseEvent | KeyboardEvent): Activation {
  return e.ctrlKey || e.metaKey ? 'source' : e.shiftKey ? 'sandwich' : 'zoom';
}

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

export class FlameCanvas {
  readonly element: HTMLCanvasElement;
  private layout: FlameLayout | undefined;
  private options: FlameOptions = { orientation: 'flame', firstDepth: 0, colour: () => '#ccc' };
  private x0 = 0;
  private x1 = 1;
  private scrollPx = 0;
  private hovered = -1;
  private selected = -1;
  private cssWidth = 0;
  private cssHeight = 0;
  private frame = 0;
  private theme: ThemeColours | undefined;
  private labelWidths = new Float32Array(0);
  private charWidth = 6.5;
  private drag: { x: number; y: number; x0: number; scroll: number; moved: boolean } | undefined;
  private readonly resize = new ResizeObserver(() => this.measure());
  private readonly endDrag = () => { setTimeout(() => { this.drag = undefined; }, 0); };

  constructor(private readonly names: readonly string[], private readonly events: FlameEvents, label: string) {
    this.element = document.createElement('canvas');
    this.element.className = 'flame-canvas';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', label);
    this.labelWidths = new Float32Array(names.length).fill(-1);
    this.resize.observe(this.element);
    this.listen();
  }

  setLayout(layout: FlameLayout, options: FlameOptions, keepView = false): void {
    const same = this.layout === layout;
    this.layout = layout;
    this.options = options;
    if (!keepView || !same) {
      this.x0 = 0;
      this.x1 = layout.extent || 1;
      this.scrollPx = 0;
      this.hovered = -1;
      this.selected = -1;
    }
    this.schedule();
  }

  setOptions(options: Partial<FlameOptions>): void {
    this.options = { ...this.options, ...options };
    this.schedule();
  }

  /** The visible x range, in the layout's units. */
  get view(): { x0: number; x1: number } {
    return { x0: this.x0, x1: this.x1 };
  }

  zoomTo(box: number): void {
    const l = this.layout;
    if (!l || box < 0) return;
    this.x0 = l.start[box];
    this.x1 = l.start[box] + Math.max(l.width[box], l.extent * 1e-9);
    this.selected = box;
    this.scrollTo(box);
    this.schedule();
  }

  reset(): void {
    if (!this.layout) return;
    this.x0 = 0;
    this.x1 = this.layout.extent || 1;
    this.scrollPx = 0;
    this.selected = -1;
    this.schedule();
  }

  /** Zooms by `factor` (< 1 zooms in) around the fraction `at` (0–1) of the width. */
  zoomBy(factor: number, at = 0.5): void {
    const l = this.layout;
    if (!l) return;
    const span = this.x1 - this.x0;
    const next = Math.min(l.extent, Math.max(l.extent * 1e-9, span * factor));
    const anchor = this.x0 + span * at;
    this.x0 = anchor - next * at;
    this.x1 = this.x0 + next;
    this.clampX();
    this.schedule();
  }

  /** Pans by `px` CSS pixels (positive: right). */
  panBy(px: number): void {
    const span = this.x1 - this.x0;
    this.x0 += (px / Math.max(1, this.cssWidth)) * span;
    this.x1 = this.x0 + span;
    this.clampX();
    this.schedule();
  }

  scrollBy(px: number): void {
    this.scrollPx = Math.max(0, Math.min(this.maxScroll(), this.scrollPx + px));
    this.schedule();
  }

  /** Redraws now (tests and the benchmark call it to time a frame). */
  renderNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  /** The box's rectangle in CSS pixels, if drawn (tests click boxes through this). */
  boxRect(box: number): { x: number; y: number; width: number; height: number } | undefined {
    const l = this.layout;
    if (!l || box < 0) return undefined;
    const k = this.cssWidth / (this.x1 - this.x0);
    const x = (l.start[box] - this.x0) * k;
    const w = l.width[box] * k;
    const y = this.rowY(l.depth[box]);
    if (x + w < 0 || x > this.cssWidth || y + ROW_PX < 0 || y > this.cssHeight) return undefined;
    const left = Math.max(0, x);
    return { x: left, y, width: Math.min(this.cssWidth, x + w) - left, height: ROW_PX - 1 };
  }

  dispose(): void {
    this.resize.disconnect();
    window.removeEventListener('mouseup', this.endDrag);
    cancelAnimationFrame(this.frame);
  }

  refreshTheme(): void {
    this.theme = undefined;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private measure(): void {
    const rect = this.element.getBoundingClientRect();
    this.cssWidth = rect.width;
    this.cssHeight = rect.height;
    const dpr = window.devicePixelRatio || 1;
    this.element.width = Math.max(1, Math.round(rect.width * dpr));
    this.element.height = Math.max(1, Math.round(rect.height * dpr));
    this.scrollPx = Math.min(this.scrollPx, this.maxScroll());
    this.render();
  }

  private rowCount(): number {
    return this.layout ? this.layout.rows.length - this.options.firstDepth : 0;
  }

  private maxScroll(): number {
    return Math.max(0, this.rowCount() * ROW_PX + ROW_PX - this.cssHeight);
  }

  /** Top of a row in CSS pixels. */
  private rowY(depth: number): number {
    const d = depth - this.options.firstDepth;
    return this.options.orientation === 'icicle'
      ? d * ROW_PX - this.scrollPx
      : this.cssHeight - (d + 1) * ROW_PX + this.scrollPx;
  }

  private depthAtY(y: number): number {
    const d = this.options.orientation === 'icicle'
      ? Math.floor((y + this.scrollPx) / ROW_PX)
      : Math.floor((this.cssHeight + this.scrollPx - y) / ROW_PX);
    return d + this.options.firstDepth;
  }

  private boxAtPoint(x: number, y: number): number {
    const l = this.layout;
    if (!l) return -1;
    const depth = this.depthAtY(y);
    if (depth < this.options.firstDepth) return -1;
    return boxAt(l, depth, this.x0 + (x / Math.max(1, this.cssWidth)) * (this.x1 - this.x0));
  }

  private scrollTo(box: number): void {
    const l = this.layout!;
    const y = this.rowY(l.depth[box]);
    if (y < 0) this.scrollBy(this.options.orientation === 'icicle' ? y : -y);
    else if (y + ROW_PX > this.cssHeight) this.scrollBy(this.options.orientation === 'icicle' ? y + ROW_PX - this.cssHeight : -(y + ROW_PX - this.cssHeight));
  }

  private clampX(): void {
    const extent = this.layout?.extent ?? 1;
    const span = this.x1 - this.x0;
    if (this.x0 < 0) { this.x0 = 0; this.x1 = span; }
    if (this.x1 > extent) { this.x1 = extent; this.x0 = Math.max(0, extent - span); }
  }

  private render(): void {
    const started = performance.now();
    const l = this.layout;
    const ctx = this.element.getContext('2d');
    if (!ctx || !this.cssWidth) return;
    const dpr = this.element.width / this.cssWidth;
    this.theme ??= themeColours(this.element);
    const theme = this.theme;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, this.cssWidth, this.cssHeight);
    if (!l || !l.count) return;
    const font = `11px ${getComputedStyle(this.element).fontFamily || 'sans-serif'}`;
    if (ctx.font !== font) {
      ctx.font = font;
      this.charWidth = ctx.measureText('abcdefghijklmnopqrstuvwxyz').width / 26;
    }
    ctx.textBaseline = 'middle';
    const k = this.cssWidth / (this.x1 - this.x0);
    const { colour, matches, firstDepth } = this.options;
    const searching = !!matches;
    for (let depth = firstDepth; depth < l.rows.length; depth++) {
      const y = this.rowY(depth);
      if (y + ROW_PX < 0 || y > this.cssHeight) continue;
      const row = l.rows[depth];
      let i = firstEndingAfter(l, row, this.x0);
      while (i < row.length) {
        const b = row[i];
        const start = l.start[b];
        if (start >= this.x1) break;
        const x = (start - this.x0) * k;
        const w = l.width[b] * k;
        if (w < MIN_BOX_PX) {
          // A run of tiny boxes: one grey block up to the next box worth drawing.
          let next = firstStartingFrom(l, row, this.x0 + (x + MIN_BOX_PX) / k, i + 1);
          if (next - 1 > i && l.width[row[next - 1]] * k >= MIN_BOX_PX) next--;
          const last = row[next - 1];
          const end = (l.start[last] + l.width[last] - this.x0) * k;
          if (end - x >= 0.5) {
            ctx.fillStyle = theme.tiny;
            ctx.fillRect(x, y, end - x, ROW_PX - 1);
          }
          i = next;
          continue;
        }
        const f = l.func[b];
        ctx.fillStyle = searching && (f < 0 || !matches[f]) ? theme.dimmed : searching ? theme.match : colour(b);
        const left = Math.max(x, -1);
        const right = Math.min(x + w, this.cssWidth + 1);
        ctx.fillRect(left, y, Math.max(0.5, right - left - (w > 3 ? 0.5 : 0)), ROW_PX - 1);
        if (right - left > LABEL_MIN_PX) this.label(ctx, b, left, right - left, y, searching && (f < 0 || !matches[f]) ? theme.text : theme.boxText);
        i++;
      }
    }
    for (const [box, colourOf] of [[this.selected, theme.outline], [this.hovered, theme.text]] as const) {
      const r = this.boxRect(box);
      if (!r) continue;
      ctx.strokeStyle = colourOf;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(r.x + 0.75, r.y + 0.75, Math.max(1, r.width - 1.5), r.height - 1.5);
    }
    globalThis.__loupeFlameRenders?.push(performance.now() - started);
  }

  private label(ctx: CanvasRenderingContext2D, box: number, x: number, w: number, y: number, colour: string): void {
    const f = this.layout!.func[box];
    const name = f < 0 ? 'all' : this.names[f];
    const room = w - 2 * TEXT_PAD;
    if (room < this.charWidth * 2) return;
    let width = f < 0 ? name.length * this.charWidth : this.labelWidths[f];
    if (width < 0) width = this.labelWidths[f] = ctx.measureText(name).width;
    let text = name;
    if (width > room) {
      // Cut by the name's own average glyph width: no measuring per frame.
      const chars = Math.floor((room / width) * name.length) - 1;
      if (chars < 2) return;
      text = `${name.slice(0, chars)}…`;
    }
    ctx.fillStyle = colour;
    ctx.fillText(text, x + TEXT_PAD, y + ROW_PX / 2);
  }

  private listen(): void {
    const c = this.element;
    c.addEventListener('mousemove', (e) => {
      if (this.drag) {
        const dx = e.clientX - this.drag.x, dy = e.clientY - this.drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) this.drag.moved = true;
        if (this.drag.moved) {
          const span = this.x1 - this.x0;
          this.x0 = this.drag.x0 - (dx / Math.max(1, this.cssWidth)) * span;
          this.x1 = this.x0 + span;
          this.clampX();
          this.scrollPx = Math.max(0, Math.min(this.maxScroll(), this.drag.scroll + (this.options.orientation === 'icicle' ? -dy : dy)));
          this.schedule();
          return;
        }
      }
      const box = this.boxAtPoint(e.offsetX, e.offsetY);
      if (box !== this.hovered) {
        this.hovered = box;
        this.schedule();
      }
      this.events.hover(box, e.clientX, e.clientY);
    });
    c.addEventListener('mouseleave', () => {
      this.hovered = -1;
      this.events.hover(-1, 0, 0);
      this.schedule();
    });
    c.addEventListener('mousedown', (e) => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, y: e.clientY, x0: this.x0, scroll: this.scrollPx, moved: false };
    });
    window.addEventListener('mouseup', this.endDrag);
    c.addEventListener('click', (e) => {
      if (this.drag?.moved) return;
      const box = this.boxAtPoint(e.offsetX, e.offsetY);
      if (box >= 0) this.events.activate(box, activationOf(e));
    });
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const scale = e.deltaMode === 1 ? ROW_PX : e.deltaMode === 2 ? this.cssHeight : 1;
      if (e.ctrlKey || e.metaKey) this.zoomBy(Math.exp(e.deltaY * scale * 0.002), e.offsetX / Math.max(1, this.cssWidth));
      else if (e.shiftKey) this.panBy(e.deltaY * scale);
      else {
        if (e.deltaX) this.panBy(e.deltaX * scale);
        if (e.deltaY) this.scrollBy((this.options.orientation === 'icicle' ? 1 : -1) * e.deltaY * scale);
      }
    }, { passive: false });
    c.addEventListener('keydown', (e) => this.key(e));
  }

  private key(e: KeyboardEvent): void {
    const l = this.layout;
    if (!l) return;
    const up = this.options.orientation === 'icicle' ? 'ArrowUp' : 'ArrowDown';
    let box = this.selected;
    const start = box < 0 ? firstDrawn(l, this.options.firstDepth) : -1;
    switch (e.key) {
      case 'ArrowUp': case 'ArrowDown':
        if (box < 0) box = start;
        else if (e.key === up) box = l.parent[box] >= 0 && l.depth[l.parent[box]] >= this.options.firstDepth ? l.parent[box] : box;
        else box = widestChild(l, box);
        break;
      case 'ArrowLeft': case 'ArrowRight': {
        if (box < 0) { box = start; break; }
        const row = l.rows[l.depth[box]];
        const at = firstStartingFrom(l, row, l.start[box]);
        box = row[Math.max(0, Math.min(row.length - 1, at + (e.key === 'ArrowLeft' ? -1 : 1)))] ?? box;
        break;
      }
      case 'Enter':
        if (box >= 0) this.events.activate(box, activationOf(e));
        e.preventDefault();
        return;
      case '+': case '=': this.zoomBy(0.7); e.preventDefault(); return;
      case '-': case '_': this.zoomBy(1 / 0.7); e.preventDefault(); return;
      default: return;
    }
    e.preventDefault();
    if (box < 0 || box === this.selected) return;
    this.selected = box;
    // Keep the selection in view horizontally and vertically.
    const s = l.start[box], w = l.width[box];
    if (s + w < this.x0 || s > this.x1 || w > this.x1 - this.x0) this.zoomTo(box);
    this.scrollTo(box);
    this.events.select?.(box);
    this.schedule();
  }
}

function firstDrawn(l: FlameLayout, firstDepth: number): number {
  return l.rows[firstDepth]?.[0] ?? -1;
}

function widestChild(l: FlameLayout, box: number): number {
  const row = l.rows[l.depth[box] + 1];
  if (!row) return box;
  const i = firstStartingFrom(l, row, l.start[box]);
  const c = row[i];
  return c !== undefined && l.parent[c] === box ? c : box;
}
