// The Traces view: the filtered trace list, or one trace's waterfall. Its state is the
// list's filters plus the open trace and span, so a reload (or a link) reopens both.

import type { View, ViewContext } from '../shell/view.ts';
import { TracePage } from '../trace/tracePage.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { filtersFromState, filtersToState, type TraceFilters, type ViewState } from './traceFilters.ts';
import { TraceListPage } from './traceListPage.ts';

export class TracesView implements View {
  readonly element = h('div', { class: 'traces-view' });
  private readonly list: TraceListPage;
  private page: TracePage | undefined;
  private filters: TraceFilters;

  constructor(private readonly ctx: ViewContext) {
    this.filters = filtersFromState({});
    this.list = new TraceListPage(ctx, {
      filtersChanged: (f) => { this.filters = f; ctx.save(filtersToState(f)); },
      openTrace: (traceId) => this.openTrace(traceId, undefined, true),
    });
  }

  show(state: ViewState): void {
    this.filters = filtersFromState(state);
    const trace = typeof state.trace === 'string' && /^[0-9a-f]{32}$/i.test(state.trace) ? state.trace.toLowerCase() : undefined;
    const span = typeof state.span === 'string' ? state.span : undefined;
    if (trace) this.showTrace(trace, span);
    else this.showList();
  }

  dispose(): void {
    this.page?.dispose();
    this.list.dispose();
  }

  private openTrace(traceId: string, spanId: string | undefined, push: boolean): void {
    this.showTrace(traceId, spanId);
    this.ctx.save(this.stateWith(traceId, spanId), push);
  }

  private showTrace(traceId: string, spanId: string | undefined): void {
    if (this.page?.traceId !== traceId) {
      this.page?.dispose();
      this.page = new TracePage(this.ctx, traceId, {
        back: () => { this.showList(); this.ctx.save(filtersToState(this.filters), true); },
        openTrace: (id, span) => this.openTrace(id, span, true),
        spanSelected: (span) => this.ctx.save(this.stateWith(traceId, span), false),
      });
    }
    this.list.pause(true);
    replaceChildren(this.element, this.page.element);
    this.page.select(spanId);
  }

  private showList(): void {
    this.page?.dispose();
    this.page = undefined;
    replaceChildren(this.element, this.list.element);
    this.list.pause(false);
    this.list.setFilters(this.filters);
  }

  private stateWith(traceId: string, spanId: string | undefined): ViewState {
    const state = filtersToState(this.filters);
    state.trace = traceId;
    if (spanId) state.span = spanId;
    return state;
  }
}
