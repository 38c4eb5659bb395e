// A scrolling list that keeps only the rows in view (plus a margin) in the DOM, reusing
// their elements as it scrolls: the cost of a frame depends on the window's height, not
// on whether the list holds 50 rows or 100,000, and rows that stay in view are not
// touched at all.

export interface RowRenderer {
  create(): HTMLElement;
  /** Fills a (reused) row element for the item at `index`. */
  update(row: HTMLElement, index: number): void;
}

const OVERSCAN = 8;
// Browsers cap an element's height (Chromium near 16.7 million px at 1x); far below.
const MAX_SCROLL_PX = 8_000_000;
/** After a jump, the margin rows wait until scrolling has paused this long. */
const SETTLE_MS = 120;

export class VirtualList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement[] = [];
  /** The item each row shows, or -1; and the translateY it was placed at. */
  private shown = new Int32Array(0);
  private placed = new Float64Array(0);
  private count = 0;
  private viewportHeight = 0;
  private first = -1;
  private last = -1;
  private offset = 0;
  /** The first row in view at the last drawing. */
  private firstInView = -1;
  private capped = false;
  private frame = 0;
  private settle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly rowHeight: number, private readonly renderer: RowRenderer, className = '') {
    this.element = document.createElement('div');
    this.element.className = `virtual-list ${className}`;
    this.spacer = document.createElement('div');
    this.spacer.className = 'virtual-spacer';
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => {
      this.viewportHeight = this.element.clientHeight;
      this.schedule();
    }).observe(this.element);
  }

  setCount(count: number): void {
    this.count = count;
    const full = count * this.rowHeight;
    // Very long lists scroll proportionally once they would pass the height cap.
    this.capped = full > MAX_SCROLL_PX;
    this.spacer.style.height = `${Math.min(full, MAX_SCROLL_PX)}px`;
    this.refresh();
  }

  /** Re-renders the rows in view (the data behind them changed). */
  refresh(): void {
    this.render(true);
  }

  scrollToIndex(index: number): void {
    const view = this.element.clientHeight;
    const ratio = this.ratio(view);
    const top = index * this.rowHeight;
    const shown = this.element.scrollTop * ratio;
    if (top < shown) this.element.scrollTop = top / ratio;
    else if (top + this.rowHeight > shown + view) this.element.scrollTop = (top + this.rowHeight - view) / ratio;
    this.render();
  }

  /** The item index at a client Y coordinate, if any. */
  indexAt(clientY: number): number | undefined {
    const rect = this.element.getBoundingClientRect();
    const y = clientY - rect.top + this.element.scrollTop * this.ratio(rect.height);
    const i = Math.floor(y / this.rowHeight);
    return i >= 0 && i < this.count ? i : undefined;
  }

  /** Virtual pixels per scrolled pixel: 1 unless the list passed the height cap. */
  private ratio(view: number): number {
    if (!this.capped) return 1;
    return (this.count * this.rowHeight - view) / Math.max(1, MAX_SCROLL_PX - view);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Synchronous, so a caller can measure or test what is on screen right after. */
  render(force = false): void {
    const height = this.viewportHeight || this.element.clientHeight;
    const scrollTop = this.element.scrollTop;
    const top = scrollTop * this.ratio(height);
    const inView = Math.floor(top / this.rowHeight);
    // A jump past the margin (a dragged scrollbar, a fast fling): the margin drawn last
    // time did not help, and drawing a new one would only lengthen this frame. The
    // rows in view come first; the margin follows once scrolling pauses.
    const jumped = this.firstInView >= 0 && Math.abs(inView - this.firstInView) > OVERSCAN;
    this.firstInView = inView;
    const margin = jumped ? 0 : OVERSCAN;
    if (jumped) {
      clearTimeout(this.settle);
      this.settle = setTimeout(() => { this.firstInView = -1; this.render(); }, SETTLE_MS);
    }
    const first = Math.max(0, inView - margin);
    const last = Math.min(this.count - 1, Math.ceil((top + height) / this.rowHeight) + margin);
    // Capped lists shift every row by the difference between scrolled and virtual pixels.
    const offset = scrollTop - top;
    if (!force && first === this.first && last === this.last && offset === this.offset) return;
    this.first = first;
    this.last = last;
    this.offset = offset;
    // Room for the rows in view and both margins, whatever this frame draws: a pool that
    // grew would move every item to another row.
    const needed = Math.ceil(height / this.rowHeight) + 2 + 2 * OVERSCAN;
    if (needed > this.rows.length) {
      // Item i always lives in row i % pool size: while scrolling, only the rows that
      // come into view are written to, the others keep their content and place.
      while (this.rows.length < needed + OVERSCAN) {
        const row = this.renderer.create();
        row.classList.add('virtual-row');
        row.style.height = `${this.rowHeight}px`;
        row.hidden = true;
        this.rows.push(row);
        this.element.append(row);
      }
      this.shown = new Int32Array(this.rows.length).fill(-1);
      this.placed = new Float64Array(this.rows.length).fill(NaN);
      force = true;
    }
    const pool = this.rows.length;
    for (let r = 0; r < pool; r++) {
      // The item this row holds in the window [first, first + pool).
      const index = first + ((r - (first % pool) + pool) % pool);
      const row = this.rows[r];
      if (index > last) {
        // Left as it is while it shows an item of the list out of view (hiding and
        // showing it again would rebuild its layout); its item is never one in view,
        // since that one lives in this row.
        const was = this.shown[r];
        const y = this.placed[r] - scrollTop;
        if (was >= 0 && (force || was >= this.count || (y + this.rowHeight > 0 && y < height))) {
          row.hidden = true;
          this.shown[r] = -1;
        }
        continue;
      }
      const y = index * this.rowHeight + offset;
      if (force || this.shown[r] !== index) {
        if (row.hidden) row.hidden = false;
        this.renderer.update(row, index);
        this.shown[r] = index;
      }
      if (this.placed[r] !== y) {
        // Only the place changes while a capped list scrolls within the same items.
        row.style.transform = `translateY(${y}px)`;
        this.placed[r] = y;
      }
    }
  }
}
