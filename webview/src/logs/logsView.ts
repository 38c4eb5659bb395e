// The Logs view: the filtered record list (newest first, live, a page at a time as the
// user scrolls) with the selected record's details beside it, or the pattern table for
// the same filters. Its state is the filters and the mode, so a reload shows the same.

import type { LogEntry, LogPatternSummary, LogsResponse, ServiceSummary } from '../../../src/protocol/api.ts';
import type { View, ViewContext } from '../shell/view.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { formatCount } from '../ui/format.ts';
import { renderNoMatch, renderNothingYet } from '../ui/listStatus.ts';
import { LiveList } from '../ui/liveList.ts';
import { logDetails } from './logDetails.ts';
import { LogFilterBar } from './logFilterBar.ts';
import { EMPTY_LOG_FILTERS, hasLogFilters, logFiltersFromState, logFiltersToState, logsQuery, patternsQuery, type LogFilters } from './logFilters.ts';
import { LogTable, recordKey } from './logTable.ts';
import { patternTable } from './patternTable.ts';

const PAGE = 300;
const PATTERNS = 200;
/** The pattern table (an aggregate over every matching record) refreshes half as often as the list. */
const PATTERNS_REFRESH_MS = 2000;

export class LogsView implements View {
  readonly element: HTMLElement;
  private readonly bar: LogFilterBar;
  private readonly table: LogTable;
  private readonly list: LiveList<LogEntry>;
  private readonly details = h('aside', { class: 'details-pane log-details-pane', attrs: { 'aria-label': 'Log record' } });
  private readonly listArea: HTMLElement;
  private readonly patternArea = h('div', { class: 'pattern-area' });
  private filters: LogFilters = { ...EMPTY_LOG_FILTERS, attrs: [] };
  private patterns: LogPatternSummary[] = [];

  constructor(private readonly ctx: ViewContext) {
    this.bar = new LogFilterBar((f) => {
      const push = f.mode !== this.filters.mode;
      this.filters = f;
      ctx.save(logFiltersToState(f), push);
      void this.list.load(false);
    });
    this.table = new LogTable((log) => this.showDetails(log), () => void this.list.loadMore());
    this.list = new LiveList<LogEntry>(ctx, {
      pageSize: PAGE,
      noun: 'logs',
      key: recordKey,
      time: (l) => l.timeUnixNano,
      fetchPage: async (endNs) => (await ctx.transport.get<LogsResponse>(logsQuery(this.filters, Date.now(), PAGE, endNs))).logs,
      arrivals: (e) => e.logs || undefined,
      starting: (live) => {
        const patterns = this.filters.mode === 'patterns';
        this.listArea.hidden = patterns;
        this.patternArea.hidden = !patterns;
        if (!live) void this.loadServices();
        return undefined;
      },
      other: {
        shown: () => this.filters.mode === 'patterns',
        load: async () => {
          const list = await ctx.transport.get<LogPatternSummary[]>(patternsQuery(this.filters, Date.now(), PATTERNS));
          return () => {
            this.patterns = list;
            replaceChildren(this.patternArea, patternTable(list, (p) => this.choosePattern(p)));
          };
        },
        refreshMs: PATTERNS_REFRESH_MS,
      },
      show: (logs, live) => {
        this.table.set(logs, live);
        if (!live) this.closeDetails();
      },
      renderEmpty: () => this.renderEmpty(),
      summary: () => this.summary(),
      cleared: () => { this.patterns = []; },
    });
    this.details.hidden = true;
    this.listArea = h('div', { class: 'log-list-area' }, this.table.element, this.details);
    this.element = h('div', { class: 'logs-view' }, this.bar.element, this.list.status, this.listArea, this.patternArea, this.list.empty);
    document.addEventListener('keydown', this.escape);
  }

  show(state: ViewState): void {
    const f = logFiltersFromState(state);
    const same = JSON.stringify(logFiltersToState(f)) === JSON.stringify(logFiltersToState(this.filters));
    this.filters = f;
    this.bar.set(f);
    if (!same || (!this.list.items.length && !this.patterns.length)) void this.list.load(false);
  }

  dispose(): void {
    this.list.dispose();
    document.removeEventListener('keydown', this.escape);
  }

  private readonly escape = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !this.details.hidden && !document.querySelector('dialog[open]')) this.closeDetails();
  };

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

  private summary(): string {
    const patterns = this.filters.mode === 'patterns';
    const n = patterns ? this.patterns.length : this.list.items.length;
    const what = patterns ? `pattern${n === 1 ? '' : 's'}` : `record${n === 1 ? '' : 's'}`;
    const records = patterns ? ` covering ${formatCount(this.patterns.reduce((s, p) => s + p.count, 0))} records` : '';
    return `${formatCount(n)}${!patterns && this.list.more ? '+' : ''} ${what}${records}${hasLogFilters(this.filters) ? ' match' : ''}`;
  }

  private async renderEmpty(): Promise<void> {
    const none = this.filters.mode === 'patterns' ? !this.patterns.length : !this.list.items.length;
    const empty = this.list.empty;
    empty.hidden = !none;
    if (!none) return;
    if (hasLogFilters(this.filters)) {
      return renderNoMatch(empty, 'No log records match these filters.', () => this.bar.set({ ...EMPTY_LOG_FILTERS, attrs: [], mode: this.filters.mode }, true));
    }
    await renderNothingYet(empty, this.ctx.transport, {
      intro: 'No log records yet. Point your app’s OpenTelemetry log exporter at Loupe:',
      env: () => 'OTEL_LOGS_EXPORTER=otlp',
      outro: 'Records appear here as they arrive.',
    });
  }
}
