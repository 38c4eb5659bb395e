// A list view's table: a header of column names over a `VirtualList` of rows (a grid
// for screen readers), newest first, that keeps the rows in view in place when newer
// items arrive above, asks for more near its end, and moves a focused row with the
// keyboard. The trace list and the log list fill in their columns.

import { h } from './dom.ts';
import { VirtualList } from './virtualList.ts';

export interface TableColumns<T> {
  rowHeight: number;
  /** Class names: the table, its rows (the header row too), the header row, the scrolling list; beside the shared ones of list.css. */
  tableClass: string;
  rowClass: string;
  headerClass: string;
  listClass: string;
  /** The focused row before the keyboard moved: the first (0) or none (-1). */
  firstFocused: 0 | -1;
  label: string;
  columns: string[];
  /** What tells an item apart from the others, to find it again after new items arrive. */
  key(item: T): string;
  createRow(): HTMLElement;
  updateRow(row: HTMLElement, item: T, focused: boolean): void;
  /** Click or Enter on an item. */
  activate(index: number): void;
  /** The user scrolled near the end: load more if there is more. */
  nearEnd(): void;
  /** Keys beyond the arrows, Home, End and Enter. */
  otherKey?(e: KeyboardEvent): void;
}

export class VirtualTable<T> {
  readonly element: HTMLElement;
  readonly list: VirtualList;
  items: T[] = [];
  /** The row the keyboard is on, or -1. */
  focused: number;

  constructor(private readonly spec: TableColumns<T>) {
    this.focused = spec.firstFocused;
    const rowHeight = spec.rowHeight;
    this.list = new VirtualList(rowHeight, { create: () => spec.createRow(), update: (row, i) => spec.updateRow(row, this.items[i], i === this.focused) }, `list-rows ${spec.listClass}`);
    const el = this.list.element;
    el.tabIndex = 0;
    el.setAttribute('role', 'grid');
    el.setAttribute('aria-label', spec.label);
    el.addEventListener('click', (e) => {
      const i = this.list.indexAt(e.clientY);
      if (i !== undefined) spec.activate(i);
    });
    el.addEventListener('keydown', (e) => this.key(e));
    el.addEventListener('scroll', () => {
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 20 * rowHeight) spec.nearEnd();
    }, { passive: true });
    const header = h('div', { class: `list-header ${spec.rowClass} ${spec.headerClass}`, attrs: { role: 'row' } },
      ...spec.columns.map((t) => h('span', { attrs: { role: 'columnheader' } }, t)));
    this.element = h('div', { class: `list-table ${spec.tableClass}` }, header, el);
  }

  /** `keepScroll`: newer items arrived above; keep the rows in view where they are. */
  set(items: T[], keepScroll: boolean): void {
    const before = this.items[0] === undefined ? undefined : this.spec.key(this.items[0]);
    this.items = items;
    const el = this.list.element;
    if (keepScroll && before !== undefined && el.scrollTop > 0) {
      const shift = items.findIndex((item) => this.spec.key(item) === before);
      if (shift > 0) el.scrollTop += shift * this.spec.rowHeight;
    } else if (!keepScroll) {
      el.scrollTop = 0;
      this.focused = this.spec.firstFocused;
    }
    this.list.setCount(items.length);
  }

  focus(): void {
    this.list.element.focus();
  }

  refresh(): void {
    this.list.refresh();
  }

  private key(e: KeyboardEvent): void {
    const n = this.items.length;
    if (!n) return;
    let next = this.focused;
    if (e.key === 'ArrowDown') next = Math.min(n - 1, this.focused + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, this.focused - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === 'Enter') { if (this.focused >= 0) this.spec.activate(this.focused); return; }
    else { this.spec.otherKey?.(e); return; }
    e.preventDefault();
    this.focused = next;
    this.list.scrollToIndex(next);
    this.list.refresh();
  }
}
