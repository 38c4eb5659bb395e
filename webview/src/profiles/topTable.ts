// The top table: one row per function with self and total (total counting a function
// once per stack), sortable by any column, narrowed by the page's search. A click shows
// the function's callers and callees; Ctrl/Cmd-click opens its source.

import type { SampleType } from '../../../src/protocol/profile.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { VirtualList } from '../ui/virtualList.ts';
import type { FunctionFigures } from './model/functionTotals.ts';
import type { FunctionTable } from './model/functions.ts';
import { formatShare, formatValue } from './valueFormat.ts';

const ROW_HEIGHT = 24;

type Column = 'name' | 'self' | 'total' | 'change';

export interface TopTableEvents {
  open(func: number, openSource: boolean): void;
  sorted(column: Column, descending: boolean): void;
}

export class TopTable {
  readonly element: HTMLElement;
  private readonly list: VirtualList;
  private readonly header = h('div', { class: 'top-row top-header', attrs: { role: 'row' } });
  private rows = new Uint32Array(0);
  private figures: FunctionFigures | undefined;
  private grandTotal = 1;
  private type: SampleType | undefined;
  private column: Column = 'self';
  private descending = true;

  constructor(private readonly fns: FunctionTable, private readonly events: TopTableEvents) {
    this.list = new VirtualList(ROW_HEIGHT, { create: () => this.createRow(), update: (row, i) => this.updateRow(row, i) }, 'top-rows');
    this.list.element.tabIndex = 0;
    this.list.element.setAttribute('role', 'grid');
    this.list.element.setAttribute('aria-label', 'Functions by self and total');
    this.list.element.addEventListener('click', (e) => {
      const i = this.list.indexAt(e.clientY);
      if (i !== undefined) this.events.open(this.rows[i], e.ctrlKey || e.metaKey);
    });
    this.element = h('div', { class: 'top-table' }, this.header, this.list.element);
  }

  get isDiff(): boolean {
    return !!this.figures?.baseTotal;
  }

  /** `matches`: only these functions (the search), or all with any weight. */
  show(figures: FunctionFigures, grandTotal: number, type: SampleType | undefined, matches?: Uint8Array, sort?: { column: string; descending: boolean }): void {
    this.figures = figures;
    this.grandTotal = grandTotal || 1;
    this.type = type;
    if (sort && ['name', 'self', 'total', 'change'].includes(sort.column)) {
      this.column = sort.column as Column;
      this.descending = sort.descending;
    }
    const keep: number[] = [];
    for (let f = 0; f < this.fns.count; f++) {
      const weight = figures.total[f] || figures.baseTotal?.[f];
      if (weight && (!matches || matches[f])) keep.push(f);
    }
    this.rows = Uint32Array.from(keep);
    this.sort();
    this.renderHeader();
    this.list.setCount(this.rows.length);
    this.list.refresh();
  }

  private sort(): void {
    const f = this.figures!;
    const names = this.fns.name;
    const key: (i: number) => number | string = this.column === 'name' ? (i) => names[i]
      : this.column === 'self' ? (i) => f.self[i]
        : this.column === 'total' ? (i) => f.total[i]
          : (i) => f.total[i] - (f.baseTotal?.[i] ?? 0);
    const sign = this.descending ? -1 : 1;
    const sorted = Array.from(this.rows).sort((a, b) => {
      const ka = key(a), kb = key(b);
      return (ka < kb ? -1 : ka > kb ? 1 : 0) * sign || names[a].localeCompare(names[b]);
    });
    this.rows = Uint32Array.from(sorted);
  }

  private renderHeader(): void {
    const cols: [Column | undefined, string][] = [['name', 'Function'], [undefined, 'Location'], ['self', 'Self'], [undefined, 'Self %'], ['total', 'Total'], [undefined, 'Total %']];
    if (this.isDiff) cols.push(['change', 'Change']);
    this.header.classList.toggle('diff', this.isDiff);
    this.list.element.classList.toggle('diff', this.isDiff);
    replaceChildren(this.header, ...cols.map(([col, label]) => {
      if (!col) return h('span', { attrs: { role: 'columnheader' } }, label);
      const active = col === this.column;
      return h('button', {
        class: `sort-header${active ? ' active' : ''}`,
        attrs: { role: 'columnheader', 'aria-sort': active ? (this.descending ? 'descending' : 'ascending') : 'none' },
        on: {
          click: () => {
            this.descending = col === this.column ? !this.descending : col !== 'name';
            this.column = col;
            this.sort();
            this.renderHeader();
            this.list.refresh();
            this.events.sorted(col, this.descending);
          },
        },
      }, `${label}${active ? (this.descending ? ' ▾' : ' ▴') : ''}`);
    }));
  }

  private createRow(): HTMLElement {
    return h('div', { class: 'top-row', attrs: { role: 'row' } },
      h('span', { class: 'top-name' }), h('span', { class: 'top-file muted' }), h('span', { class: 'num' }), h('span', { class: 'num share' }),
      h('span', { class: 'num' }), h('span', { class: 'num share' }), h('span', { class: 'num change' }));
  }

  private updateRow(row: HTMLElement, i: number): void {
    const f = this.rows[i];
    const fig = this.figures!;
    const cells = row.children;
    const name = this.fns.name[f];
    cells[0].textContent = oneLine(name);
    (cells[0] as HTMLElement).title = name;
    const file = this.fns.file[f];
    cells[1].textContent = file ? oneLine(`${file.split(/[\\/]/).pop()}${this.fns.line[f] ? `:${this.fns.line[f]}` : ''}`) : '';
    (cells[1] as HTMLElement).title = file;
    cells[2].textContent = formatValue(fig.self[f], this.type);
    cells[3].textContent = formatShare(fig.self[f], this.grandTotal);
    cells[4].textContent = formatValue(fig.total[f], this.type);
    cells[5].textContent = formatShare(fig.total[f], this.grandTotal);
    const changeCell = cells[6] as HTMLElement;
    changeCell.hidden = !fig.baseTotal;
    if (fig.baseTotal) {
      const delta = fig.total[f] - fig.baseTotal[f];
      changeCell.textContent = `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${formatValue(Math.abs(delta), this.type)}`;
      changeCell.className = `num change ${delta > 0 ? 'more' : delta < 0 ? 'less' : ''}`;
    }
    row.dataset.func = String(f);
  }
}
