// Draws the boxes of a flame layout that are in view: a binary search per row finds
// the first, boxes narrower than MIN_BOX_PX merge into one grey run, boxes are filled
// grouped by colour (setting a canvas colour parses its string, so each is set once a
// frame) and names are measured once per function, then cut by their average glyph
// width rather than measured again.

import { firstEndingAfter, firstStartingFrom, type FlameLayout } from '../model/flameLayout.ts';
import { ROW_PX, type FlameViewport } from './flameViewport.ts';
import type { ThemeColours } from './palette.ts';

const MIN_BOX_PX = 1.5;
const LABEL_MIN_PX = 24;
const TEXT_PAD = 4;

export interface PaintOptions {
  firstDepth: number;
  colour(box: number): string;
  /** Per function: highlighted by the search (others dimmed). */
  matches?: Uint8Array;
}

export class FlamePainter {
  private readonly labelWidths: Float32Array;
  private charWidth = 6.5;
  private font = '';
  /** Rectangles (x, y, width) per fill colour, reused frame to frame. */
  private readonly fills = new Map<string, number[]>();
  /** Labels to draw after the boxes: box, x, width, y, dimmed (0/1). */
  private readonly labels: number[] = [];

  constructor(private readonly names: readonly string[]) {
    this.labelWidths = new Float32Array(names.length).fill(-1);
  }

  paint(ctx: CanvasRenderingContext2D, l: FlameLayout | undefined, view: FlameViewport, options: PaintOptions, theme: ThemeColours, fontFamily: string): void {
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, view.cssWidth, view.cssHeight);
    if (!l || !l.count) return;
    const font = `11px ${fontFamily}`;
    if (this.font !== font) {
      this.font = font;
      ctx.font = font;
      this.charWidth = ctx.measureText('abcdefghijklmnopqrstuvwxyz').width / 26;
      this.labelWidths.fill(-1);
    } else if (ctx.font !== font) ctx.font = font;
    if (this.fills.size > 4096) this.fills.clear(); // e.g. a diff's many change colours
    for (const list of this.fills.values()) list.length = 0;
    this.labels.length = 0;
    this.collect(l, view, options, theme);
    // One fillRect per box on whole pixels: Chromium rasterizes the frame's drawing when
    // it commits the frame, after this returns, and one path of thousands of
    // antialiased rectangles cost it many times the drawing itself (frames of 50–400 ms
    // at 50 MB while this took 3); plain pixel-aligned rectangles fill at memory speed.
    for (const [colour, list] of this.fills) {
      if (!list.length) continue;
      ctx.fillStyle = colour;
      for (let j = 0; j < list.length; j += 3) ctx.fillRect(list[j], list[j + 1], list[j + 2], ROW_PX - 1);
    }
    ctx.textBaseline = 'middle';
    for (const dimmed of [0, 1]) {
      ctx.fillStyle = dimmed ? theme.text : theme.boxText;
      for (let j = 0; j < this.labels.length; j += 5) {
        if (this.labels[j + 4] === dimmed) this.label(ctx, l, this.labels[j], this.labels[j + 1], this.labels[j + 2], this.labels[j + 3]);
      }
    }
  }

  private collect(l: FlameLayout, view: FlameViewport, options: PaintOptions, theme: ThemeColours): void {
    const k = view.scale;
    const { x0, x1, cssWidth, cssHeight } = view;
    const { colour, matches, firstDepth } = options;
    for (let depth = firstDepth; depth < l.rows.length; depth++) {
      const y = view.rowY(depth);
      if (y + ROW_PX < 0 || y > cssHeight) continue;
      const row = l.rows[depth];
      let i = firstEndingAfter(l, row, x0);
      while (i < row.length) {
        const b = row[i];
        const start = l.start[b];
        if (start >= x1) break;
        const x = (start - x0) * k;
        const w = l.width[b] * k;
        if (w < MIN_BOX_PX) {
          // A run of tiny boxes: one grey block up to the next box worth drawing.
          let next = firstStartingFrom(l, row, x0 + (x + MIN_BOX_PX) / k, i + 1);
          if (next - 1 > i && l.width[row[next - 1]] * k >= MIN_BOX_PX) next--;
          const last = row[next - 1];
          const end = (l.start[last] + l.width[last] - x0) * k;
          if (end - x >= 0.5) this.fill(theme.tiny, x, y, end - x);
          i = next;
          continue;
        }
        const f = l.func[b];
        const dimmed = !!matches && (f < 0 || !matches[f]);
        const left = Math.max(x, -1);
        const right = Math.min(x + w, cssWidth + 1);
        this.fill(dimmed ? theme.dimmed : matches ? theme.match : colour(b), left, y, Math.max(0.5, right - left - (w > 3 ? 0.5 : 0)));
        if (right - left > LABEL_MIN_PX) this.labels.push(b, left, right - left, y, dimmed ? 1 : 0);
        i++;
      }
    }
  }

  private fill(colour: string, x: number, y: number, w: number): void {
    let list = this.fills.get(colour);
    if (!list) this.fills.set(colour, (list = []));
    const left = Math.round(x);
    list.push(left, Math.round(y), Math.max(1, Math.round(x + w) - left));
  }

  private label(ctx: CanvasRenderingContext2D, l: FlameLayout, box: number, x: number, w: number, y: number): void {
    const f = l.func[box];
    const name = f < 0 ? 'all' : this.names[f];
    const room = w - 2 * TEXT_PAD;
    if (room < this.charWidth * 2) return;
    let width = f < 0 ? name.length * this.charWidth : this.labelWidths[f];
    if (width < 0) width = this.labelWidths[f] = ctx.measureText(name).width;
    let text = name;
    if (width > room) {
      const chars = Math.floor((room / width) * name.length) - 1;
      if (chars < 2) return;
      text = `${name.slice(0, chars)}…`;
    }
    ctx.fillText(text, x + TEXT_PAD, y + ROW_PX / 2);
  }
}
