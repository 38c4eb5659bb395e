// What part of a flame layout is in view: the x range in the layout's units and the
// vertical scroll, and the arithmetic between them and CSS pixels on the canvas.

export const ROW_PX = 18;

export interface RowPlacement {
  /** Root at the bottom (flame) or top (icicle). */
  orientation: 'flame' | 'icicle';
  /** Depths above this are not drawn (e.g. the synthetic root in the sandwich). */
  firstDepth: number;
}

export class FlameViewport {
  x0 = 0;
  x1 = 1;
  scrollPx = 0;
  cssWidth = 0;
  cssHeight = 0;
  /** The layout's rows and x extent. */
  rows = 0;
  extent = 1;

  constructor(private readonly placement: () => RowPlacement) {}

  showAll(extent: number, rows: number): void {
    this.extent = extent || 1;
    this.rows = rows;
    this.x0 = 0;
    this.x1 = this.extent;
    this.scrollPx = 0;
  }

  /** CSS pixels per layout unit. */
  get scale(): number {
    return this.cssWidth / (this.x1 - this.x0);
  }

  /** Zooms by `factor` (< 1 zooms in) around the fraction `at` (0–1) of the width. */
  zoomBy(factor: number, at: number): void {
    const span = this.x1 - this.x0;
    const next = Math.min(this.extent, Math.max(this.extent * 1e-9, span * factor));
    const anchor = this.x0 + span * at;
    this.x0 = anchor - next * at;
    this.x1 = this.x0 + next;
    this.clampX();
  }

  zoomToRange(start: number, width: number): void {
    this.x0 = start;
    this.x1 = start + Math.max(width, this.extent * 1e-9);
  }

  /** Pans by `px` CSS pixels (positive: right). */
  panBy(px: number): void {
    this.panTo(this.x0 + (px / Math.max(1, this.cssWidth)) * (this.x1 - this.x0));
  }

  panTo(x0: number): void {
    const span = this.x1 - this.x0;
    this.x0 = x0;
    this.x1 = x0 + span;
    this.clampX();
  }

  scrollTo(px: number): void {
    this.scrollPx = Math.max(0, Math.min(this.maxScroll(), px));
  }

  maxScroll(): number {
    const p = this.placement();
    return Math.max(0, (this.rows - p.firstDepth) * ROW_PX + ROW_PX - this.cssHeight);
  }

  /** Top of a row in CSS pixels. */
  rowY(depth: number): number {
    const p = this.placement();
    const d = depth - p.firstDepth;
    return p.orientation === 'icicle' ? d * ROW_PX - this.scrollPx : this.cssHeight - (d + 1) * ROW_PX + this.scrollPx;
  }

  depthAtY(y: number): number {
    const p = this.placement();
    const d = p.orientation === 'icicle' ? Math.floor((y + this.scrollPx) / ROW_PX) : Math.floor((this.cssHeight + this.scrollPx - y) / ROW_PX);
    return d + p.firstDepth;
  }

  /** The layout x under CSS pixel `px`. */
  xAt(px: number): number {
    return this.x0 + (px / Math.max(1, this.cssWidth)) * (this.x1 - this.x0);
  }

  /** Scrolls so that the row at `depth` is in view. */
  reveal(depth: number): void {
    const y = this.rowY(depth);
    const icicle = this.placement().orientation === 'icicle';
    if (y < 0) this.scrollTo(this.scrollPx + (icicle ? y : -y));
    else if (y + ROW_PX > this.cssHeight) this.scrollTo(this.scrollPx + (icicle ? 1 : -1) * (y + ROW_PX - this.cssHeight));
  }

  private clampX(): void {
    const span = this.x1 - this.x0;
    if (this.x0 < 0) { this.x0 = 0; this.x1 = span; }
    if (this.x1 > this.extent) { this.x1 = this.extent; this.x0 = Math.max(0, this.extent - span); }
  }
}
