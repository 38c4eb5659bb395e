// One trace: toolbar, waterfall, the selected span's details and the trace's logs. The
// trace arrives in columns (the compact binary form, no JSON to parse); a span's
// attributes and events are fetched when it is opened; logs and back-links follow
// without holding up the first screen. While live, a trace that is still growing reloads itself (small traces) or
// offers to (large ones).

import type { BackLink, BackLinksResponse, LogEntry, LogsResponse, TracesResponse } from '../../../src/protocol/api.ts';
import { TRACE_MEDIA_TYPE } from '../../../src/protocol/compactTrace.ts';
import type { TracesData } from '../../../src/protocol/otlp.ts';
import { decodeCompactTrace } from '../../../src/shared/trace/codec.ts';
import type { ViewContext } from '../shell/view.ts';
import { ApiFailure } from '../transport/transport.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { nanosToMillis } from '../ui/format.ts';
import { criticalPath, type CriticalPath } from './criticalPath.ts';
import { logList } from './logList.ts';
import { spanDetails, type DetailsContext } from './spanDetails.ts';
import { TraceToolbar } from './traceToolbar.ts';
import { buildTraceModel, indexOfSpan, spanIdOf, visibleRows, type TraceModel } from './traceModel.ts';
import { addFoundSpans, searchSpans } from './traceSearch.ts';
import { SpanCache } from './spanCache.ts';
import { Waterfall } from './waterfall.ts';

const AUTO_RELOAD_SPANS = 2000;
const CHECK_MS = 1500;

export interface TracePageEvents {
  back(): void;
  openTrace(traceId: string, spanId?: string): void;
  spanSelected(spanId: string | undefined): void;
}

