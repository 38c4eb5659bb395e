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

export class VirtualList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows: HTMLElement[] = [];
  /** The item each row shows, or -1. */
  private shown = new Int32Array(0);
  private count = 0;
  private viewportHeight = 0;
  private first = -1;
  private last = -1;
  private capped = false;
  private frame = 0;

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
    const top = this.element.scrollTop * this.ratio(height);
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const last = Math.min(this.count - 1, Math.ceil((top + height) / this.rowHeight) + OVERSCAN);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    const needed = Math.max(0, last - first + 1);
    if (needed > this.rows.length) {
      // Item i always lives in row i % pool size: while scrolling, only the rows that
      // come into view are written to, the others keep their content and place.
      while (this.rows.length < needed + OVERSCAN) {
        const row = this.renderer.create();
        row.classList.add('virtual-row');
        row.style.height = `${this.rowHeight}px`;
        this.rows.push(row);
        this.element.append(row);
      }
      this.shown = new Int32Array(this.rows.length).fill(-1);
      force = true;
    }
    // Capped lists shift every row by the difference between scrolled and virtual pixels.
    const offset = this.element.scrollTop - top;
    const pool = this.rows.length;
    for (let r = 0; r < pool; r++) {
      // The item this row holds in the window [first, first + pool).
      const index = first + ((r - (first % pool) + pool) % pool);
      const row = this.rows[r];
      if (index > last) {
        if (!row.hidden) row.hidden = true;
        this.shown[r] = -1;
        continue;
      }
      if (!force && this.shown[r] === index && !this.capped) continue;
      row.hidden = false;
      row.style.transform = `translateY(${index * this.rowHeight + offset}px)`;
      this.renderer.update(row, index);
      this.shown[r] = index;
    }
  }
}
