// The Compare view: trace A against trace B (picked from the recent runs of A's
// operation, the previous run, or the median of the last N), or the runs of an
// operation before and after a time. State: `a`, then `b` or `against` (+ `n`), or
// `service`, `operation` and `at` for groups.

import type { TracesResponse, TraceSummary } from '../../../src/protocol/api.ts';
import type { CompareResponse, GroupCompareResponse, TraceCompareResponse } from '../../../src/protocol/compare.ts';
import type { View, ViewContext } from '../shell/view.ts';
import type { ViewState } from '../traces/traceFilters.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { formatDuration, formatTimestamp } from '../ui/format.ts';
import { oneLine } from '../ui/inertText.ts';
import { differenceTable } from './differenceTable.ts';
import { groupTable } from './groupTable.ts';
import { mergedTree } from './mergedTree.ts';
import { ms, signed } from './compareFormat.ts';
import { compareQuery, type CompareState, readCompareState } from './compareState.ts';

export class CompareView implements View {
  readonly element = h('div', { class: 'compare-view' });
  private state: CompareState = { kind: 'empty' };
  private loading = 0;

  constructor(private readonly ctx: ViewContext) {}

  show(state: ViewState): void {
    this.state = readCompareState(state);
    void this.load();
  }

  dispose(): void {
    this.loading++;
  }

  private go(state: ViewState): void {
    this.ctx.save(state, true);
    this.show(state);
  }

  private async load(): Promise<void> {
    const ticket = ++this.loading;
    const query = compareQuery(this.state);
    if (!query) {
      replaceChildren(this.element, this.header(), h('p', { class: 'compare-message' },
        'Open a trace and choose “Compare with previous”, or give two trace ids: the view compares them span by span.'));
      return;
    }
    replaceChildren(this.element, this.header(), h('p', { class: 'compare-message' }, 'Comparing…'));
    try {
      const result = await this.ctx.transport.get<CompareResponse>(`/api/compare?${query}`);
      if (ticket !== this.loading) return;
      if (result.kind === 'traces') await this.showTraces(result, ticket);
      else this.showGroups(result);
    } catch (err) {
      if (ticket !== this.loading) return;
      replaceChildren(this.element, this.header(), h('p', { class: 'compare-message error-text', attrs: { role: 'alert' } }, `Cannot compare: ${(err as Error).message}`));
    }
  }

  private header(extra?: Node): HTMLElement {
    return h('header', { class: 'compare-header' },
      h('h2', { class: 'compare-title' }, this.state.kind === 'groups' ? 'Compare before / after' : 'Compare traces'),
      extra ?? null);
  }

  private async showTraces(c: TraceCompareResponse, ticket: number): Promise<void> {
    const basis = c.basis === 'previous' ? 'B is the previous run of this operation' : c.basis === 'median' ? 'B is the median-duration run of the last ones' : '';
    const delta = c.b.durationMs - c.a.durationMs;
    const summary = h('div', { class: 'compare-summary' },
      side('A', c.a, () => this.openTrace(c.a.traceId)),
      side('B', c.b, () => this.openTrace(c.b.traceId)),
      h('div', { class: `compare-delta ${delta > 0 ? 'slower' : delta < 0 ? 'faster' : ''}` },
        h('span', { class: 'compare-delta-value' }, signed(delta)),
        h('span', { class: 'compare-delta-label' }, delta > 0 ? 'B is slower' : delta < 0 ? 'B is faster' : 'same duration'),
        basis ? h('span', { class: 'compare-basis' }, basis) : null));
    const choose = h('div', { class: 'compare-choose' },
      button('Previous run', 'Compare A with the run of the same operation just before it', () => this.go({ a: c.a.traceId, against: 'previous' })),
      button('Median of last 10', 'Compare A with the median-duration run among the 10 before it', () => this.go({ a: c.a.traceId, against: 'median', n: '10' })),
      button('Swap A and B', 'Make B the trace in question', () => this.go({ a: c.b.traceId, b: c.a.traceId })),
      button('Before / after A…', 'Compare the runs of this operation before A started with those from A on', () =>
        this.go({ service: c.a.rootService, operation: c.a.rootName, at: c.a.startTimeUnixNano })));
    const runs = h('section', { class: 'compare-section compare-runs' }, h('h3', null, 'Recent runs of this operation'), h('p', { class: 'compare-message' }, 'Loading…'));
    replaceChildren(this.element, this.header(choose), summary,
      h('section', { class: 'compare-section' },
        h('h3', null, 'Largest differences in own time'),
        differenceTable(c, this.ctx.transport, (trace, span) => this.openTrace(trace, span)),
        c.moreDifferences ? h('p', { class: 'compare-message' }, `${c.moreDifferences} more changed spans are in the tree below.`) : null),
      h('section', { class: 'compare-section' }, h('h3', null, 'Merged tree'), mergedTree(c)),
      runs);
    const list = await this.ctx.transport.get<TracesResponse>(`/api/traces?${new URLSearchParams({ service: c.a.rootService, operation: c.a.rootName, limit: '30' })}`).catch(() => undefined);
    if (ticket !== this.loading) return;
    const same = (list?.traces ?? []).filter((t) => t.rootService === c.a.rootService && t.rootName === c.a.rootName);
    replaceChildren(runs, h('h3', null, 'Recent runs of this operation'), runTable(same, c, (t, as) => this.go(as === 'a' ? { a: t.traceId, b: c.b.traceId } : { a: c.a.traceId, b: t.traceId })));
  }

