// The trace list page: filters, the list, and its live updates. The engine filters and
// pages (newest first, a page at a time as the user scrolls); while live, new traces are
// fetched at most once a second; while paused, they are only counted (`LiveList`).

import type { ServiceSummary, TraceSummary, TracesResponse } from '../../../src/protocol/api.ts';
import type { ViewContext } from '../shell/view.ts';
import { h } from '../ui/dom.ts';
import { formatCount } from '../ui/format.ts';
import { renderNoMatch, renderNothingYet } from '../ui/listStatus.ts';
import { LiveList } from '../ui/liveList.ts';
import { FilterBar } from './filterBar.ts';
import { EMPTY_FILTERS, filtersToState, hasFilters, tracesQuery, type TraceFilters } from './traceFilters.ts';
import { TraceTable } from './traceTable.ts';

const PAGE = 200;

export interface ListEvents {
  filtersChanged(f: TraceFilters): void;
  openTrace(traceId: string): void;
}

export class TraceListPage {
  readonly element: HTMLElement;
  private readonly bar: FilterBar;
  private readonly table: TraceTable;
  private readonly list: LiveList<TraceSummary>;
  private filters: TraceFilters = { ...EMPTY_FILTERS, attrs: [] };

  constructor(private readonly ctx: ViewContext, events: ListEvents) {
    this.bar = new FilterBar((f) => {
      this.filters = f;
      events.filtersChanged(f);
      void this.list.load(false);
    });
    this.table = new TraceTable((id) => events.openTrace(id), () => void this.list.loadMore());
    this.list = new LiveList<TraceSummary>(ctx, {
      pageSize: PAGE,
      noun: 'traces',
      key: (t) => t.traceId,
      time: (t) => t.startTimeUnixNano,
      fetchPage: async (endNs) => (await ctx.transport.get<TracesResponse>(tracesQuery(this.filters, Date.now(), PAGE, endNs))).traces,
      arrivals: (e) => (e.newTraces || e.spans ? e.newTraces : undefined),
      starting: (live) => (live ? undefined : this.loadServices()),
      show: (traces, live) => this.table.set(traces, live),
      renderEmpty: () => this.renderEmpty(),
      summary: () => {
        const n = this.list.items.length;
        return `${formatCount(n)}${this.list.more ? '+' : ''} trace${n === 1 ? '' : 's'}${hasFilters(this.filters) ? ' match' : ''}`;
      },
    });
    // Until the traces view shows the list.
    this.list.hidden = true;
    this.element = h('div', { class: 'trace-list-page' }, this.bar.element, this.list.status, this.table.element, this.list.empty);
  }

  setFilters(f: TraceFilters): void {
    const same = JSON.stringify(filtersToState(f)) === JSON.stringify(filtersToState(this.filters));
    this.filters = f;
    this.bar.set(f);
    if (!same || !this.list.items.length) void this.list.load(false);
    else if (this.list.arrivedWhilePaused && this.ctx.live.isLive) void this.list.load(true);
  }

  /** Hidden (a trace is open): stop refreshing. */
  pause(hidden: boolean): void {
    this.list.hidden = hidden;
    if (!hidden) this.table.focus();
  }

  dispose(): void {
    this.list.dispose();
  }

  private async loadServices(): Promise<void> {
    try {
      this.bar.setServices(await this.ctx.transport.get<ServiceSummary[]>('/api/services'));
    } catch {
      // The list still works without the service names.
    }
  }

  private async renderEmpty(): Promise<void> {
    const empty = this.list.empty;
    empty.hidden = this.list.items.length > 0;
    if (this.list.items.length) return;
    if (hasFilters(this.filters)) return renderNoMatch(empty, 'No traces match these filters.', () => this.bar.set({ ...EMPTY_FILTERS, attrs: [] }, true));
    await renderNothingYet(empty, this.ctx.transport, {
      intro: 'No traces yet. Point your app’s OpenTelemetry exporter at Loupe:',
      env: (status) => `# or, for gRPC: ${status?.otlp.grpc || 'http://127.0.0.1:4317'}`,
      outro: 'Traces appear here as they arrive.',
    });
  }
}
