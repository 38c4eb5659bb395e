// The waterfall: the span tree on the left, each span's bar on a shared time axis on the
// right. Rows are virtualized, so 100,000 spans cost what one screen costs. Keyboard:
// up/down move, left/right collapse/expand (or go to parent/child), Enter shows details.

import { h, replaceChildren } from '../ui/dom.ts';
import { formatDuration } from '../ui/format.ts';
import { shortText } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { VirtualList } from '../ui/virtualList.ts';
import type { CriticalPath } from './criticalPath.ts';
import { niceTicks } from './timeAxis.ts';
import { RowFlag, SpanRow } from './waterfallRow.ts';
import { childCount, isError, spanIdOf, spanName, visibleRows, type TraceModel } from './traceModel.ts';

const ROW_HEIGHT = 24;
const INDENT_PX = 14;
const MAX_INDENT = 32;
const MAX_MARKS = 40;

export interface WaterfallEvents {
  /** A span was chosen (click or Enter). */
  select(index: number): void;
}

export class Waterfall {
  readonly element: HTMLElement;
  private readonly list: VirtualList;
  private readonly axis = h('div', { class: 'axis' });
  private readonly collapsed: Uint8Array;
  private rows: Int32Array = new Int32Array(0);
  private rowOf: Int32Array;
  private focusedRow = 0;
  private selected = -1;
  private path: CriticalPath | undefined;
  private matches: Uint8Array | undefined;
  /** Per span: log times (ns from trace start). */
  private logTimes = new Map<number, number[]>();
  /** Per service (model.services order): colour class and the name as shown. */
  private readonly colorClass: string[];
  private readonly serviceText: string[];
  private readonly rowViews = new Map<HTMLElement, SpanRow>();
  /** Span names as shown, by their index in the string table. */
  private readonly shownNames: (string | undefined)[] = [];

  constructor(private readonly model: TraceModel, private readonly events: WaterfallEvents) {
    this.collapsed = new Uint8Array(model.count);
    this.rowOf = new Int32Array(model.count);
    this.colorClass = model.services.map((s) => serviceColorClass(s));
    this.serviceText = model.services.map((s) => shortText(s, 80).text);
    this.list = new VirtualList(ROW_HEIGHT, { create: () => this.createRow(), update: (row, i) => this.updateRow(row, i) }, 'waterfall-rows');
    const rows = this.list.element;
    rows.tabIndex = 0;
    rows.setAttribute('role', 'tree');
    rows.setAttribute('aria-label', 'Spans');
    rows.addEventListener('click', (e) => this.click(e));
    rows.addEventListener('keydown', (e) => this.key(e));
    // The time grid behind the rows (see waterfall.css).
    rows.prepend(h('div', { class: 'waterfall-grid', attrs: { 'aria-hidden': 'true' } }));
    rows.addEventListener('mouseover', (e) => this.titleRow(e), { passive: true });
    rows.addEventListener('mousemove', (e) => this.titleRow(e), { passive: true });
    const splitter = h('div', { class: 'splitter', title: 'Drag to resize', attrs: { role: 'separator' } });
    splitter.addEventListener('pointerdown', (e) => this.resize(e, splitter));
    const head = h('div', { class: 'waterfall-head' }, h('div', { class: 'head-name' }, 'Service · Span', splitter), this.axis);
    this.element = h('div', { class: 'waterfall' }, head, rows);
    const ticks = niceTicks(model.durationNs);
    this.element.style.setProperty('--tick-step', `${model.durationNs ? (ticks.step / model.durationNs) * 100 : 100}%`);
    replaceChildren(this.axis, ...ticks.values.map((v) => {
      // Round steps read best without their trailing zeros: "5 ms", not "5.00 ms".
      const tick = h('span', { class: 'tick' }, v === 0 ? '0' : formatDuration(v).replace(/\.0+(?= )|(\.\d*?)0+(?= )/, '$1'));
      tick.style.left = `${model.durationNs ? (v / model.durationNs) * 100 : 0}%`;
      return tick;
    }));
    // Labels are about 50 px wide: in a narrow panel, leave out every other one or more.
    const gaps = Math.max(1, ticks.values.length - 1);
    new ResizeObserver(() => {
      const per = this.axis.clientWidth / gaps;
      this.axis.dataset.thin = per < 28 ? '4' : per < 56 ? '2' : '';
    }).observe(this.axis);
    this.relayout();
  }

  /** The visible rows, as span indexes (tests and search use the order). */
  get rowCount(): number {
    return this.rows.length;
  }

  focus(): void {
    this.list.element.focus({ preventScroll: true });
  }

  setCriticalPath(path: CriticalPath | undefined): void {
    this.path = path;
    this.element.classList.toggle('show-critical', !!path);
    this.list.refresh();
  }

