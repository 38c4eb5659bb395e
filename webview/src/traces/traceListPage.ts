// The trace list page: filters, the list, and its live updates. The engine filters and
// pages (newest first, a page at a time as the user scrolls); while live, new traces are
// fetched at most once a second; while paused, they are only counted.

import type { ServiceSummary, TraceSummary, TracesResponse } from '../../../src/protocol/api.ts';
import type { ViewContext } from '../shell/view.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { formatCount } from '../ui/format.ts';
import { renderListStatus, renderLoadError, renderNoMatch, renderNothingYet } from '../ui/listStatus.ts';
import { FilterBar } from './filterBar.ts';
import { EMPTY_FILTERS, filtersToState, hasFilters, tracesQuery, type TraceFilters } from './traceFilters.ts';
import { TraceTable } from './traceTable.ts';

const PAGE = 200;
const REFRESH_MS = 1000;

export interface ListEvents {
  filtersChanged(f: TraceFilters): void;
  openTrace(traceId: string): void;
}

export class TraceListPage {
  readonly element: HTMLElement;
  private readonly bar: FilterBar;
  private readonly table: TraceTable;
  private readonly status = h('div', { class: 'list-status', attrs: { role: 'status' } });
  private readonly empty = h('div', { class: 'list-empty' });
  private filters: TraceFilters = { ...EMPTY_FILTERS, attrs: [] };
  private traces: TraceSummary[] = [];
  private more = false;
  private loading: Promise<void> | undefined;
  private generation = 0;
  private hidden = true;
  private arrivedWhilePaused = 0;
  private lastRefresh = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly ctx: ViewContext, private readonly events: ListEvents) {
    this.bar = new FilterBar((f) => {
      this.filters = f;
      events.filtersChanged(f);
      void this.load(false);
    });
    this.table = new TraceTable((id) => events.openTrace(id), () => void this.loadMore());
    this.element = h('div', { class: 'trace-list-page' }, this.bar.element, this.status, this.table.element, this.empty);
    this.unsubscribe.push(
      ctx.transport.onChange((e) => {
        // Cleared data is gone whether or not the view is live: never show it.
        if (e.cleared) {
          // A live refresh merges with what is shown: drop it first, and any refresh
          // scheduled before the data went away.
          this.arrivedWhilePaused = 0;
          clearTimeout(this.refreshTimer);
          this.refreshTimer = undefined;
          this.traces = [];
          void this.load(false);
          return;
        }
        if (!e.newTraces && !e.spans) return;
        if (!ctx.live.isLive || this.hidden) {
          this.arrivedWhilePaused += e.newTraces;
          this.renderStatus();
          return;
        }
        this.scheduleRefresh();
      }),
      ctx.live.onChange((live) => {
        if (live && !this.hidden) void this.load(true);
        this.renderStatus();
      }),
    );
  }

  setFilters(f: TraceFilters): void {
    const same = JSON.stringify(filtersToState(f)) === JSON.stringify(filtersToState(this.filters));
    this.filters = f;
    this.bar.set(f);
    if (!same || !this.traces.length) void this.load(false);
    else if (this.arrivedWhilePaused && this.ctx.live.isLive) void this.load(true);
  }

  /** Hidden (a trace is open): stop refreshing. */
  pause(hidden: boolean): void {
    this.hidden = hidden;
    if (!hidden) this.table.focus();
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    const wait = Math.max(0, this.lastRefresh + REFRESH_MS - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.load(true);
    }, wait);
  }

  /** The first page; `live` merges it above what is loaded instead of starting over. */
  private async load(live: boolean): Promise<void> {
    const generation = ++this.generation;
    this.lastRefresh = Date.now();
    const path = tracesQuery(this.filters, Date.now(), PAGE);
    try {
      const [page] = await Promise.all([
        this.ctx.transport.get<TracesResponse>(path),
        live ? undefined : this.loadServices(),
      ]);
      if (generation !== this.generation) return;
      this.arrivedWhilePaused = 0;
      const ids = new Set(page.traces.map((t) => t.traceId));
      const oldest = page.traces[page.traces.length - 1]?.startTimeUnixNano;
      const kept = live && oldest ? this.traces.filter((t) => !ids.has(t.traceId) && BigInt(t.startTimeUnixNano) < BigInt(oldest)) : [];
      this.traces = [...page.traces, ...kept];
      this.more = page.traces.length === PAGE || (live && this.more);
      this.table.set(this.traces, live);
      await this.renderEmpty();
    } catch (err) {
      if (generation === this.generation) this.showError(err);
    }
    this.renderStatus();
  }

  private loadMore(): Promise<void> | undefined {
    if (!this.more || this.loading) return this.loading;
    const oldest = this.traces[this.traces.length - 1];
    if (!oldest) return undefined;
    const generation = this.generation;
    const end = (BigInt(oldest.startTimeUnixNano) - 1n).toString();
    this.loading = this.ctx.transport.get<TracesResponse>(tracesQuery(this.filters, Date.now(), PAGE, end)).then((page) => {
      if (generation !== this.generation) return;
      const ids = new Set(this.traces.map((t) => t.traceId));
      this.traces = [...this.traces, ...page.traces.filter((t) => !ids.has(t.traceId))];
      this.more = page.traces.length === PAGE;
      this.table.set(this.traces, true);
      this.renderStatus();
    }, (err: unknown) => this.showError(err)).finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async loadServices(): Promise<void> {
    try {
      this.bar.setServices(await this.ctx.transport.get<ServiceSummary[]>('/api/services'));
    } catch {
      // The list still works without the service names.
    }
  }

  private renderStatus(): void {
    const n = this.traces.length;
    renderListStatus(this.status, `${formatCount(n)}${this.more ? '+' : ''} trace${n === 1 ? '' : 's'}${hasFilters(this.filters) ? ' match' : ''}`, this.ctx.live, this.arrivedWhilePaused);
  }

  private async renderEmpty(): Promise<void> {
    this.empty.hidden = this.traces.length > 0;
    if (this.traces.length) return;
    if (hasFilters(this.filters)) return renderNoMatch(this.empty, 'No traces match these filters.', () => this.bar.set({ ...EMPTY_FILTERS, attrs: [] }, true));
    await renderNothingYet(this.empty, this.ctx.transport, {
      intro: 'No traces yet. Point your app’s OpenTelemetry exporter at Loupe:',
      env: (status) => `# or, for gRPC: ${status?.otlp.grpc || 'http://127.0.0.1:4317'}`,
      outro: 'Traces appear here as they arrive.',
    });
  }

  private showError(err: unknown): void {
    renderLoadError(this.empty, `Could not load traces: ${(err as Error).message}`, () => void this.load(false));
  }
}
