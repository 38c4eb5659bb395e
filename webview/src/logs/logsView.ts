// The Logs view: the filtered record list (newest first, live, a page at a time as the
// user scrolls) with the selected record's details beside it, or the pattern table for
// the same filters. Its state is the filters and the mode, so a reload shows the same.

import type { LogEntry, LogPatternSummary, LogsResponse, ServiceSummary } from '../../../src/protocol/api.ts';
import type { View, ViewContext } from '../shell/view.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { formatCount } from '../ui/format.ts';
import { renderListStatus, renderLoadError, renderNoMatch, renderNothingYet } from '../ui/listStatus.ts';
import { logDetails } from './logDetails.ts';
import { LogFilterBar } from './logFilterBar.ts';
import { EMPTY_LOG_FILTERS, hasLogFilters, logFiltersFromState, logFiltersToState, logsQuery, patternsQuery, type LogFilters } from './logFilters.ts';
import { LogTable, recordKey } from './logTable.ts';
import { patternTable } from './patternTable.ts';

const PAGE = 300;
const PATTERNS = 200;
const REFRESH_MS = 1000;

export class LogsView implements View {
  readonly element: HTMLElement;
  private readonly bar: LogFilterBar;
  private readonly table: LogTable;
  private readonly details = h('aside', { class: 'details-pane log-details-pane', attrs: { 'aria-label': 'Log record' } });
  private readonly status = h('div', { class: 'list-status', attrs: { role: 'status' } });
  private readonly empty = h('div', { class: 'list-empty' });
  private readonly listArea: HTMLElement;
  private readonly patternArea = h('div', { class: 'pattern-area' });
  private filters: LogFilters = { ...EMPTY_LOG_FILTERS, attrs: [] };
  private logs: LogEntry[] = [];
  private patterns: LogPatternSummary[] = [];
  private more = false;
  private loading: Promise<void> | undefined;
  private generation = 0;
  private arrivedWhilePaused = 0;
  private lastRefresh = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly ctx: ViewContext) {
    this.bar = new LogFilterBar((f) => {
      const push = f.mode !== this.filters.mode;
      this.filters = f;
      ctx.save(logFiltersToState(f), push);
      void this.load(false);
    });
    this.table = new LogTable((log) => this.showDetails(log), () => void this.loadMore());
    this.details.hidden = true;
    this.listArea = h('div', { class: 'log-list-area' }, this.table.element, this.details);
    this.element = h('div', { class: 'logs-view' }, this.bar.element, this.status, this.listArea, this.patternArea, this.empty);
    this.unsubscribe.push(
      ctx.transport.onChange((e) => {
        // Cleared data (or a new engine) is gone whether or not the view is live.
        if (e.cleared) {
          // A live refresh merges with what is shown: drop it first, and any refresh
          // scheduled before the data went away, or it would bring old records back.
          this.arrivedWhilePaused = 0;
          clearTimeout(this.refreshTimer);
          this.refreshTimer = undefined;
          this.logs = [];
          this.patterns = [];
          void this.load(false);
          return;
        }
        if (!e.logs) return;
        if (!ctx.live.isLive) {
          this.arrivedWhilePaused += e.logs;
          this.renderStatus();
          return;
        }
        this.scheduleRefresh();
      }),
      ctx.live.onChange((live) => {
        if (live) void this.load(true);
        this.renderStatus();
      }),
    );
    document.addEventListener('keydown', this.escape);
  }

  show(state: ViewState): void {
    const f = logFiltersFromState(state);
    const same = JSON.stringify(logFiltersToState(f)) === JSON.stringify(logFiltersToState(this.filters));
    this.filters = f;
    this.bar.set(f);
    if (!same || (!this.logs.length && !this.patterns.length)) void this.load(false);
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    document.removeEventListener('keydown', this.escape);
  }

  private readonly escape = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !this.details.hidden && !document.querySelector('dialog[open]')) this.closeDetails();
  };

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    const wait = Math.max(0, this.lastRefresh + REFRESH_MS * (this.filters.mode === 'patterns' ? 2 : 1) - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.load(true);
    }, wait);
  }

  /** The first page (or the patterns); `live` merges new records above what is loaded. */
  private async load(live: boolean): Promise<void> {
    const generation = ++this.generation;
    this.lastRefresh = Date.now();
    const patterns = this.filters.mode === 'patterns';
    this.listArea.hidden = patterns;
    this.patternArea.hidden = !patterns;
    try {
      if (!live) void this.loadServices();
      if (patterns) {
        const list = await this.ctx.transport.get<LogPatternSummary[]>(patternsQuery(this.filters, Date.now(), PATTERNS));
        if (generation !== this.generation) return;
        this.patterns = list;
        replaceChildren(this.patternArea, patternTable(list, (p) => this.choosePattern(p)));
      } else {
        const page = await this.ctx.transport.get<LogsResponse>(logsQuery(this.filters, Date.now(), PAGE));
        if (generation !== this.generation) return;
        const keys = new Set(page.logs.map(recordKey));
        const oldest = page.logs[page.logs.length - 1]?.timeUnixNano;
        const kept = live && oldest ? this.logs.filter((l) => !keys.has(recordKey(l)) && BigInt(l.timeUnixNano) < BigInt(oldest)) : [];
        this.logs = [...page.logs, ...kept];
        this.more = page.logs.length === PAGE || (live && this.more);
        this.table.set(this.logs, live);
        if (!live) this.closeDetails();
      }
      this.arrivedWhilePaused = 0;
      await this.renderEmpty();
    } catch (err) {
      if (generation === this.generation) this.showError(err);
    }
    this.renderStatus();
  }

  private loadMore(): Promise<void> | undefined {
    if (!this.more || this.loading || this.filters.mode !== 'list') return this.loading;
    const oldest = this.logs[this.logs.length - 1];
    if (!oldest) return undefined;
    const generation = this.generation;
    const end = (BigInt(oldest.timeUnixNano) - 1n).toString();
    this.loading = this.ctx.transport.get<LogsResponse>(logsQuery(this.filters, Date.now(), PAGE, end)).then((page) => {
      if (generation !== this.generation) return;
      this.logs = [...this.logs, ...page.logs];
      this.more = page.logs.length === PAGE;
      this.table.set(this.logs, true);
      this.renderStatus();
    }, (err: unknown) => this.showError(err)).finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async loadServices(): Promise<void> {
    try {
      this.bar.setServices(await this.ctx.transport.get<ServiceSummary[]>('/api/services'));
    } catch {
      // The view still works without the service names.
    }
  }

  private choosePattern(p: LogPatternSummary): void {
    // The pattern belongs to one service: narrowing to it keeps the list's other filters honest.
    this.bar.set({ ...this.filters, attrs: [...this.filters.attrs], pattern: String(p.id), service: p.service, mode: 'list' }, true);
  }

  private showDetails(log: LogEntry | undefined): void {
    if (!log) return this.closeDetails();
    replaceChildren(this.details, logDetails(this.ctx.transport, log, {
      openTrace: (trace, span) => this.ctx.navigate('traces', span ? { trace, span } : { trace }),
      close: () => this.closeDetails(),
    }));
    this.details.hidden = false;
    this.details.scrollTop = 0;
  }

  private closeDetails(): void {
    this.details.hidden = true;
    replaceChildren(this.details);
    this.table.clearSelection();
  }

  private renderStatus(): void {
    const patterns = this.filters.mode === 'patterns';
    const n = patterns ? this.patterns.length : this.logs.length;
    const what = patterns ? `pattern${n === 1 ? '' : 's'}` : `record${n === 1 ? '' : 's'}`;
    const records = patterns ? ` covering ${formatCount(this.patterns.reduce((s, p) => s + p.count, 0))} records` : '';
    renderListStatus(this.status, `${formatCount(n)}${!patterns && this.more ? '+' : ''} ${what}${records}${hasLogFilters(this.filters) ? ' match' : ''}`, this.ctx.live, this.arrivedWhilePaused);
  }

  private async renderEmpty(): Promise<void> {
    const none = this.filters.mode === 'patterns' ? !this.patterns.length : !this.logs.length;
    this.empty.hidden = !none;
    if (!none) return;
    if (hasLogFilters(this.filters)) {
      return renderNoMatch(this.empty, 'No log records match these filters.', () => this.bar.set({ ...EMPTY_LOG_FILTERS, attrs: [], mode: this.filters.mode }, true));
    }
    await renderNothingYet(this.empty, this.ctx.transport, {
      intro: 'No log records yet. Point your app’s OpenTelemetry log exporter at Loupe:',
      env: () => 'OTEL_LOGS_EXPORTER=otlp',
      outro: 'Records appear here as they arrive.',
    });
  }

  private showError(err: unknown): void {
    renderLoadError(this.empty, `Could not load logs: ${(err as Error).message}`, () => void this.load(false));
  }
}