  setMatches(matches: Uint8Array | undefined): void {
    this.matches = matches;
    this.element.classList.toggle('searching', !!matches);
    this.list.refresh();
  }

  setLogTimes(times: Map<number, number[]>): void {
    this.logTimes = times;
    this.list.refresh();
  }

  expandAll(): void {
    this.collapsed.fill(0);
    this.relayout();
  }

  /** Collapses every span with children, so only the top level shows. */
  collapseAll(): void {
    const { childStart } = this.model;
    for (let i = 0; i < this.model.count; i++) this.collapsed[i] = childStart[i + 1] > childStart[i] ? 1 : 0;
    this.relayout();
  }

  toggle(index: number): void {
    if (!childCount(this.model, index)) return;
    this.collapsed[index] ^= 1;
    this.relayout();
  }

  /** Selects a span: expands its ancestors, scrolls it into view, focuses its row. */
  select(index: number): void {
    this.selected = index;
    let opened = false;
    for (let p = this.model.parent[index]; p >= 0; p = this.model.parent[p]) {
      if (this.collapsed[p]) { this.collapsed[p] = 0; opened = true; }
    }
    if (opened) this.relayout();
    this.focusedRow = this.rowOf[index];
    this.list.scrollToIndex(this.focusedRow);
    this.list.refresh();
  }

  private relayout(): void {
    this.rows = visibleRows(this.model, this.collapsed);
    this.rowOf.fill(-1);
    for (let r = 0; r < this.rows.length; r++) this.rowOf[this.rows[r]] = r;
    if (this.selected >= 0 && this.rowOf[this.selected] >= 0) this.focusedRow = this.rowOf[this.selected];
    this.focusedRow = Math.min(this.focusedRow, this.rows.length - 1);
    // The time grid ends with the last row.
    this.list.element.style.setProperty('--rows-px', `${this.rows.length * ROW_HEIGHT}px`);
    this.list.setCount(this.rows.length);
  }

  private click(e: MouseEvent): void {
    const r = this.list.indexAt(e.clientY);
    if (r === undefined) return;
    const index = this.rows[r];
    if ((e.target as HTMLElement).closest('.toggle')) {
      this.toggle(index);
      return;
    }
    this.focusedRow = r;
    this.events.select(index);
  }

  private key(e: KeyboardEvent): void {
    if (!this.rows.length) return;
    const index = this.rows[this.focusedRow];
    const { model } = this;
    const kids = childCount(model, index);
    let row = this.focusedRow;
    switch (e.key) {
      case 'ArrowDown': row = Math.min(this.rows.length - 1, row + 1); break;
      case 'ArrowUp': row = Math.max(0, row - 1); break;
      case 'Home': row = 0; break;
      case 'End': row = this.rows.length - 1; break;
      case 'PageDown': row = Math.min(this.rows.length - 1, row + 20); break;
      case 'PageUp': row = Math.max(0, row - 20); break;
      case 'ArrowRight':
        if (kids && this.collapsed[index]) this.toggle(index);
        else if (kids) row = this.rowOf[model.children[model.childStart[index]]];
        break;
      case 'ArrowLeft':
        if (kids && !this.collapsed[index]) this.toggle(index);
        else if (model.parent[index] >= 0) row = this.rowOf[model.parent[index]];
        break;
      case 'Enter': this.events.select(index); break;
      default: return;
    }
    e.preventDefault();
    this.focusedRow = row;
    this.list.scrollToIndex(row);
    this.list.refresh();
  }

  private resize(e: PointerEvent, splitter: HTMLElement): void {
    e.preventDefault();
    splitter.setPointerCapture(e.pointerId);
    const left = this.element.getBoundingClientRect().left;
    const move = (m: PointerEvent) => {
      const width = Math.max(160, Math.min(m.clientX - left, this.element.clientWidth - 160));
      this.element.style.setProperty('--name-col', `${width}px`);
    };
    splitter.addEventListener('pointermove', move);
    splitter.addEventListener('pointerup', () => splitter.removeEventListener('pointermove', move), { once: true });
  }

  private createRow(): HTMLElement {
    const row = new SpanRow();
    this.rowViews.set(row.element, row);
    return row.element;
  }