  private showGroups(g: GroupCompareResponse): void {
    const at = h('input', { class: 'compare-at', attrs: { type: 'datetime-local', step: '1', 'aria-label': 'Compare around this time' } });
    at.value = localInput(g.at);
    const apply = button('Compare', 'Compare the runs before and after this time', () => {
      const ms = Date.parse(at.value);
      if (!Number.isFinite(ms)) return;
      this.go({ service: g.service, operation: g.operation, at: (BigInt(ms) * 1_000_000n).toString() });
    });
    const summary = h('div', { class: 'compare-summary' },
      h('div', { class: 'compare-side' }, h('span', { class: 'compare-side-label' }, 'Before'),
        h('span', { class: 'compare-side-title' }, `${g.before.traces} runs`), h('span', { class: 'compare-fact' }, `p50 ${ms(g.before.p50Ms)} · p95 ${ms(g.before.p95Ms)}`)),
      h('div', { class: 'compare-side' }, h('span', { class: 'compare-side-label' }, 'After'),
        h('span', { class: 'compare-side-title' }, `${g.after.traces} runs`), h('span', { class: 'compare-fact' }, `p50 ${ms(g.after.p50Ms)} · p95 ${ms(g.after.p95Ms)}`)),
      h('div', { class: `compare-delta ${g.after.p50Ms > g.before.p50Ms ? 'slower' : 'faster'}` },
        h('span', { class: 'compare-delta-value' }, signed(g.after.p50Ms - g.before.p50Ms)), h('span', { class: 'compare-delta-label' }, 'change of p50')));
    replaceChildren(this.element,
      this.header(h('div', { class: 'compare-choose' }, h('span', { class: 'compare-operation' }, `${oneLine(g.service)}: ${oneLine(g.operation)} around`), at, apply)),
      summary,
      h('section', { class: 'compare-section' }, h('h3', null, 'Span names by change'), groupTable(g)));
  }

  private openTrace(traceId: string, spanId?: string): void {
    this.ctx.navigate('traces', spanId ? { trace: traceId, span: spanId } : { trace: traceId });
  }
}

function side(label: 'A' | 'B', s: TraceCompareResponse['a'], open: () => void): HTMLElement {
  return h('div', { class: `compare-side side-${label.toLowerCase()}` },
    h('span', { class: 'compare-side-label' }, label),
    h('button', { class: 'link-button compare-side-title', title: `Open trace ${s.traceId}`, on: { click: open } }, `${oneLine(s.rootService)}: ${oneLine(s.rootName)}`),
    h('span', { class: 'compare-fact compare-duration' }, ms(s.durationMs)),
    h('span', { class: 'compare-fact' }, `${s.spanCount} spans${s.errorCount ? ` · ${s.errorCount} errors` : ''}`),
    h('span', { class: 'compare-fact' }, formatTimestamp(s.startTimeUnixNano)),
    h('code', { class: 'compare-id' }, s.traceId));
}

function runTable(runs: TraceSummary[], c: TraceCompareResponse, pick: (t: TraceSummary, as: 'a' | 'b') => void): HTMLElement {
  if (!runs.length) return h('p', { class: 'compare-message' }, 'No other run of this operation is in the store.');
  return h('div', { class: 'compare-run-list', attrs: { role: 'list' } }, ...runs.map((t) => {
    const role = t.traceId === c.a.traceId ? 'A' : t.traceId === c.b.traceId ? 'B' : '';
    return h('div', { class: `compare-run ${role ? 'chosen' : ''}`, attrs: { role: 'listitem' } },
      h('span', { class: 'compare-run-role' }, role),
      h('span', { class: 'compare-run-time' }, formatTimestamp(t.startTimeUnixNano)),
      h('span', { class: 'compare-run-duration' }, formatDuration(Number(t.durationNanos))),
      h('span', { class: 'compare-run-errors' }, t.errorCount ? `${t.errorCount} errors` : ''),
      h('code', { class: 'compare-id' }, t.traceId.slice(0, 12)),
      role === 'A' ? h('span') : button('as A', `Compare this run (A) with B`, () => pick(t, 'a')),
      role === 'B' ? h('span') : button('as B', `Compare A with this run (B)`, () => pick(t, 'b')));
  }));
}

function button(label: string, title: string, click: () => void): HTMLElement {
  return h('vscode-button', { class: 'tool-button', title, attrs: { secondary: '', 'aria-label': title }, on: { click } }, label);
}

/** Unix nanoseconds as the value of a datetime-local input (local time, seconds). */
function localInput(unixNano: string): string {
  const d = new Date(Number(BigInt(unixNano) / 1_000_000n));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