export class TracePage {
  readonly element: HTMLElement;
  private readonly toolbar: TraceToolbar;
  private readonly body = h('div', { class: 'trace-body' }, h('p', { class: 'muted loading' }, 'Loading trace…'));
  private readonly details = h('aside', { class: 'details-pane', attrs: { 'aria-label': 'Span details' } });
  private readonly logsPane = h('details', { class: 'trace-logs' });
  private model: TraceModel | undefined;
  private spans: SpanCache | undefined;
  private searchSeq = 0;
  private waterfall: Waterfall | undefined;
  private path: CriticalPath | undefined;
  private logs: LogEntry[] = [];
  private backlinks: BackLink[] = [];
  private selected = -1;
  private wantedSpan: string | undefined;
  private matchList: number[] = [];
  private matchAt = -1;
  private disposed = false;
  private checking: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: ViewContext, readonly traceId: string, private readonly events: TracePageEvents) {
    this.toolbar = new TraceToolbar(ctx.transport, traceId, {
      back: () => events.back(),
      search: (text) => this.search(text),
      step: (d) => this.step(d),
      expandAll: () => this.waterfall?.expandAll(),
      collapseAll: () => this.waterfall?.collapseAll(),
      criticalPath: (on) => this.showCriticalPath(on),
      exportTrace: () => void this.exportTrace(),
      compare: () => ctx.navigate('compare', { a: traceId, against: 'previous' }),
    });
    this.element = h('div', { class: 'trace-page' }, this.toolbar.element, this.body, this.logsPane);
    this.element.addEventListener('keydown', (e) => {
      if (e.key === '/' && !(e.target as HTMLElement).closest('vscode-textfield')) { e.preventDefault(); this.toolbar.searchField.focus(); }
      if (e.key === 'Escape' && this.selected >= 0) this.select(undefined);
    });
    this.unsubscribe = ctx.transport.onChange((e) => {
      if (e.cleared) void this.load();
      else if (e.spans && ctx.live.isLive) this.scheduleCheck();
    });
    void this.load();
  }

  /** Shows a span's details (by id), once the trace is there. */
  select(spanId: string | undefined): void {
    this.wantedSpan = spanId;
    if (!this.model) return;
    this.showDetails(spanId ? indexOfSpan(this.model, spanId) : -1);
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe();
    if (this.checking) clearTimeout(this.checking);
  }

  private async load(): Promise<void> {
    let model: TraceModel;
    try {
      model = await this.fetchModel();
    } catch (err) {
      const missing = err instanceof ApiFailure && err.status === 404;
      replaceChildren(this.body, h('div', { class: 'list-empty' },
        h('p', { class: missing ? '' : 'error-text' }, missing ? `Trace ${this.traceId} is not in the store: never received, evicted to stay within the memory budget, or cleared.` : `Could not load the trace: ${(err as Error).message}`),
        h('vscode-button', { attrs: { secondary: '' }, on: { click: () => this.events.back() } }, 'Back to traces')));
      return;
    }
    if (this.disposed) return;
    this.show(model);
    performance.mark('loupe:trace-rendered');
    // The first screen is on screen once the frame after this one has started.
    requestAnimationFrame(() => setTimeout(() => performance.mark('loupe:trace-first-screen'), 0));
    void this.loadRelated();
  }

  /** The trace's columns and the tree over them; `loupe:trace-data` marks the bytes' arrival. */
  private async fetchModel(): Promise<TraceModel> {
    const bytes = await this.ctx.transport.getBytes(`/api/traces/${this.traceId}`, TRACE_MEDIA_TYPE);
    performance.mark('loupe:trace-data');
    return buildTraceModel(decodeCompactTrace(bytes));
  }

  private show(model: TraceModel): void {
    const keepSpan = this.selected >= 0 && this.model ? spanIdOf(this.model, this.selected) : this.wantedSpan;
    this.model = model;
    this.spans = new SpanCache(this.ctx.transport, this.traceId);
    this.path = undefined;
    this.waterfall = new Waterfall(model, { select: (i) => this.showDetails(i) });
    this.toolbar.showModel(model, model.errorCount);
    replaceChildren(this.body, this.waterfall.element, this.details);
    this.selected = -1;
    this.select(keepSpan);
    if (this.logs.length) this.applyLogs();
    this.search(this.toolbar.searchField.value);
    this.waterfall.focus();
  }

  private async loadRelated(): Promise<void> {
    const [logs, backlinks, summary] = await Promise.all([
      this.ctx.transport.get<LogsResponse>(`/api/logs?traceId=${this.traceId}&limit=5000`).catch(() => ({ logs: [] })),
      this.ctx.transport.get<BackLinksResponse>(`/api/traces/${this.traceId}/backlinks`).catch(() => ({ backlinks: [], truncated: false })),
      // Its summary says whether the engine read it from disk (memory had evicted it).
      this.ctx.transport.get<TracesResponse>(`/api/traces?q=${this.traceId}&limit=1`).catch(() => ({ traces: [] })),
    ]);
    if (this.disposed) return;
    const listed = summary.traces[0];
    this.toolbar.setFromDisk(listed?.fromDisk ? (listed.partlyFromDisk ? 'partly' : 'all') : undefined);
    this.logs = logs.logs;
    this.backlinks = backlinks.backlinks;
    this.applyLogs();
    if (this.backlinks.length) this.toolbar.setNotice(h('button', { class: 'link-button', on: { click: () => this.showDetails(this.model?.roots[0] ?? -1) } }, `linked from ${this.backlinks.length}${backlinks.truncated ? '+' : ''} span${this.backlinks.length === 1 ? '' : 's'}`));
    if (this.selected >= 0) this.showDetails(this.selected);
  }

  private applyLogs(): void {
    const model = this.model;
    if (!model || !this.waterfall) return;
    const startMs = nanosToMillis(model.startNs.toString());
    const times = new Map<number, number[]>();
    for (const log of this.logs) {
      const index = log.spanId ? indexOfSpan(model, log.spanId) : -1;
      if (index < 0) continue;
      const list = times.get(index) ?? [];
      list.push((nanosToMillis(log.timeUnixNano || log.observedTimeUnixNano) - startMs) * 1e6);
      times.set(index, list);
    }
    this.waterfall.setLogTimes(times);
    replaceChildren(this.logsPane,
      h('summary', null, `Logs of this trace (${this.logs.length})`),
      this.logs.length ? logList(this.detailsContext(), this.logs, true) : h('p', { class: 'muted' }, 'No log records carry this trace’s id.'));
    if (this.logs.length && !this.logsPane.dataset.opened) {
      this.logsPane.open = true;
      this.logsPane.dataset.opened = '1';
    }
  }

  private showDetails(index: number): void {
    this.selected = index;
    const model = this.model;
    if (!model || index < 0) {
      this.details.hidden = true;
      this.events.spanSelected(undefined);
      return;
    }
    const close = () => h('button', { class: 'icon-button close-details', title: 'Close details (Escape)', on: { click: () => this.select(undefined) } }, '×');
    const spanId = spanIdOf(model, index);
    const cache = this.spans!;
    const opened = cache.peek(spanId);
    replaceChildren(this.details, close(), opened ? spanDetails(this.detailsContext(), index, opened) : spanDetails(this.detailsContext(), index, undefined));
    this.details.hidden = false;
    this.details.scrollTop = 0;
    // After the pane shows: in a narrow panel it takes room from the waterfall, whose row must stay in view.
    this.waterfall?.select(index);
    this.events.spanSelected(spanId);
    if (opened) return;
    void cache.get(spanId).then((full) => {
      if (this.disposed || this.selected !== index || this.model !== model) return;
      replaceChildren(this.details, close(), spanDetails(this.detailsContext(), index, full));
    });
  }

  private detailsContext(): DetailsContext {
    return {
      transport: this.ctx.transport,
      model: this.model!,
      logs: this.logs,
      backlinks: this.backlinks,
      openProfiles: (traceId, spanId) => this.ctx.navigate('profiles', { traceId, label: `span_id=${spanId}` }),
      openTrace: (id, span) => (id === this.traceId ? this.select(span) : this.events.openTrace(id, span)),
      selectSpan: (i) => this.showDetails(i),
    };
  }

  private search(text: string): void {
    const model = this.model;
    if (!model || !this.waterfall) return;
    if (!text.trim()) {
      this.matchList = [];
      this.waterfall.setMatches(undefined);
      this.toolbar.setMatches(0, 0, false);
      return;
    }
    const matches = searchSpans(model, text);
    this.showMatches(model, matches);
    // Attributes, events and status messages are searched in the engine; its answer adds to these.
    const seq = ++this.searchSeq;
    void this.ctx.transport.get<{ spanIds: string[] }>(`/api/traces/${this.traceId}/search?q=${encodeURIComponent(text.trim())}`).then((found) => {
      if (seq !== this.searchSeq || this.model !== model || !found.spanIds.length) return;
      addFoundSpans(model, matches, found.spanIds);
      this.showMatches(model, matches);
    }, () => undefined);
  }

  private showMatches(model: TraceModel, matches: Uint8Array): void {
    this.waterfall!.setMatches(matches);
    // In tree order, whatever is collapsed, so stepping walks down the trace.
    const list: number[] = [];
    for (const i of visibleRows(model, new Uint8Array(model.count))) if (matches[i]) list.push(i);
    this.matchList = list;
    this.matchAt = -1;
    this.toolbar.setMatches(-1, list.length, true);
  }

  private async exportTrace(): Promise<void> {
    try {
      const data = await this.ctx.transport.get<TracesData>(`/api/traces/${this.traceId}`);
      this.ctx.transport.saveFile(`trace-${this.traceId}.json`, JSON.stringify(data, null, 1));
    } catch (err) {
      this.toolbar.setNotice(h('span', { class: 'error-text' }, `Export failed: ${(err as Error).message}`));
    }
  }

  private step(direction: 1 | -1): void {
    if (!this.matchList.length) return;
    this.matchAt = (this.matchAt + direction + this.matchList.length) % this.matchList.length;
    this.toolbar.setMatches(this.matchAt, this.matchList.length, true);
    this.showDetails(this.matchList[this.matchAt]);
  }

  private showCriticalPath(on: boolean): void {
    if (!this.model || !this.waterfall) return;
    if (on && !this.path) this.path = criticalPath(this.model);
    this.waterfall.setCriticalPath(on ? this.path : undefined);
  }

  /** A growing trace: reload it when small, offer to when large. */
  private scheduleCheck(): void {
    if (this.checking || !this.model) return;
    this.checking = setTimeout(async () => {
      this.checking = undefined;
      const found = await this.ctx.transport.get<TracesResponse>(`/api/traces?q=${this.traceId}&limit=1`).catch(() => undefined);
      const count = found?.traces[0]?.spanCount;
      if (this.disposed || !this.model || count === undefined || count === this.model.count) return;
      const reload = async () => {
        this.toolbar.setNotice(null);
        const model = await this.fetchModel().catch(() => undefined);
        if (model && !this.disposed) { this.show(model); void this.loadRelated(); }
      };
      if (count <= AUTO_RELOAD_SPANS) void reload();
      else this.toolbar.setNotice(h('button', { class: 'link-button', on: { click: () => void reload() } }, `${count - this.model.count} new spans — reload`));
    }, CHECK_MS);
  }
}