  private updateRow(element: HTMLElement, r: number): void {
    const row = this.rowViews.get(element)!;
    const index = this.rows[r];
    const m = this.model;
    const total = m.durationNs || 1;
    const kids = childCount(m, index);
    const depth = m.depth[index];
    const start = m.start[index];
    const end = m.end[index];
    const failed = isError(m, index);
    const orphan = m.parentMissing[index] === 1;
    const collapsed = !!this.collapsed[index];
    // The row under the pointer keeps its tooltips, brought up to date, while it shows the same span.
    const retitle = row.hasTitles && row.index === index;
    row.index = index;
    const badges: string[] = [];
    if (failed) badges.push('⚠');
    if (orphan) badges.push('⤒ parent not in trace');
    const logs = this.logTimes.get(index);
    if (logs) badges.push(`☰ ${logs.length}`);
    if (collapsed) badges.push(`+${kids}`);
    const left = (start / total) * 100;
    const width = ((end - start) / total) * 100;
    // Right of the bar if there is room, else left of it, else inside it.
    const place = left + width < 80 ? 'after' : left > 12 ? 'before' : 'inside';
    row.fill({
      spanId: spanIdOf(m, index),
      depth,
      indentPx: Math.min(depth, MAX_INDENT) * INDENT_PX,
      indentText: depth > MAX_INDENT ? `${depth}` : '',
      toggle: kids ? (collapsed ? '▸' : '▾') : '',
      service: this.serviceText[m.serviceIndex[index]],
      name: this.nameOf(index),
      badges: badges.join(' '),
      colorClass: this.colorClass[m.serviceIndex[index]],
      flags: (index === this.selected ? RowFlag.selected : 0) | (r === this.focusedRow ? RowFlag.focused : 0)
        | (failed ? RowFlag.error : 0) | (this.matches?.[index] ? RowFlag.match : 0)
        | (this.path?.onPath[index] ? RowFlag.critical : 0) | (orphan ? RowFlag.orphan : 0),
      expanded: kids ? !collapsed : undefined,
      selected: index === this.selected,
      barLeft: `${left}%`,
      barWidth: `${width}%`,
      duration: formatDuration(end - start),
      durationPlace: place,
      durationLeft: place === 'after' ? `calc(${left + width}% + 4px)` : '',
      durationRight: place === 'before' ? `calc(${100 - left}% + 4px)` : place === 'inside' ? `calc(${100 - left - width}% + 4px)` : '',
    });
    this.renderMarks(row, index, total);
    if (retitle) this.giveTitles(row);
  }

  /** Cut before making inert: a megabyte-long name costs no more than a short one. Kept per name, as scrolling shows the same ones again and again. */
  private nameOf(index: number): string {
    const id = this.model.columns.name[index];
    return this.shownNames[id] ??= shortText(spanName(this.model, index), 200).text;
  }

  /** Tooltips are written only for the row under the pointer (see waterfallRow.ts). */
  private titleRow(e: MouseEvent): void {
    const element = (e.target as HTMLElement).closest('.span-row');
    const row = element && this.rowViews.get(element as HTMLElement);
    if (row && !row.hasTitles && row.index >= 0) this.giveTitles(row);
  }

  private giveTitles(row: SpanRow): void {
    const index = row.index;
    const kids = childCount(this.model, index);
    const collapsed = !!this.collapsed[index];
    const titles: string[] = [];
    if (isError(this.model, index)) titles.push('error status');
    if (this.model.parentMissing[index] === 1) titles.push('its parent span is not in this trace');
    const logs = this.logTimes.get(index);
    if (logs) titles.push(`${logs.length} log record${logs.length === 1 ? '' : 's'}`);
    if (collapsed) titles.push(`${kids} hidden children`);
    row.setTitles({
      toggle: kids ? `${collapsed ? 'Expand' : 'Collapse'} (${kids} children)` : '',
      name: this.nameOf(index),
      badges: titles.join(', '),
    });
  }

  /** Critical-path segments and log ticks, drawn over the bar. */
  private renderMarks(row: SpanRow, index: number, total: number): void {
    const segments = this.path?.segments.get(index);
    const logs = this.logTimes.get(index);
    const key = `${index}:${segments ? 1 : 0}:${logs?.length ?? 0}`;
    if (row.marksKey === key) return;
    // Most spans have neither: a row that had none and has none is left alone.
    const none = !segments && !logs;
    const hadNone = row.marksKey === '' || row.marksKey.endsWith(':0:0');
    row.marksKey = key;
    if (none && hadNone) return;
    const parts: HTMLElement[] = [];
    for (const [s, e] of (segments ?? []).slice(0, MAX_MARKS)) {
      const seg = h('span', { class: 'critical-segment' });
      seg.style.left = `${(s / total) * 100}%`;
      seg.style.width = `${((e - s) / total) * 100}%`;
      parts.push(seg);
    }
    for (const t of (logs ?? []).slice(0, MAX_MARKS)) {
      const tick = h('span', { class: 'log-mark' });
      tick.style.left = `${(t / total) * 100}%`;
      parts.push(tick);
    }
    replaceChildren(row.marks, ...parts);
    // Hidden when empty, as most are: no box to lay out or paint.
    row.marks.hidden = none;
  }
}
