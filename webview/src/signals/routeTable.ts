// The route table: one row per route of the service over the window, sortable by p99,
// traffic or error rate, with the change against the baseline beside each figure. A row
// opens the route's traces; its chart button shows the route in the charts above.

import type { SignalRoute } from '../../../src/protocol/api.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { delta, formatMs, formatPercent, formatRate, type Delta } from './delta.ts';

export type SortKey = 'p99Ms' | 'requestsPerSecond' | 'errorRate' | 'route';

interface Column {
  key: SortKey | 'errors' | 'p50Ms' | 'p95Ms';
  label: string;
  sortable: boolean;
  cell(r: SignalRoute): string;
  change?(r: SignalRoute): Delta;
}

const COLUMNS: Column[] = [
  { key: 'requestsPerSecond', label: 'Traffic', sortable: true, cell: (r) => formatRate(r.requestsPerSecond), change: (r) => delta(r.requestsPerSecond, r.baseline?.requestsPerSecond, undefined) },
  { key: 'errors', label: 'Errors', sortable: false, cell: (r) => String(r.errors), change: (r) => delta(r.errors, r.baseline?.errors, true, true) },
  { key: 'errorRate', label: 'Error rate', sortable: true, cell: (r) => formatPercent(r.errorRate), change: (r) => delta(r.errorRate, r.baseline?.errorRate, true, true) },
  { key: 'p50Ms', label: 'p50', sortable: false, cell: (r) => formatMs(r.p50Ms), change: (r) => delta(r.p50Ms, r.baseline?.p50Ms, true) },
  { key: 'p95Ms', label: 'p95', sortable: false, cell: (r) => formatMs(r.p95Ms), change: (r) => delta(r.p95Ms, r.baseline?.p95Ms, true) },
  { key: 'p99Ms', label: 'p99', sortable: true, cell: (r) => formatMs(r.p99Ms), change: (r) => delta(r.p99Ms, r.baseline?.p99Ms, true) },
];

export interface RouteTableEvents {
  openTraces(route: string): void;
  chartRoute(route: string): void;
}

export class RouteTable {
  readonly element = h('section', { class: 'route-table', attrs: { 'aria-label': 'Routes' } });
  private rows: SignalRoute[] = [];
  private sort: SortKey = 'requestsPerSecond';
  private descending = true;
  private selected = '';

  constructor(private readonly events: RouteTableEvents) {}

  show(rows: SignalRoute[], selectedRoute: string): void {
    this.rows = rows;
    this.selected = selectedRoute;
    this.render();
  }

  private render(): void {
    const sorted = [...this.rows].sort((a, b) => {
      const d = this.sort === 'route' ? a.route.localeCompare(b.route) : (a[this.sort] ?? -1) - (b[this.sort] ?? -1);
      return (this.descending ? -d : d) || a.route.localeCompare(b.route);
    });
    const head = h('tr', null,
      this.headCell('route', 'Route', true),
      ...COLUMNS.map((c) => this.headCell(c.key, c.label, c.sortable)));
    const body = sorted.map((r) => h('tr', {
      class: `route-row${r.route === this.selected ? ' selected' : ''}`,
      dataset: { route: r.route },
      attrs: { tabindex: '0', title: 'Open the traces of this route in this window' },
      on: {
        click: () => this.events.openTraces(r.route),
        keydown: (e) => { if (e.key === 'Enter') this.events.openTraces(r.route); },
      },
    },
    h('td', { class: 'route-name' },
      h('button', {
        class: 'chart-route', title: 'Show this route in the charts', attrs: { 'aria-label': `Chart ${oneLine(r.route)}` },
        on: { click: (e) => { e.stopPropagation(); this.events.chartRoute(r.route); } },
      }, '📈'),
      h('span', { class: 'mono' }, oneLine(r.route))),
    ...COLUMNS.map((c) => {
      const change = r.baseline && c.change ? c.change(r) : undefined;
      return h('td', { class: `num col-${c.key}` }, c.cell(r),
        change && change.text ? h('span', { class: `delta delta-${change.tone}` }, change.text) : null);
    })));
    replaceChildren(this.element, this.rows.length
      ? h('table', null, h('thead', null, head), h('tbody', null, ...body))
      : h('div', { class: 'list-empty' }, 'No requests in this window. Server and consumer spans make routes; send some, or widen the time range.'));
  }

  private headCell(key: Column['key'], label: string, sortable: boolean): HTMLElement {
    if (!sortable) return h('th', { class: 'num' }, label);
    const active = this.sort === key;
    return h('th', { class: key === 'route' ? '' : 'num', attrs: { 'aria-sort': active ? (this.descending ? 'descending' : 'ascending') : 'none' } },
      h('button', {
        class: `sort${active ? ' active' : ''}`, dataset: { sort: key },
        on: { click: () => { this.descending = active ? !this.descending : key !== 'route'; this.sort = key as SortKey; this.render(); } },
      }, label, active ? (this.descending ? ' ▾' : ' ▴') : ''));
  }
}
