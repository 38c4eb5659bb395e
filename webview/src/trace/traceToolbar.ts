// The head of a trace page: what the trace is (root, id, duration, counts, services with
// their colours) and what can be done with it (search, expand/collapse, critical path,
// export).

import type { Transport } from '../transport/transport.ts';
import { copyButton } from '../ui/copyButton.ts';
import { debounce, h, replaceChildren } from '../ui/dom.ts';
import { diskMark } from '../ui/diskMark.ts';
import { formatDuration, formatTimestamp } from '../ui/format.ts';
import { oneLine } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { spanName, spanService, type TraceModel } from './traceModel.ts';

export interface ToolbarActions {
  back(): void;
  search(text: string): void;
  step(direction: 1 | -1): void;
  expandAll(): void;
  collapseAll(): void;
  criticalPath(on: boolean): void;
  exportTrace(): void;
  compare(): void;
}

export class TraceToolbar {
  readonly element: HTMLElement;
  private readonly summary = h('div', { class: 'trace-summary' });
  private readonly matchCount = h('span', { class: 'match-count', attrs: { 'aria-live': 'polite' } });
  private readonly notice = h('span', { class: 'trace-notice' });
  private readonly tier = h('span', { class: 'trace-notice trace-tier' });
  readonly searchField = h('vscode-textfield', { class: 'trace-search', attrs: { placeholder: 'Find spans (/)', 'aria-label': 'Find spans in this trace' } });
  private readonly criticalButton: HTMLElement;

  constructor(private readonly transport: Transport, readonly traceId: string, private readonly actions: ToolbarActions) {
    const typed = debounce(150, () => actions.search(this.searchField.value));
    this.searchField.addEventListener('input', typed);
    this.searchField.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); actions.step(e.shiftKey ? -1 : 1); }
    });
    let critical = false;
    this.criticalButton = button('Critical path', 'Highlight the chain of spans that decided the trace’s duration', () => {
      critical = !critical;
      this.criticalButton.setAttribute('aria-pressed', String(critical));
      // A pressed toggle takes the primary look.
      this.criticalButton.toggleAttribute('secondary', !critical);
      actions.criticalPath(critical);
    });
    this.criticalButton.setAttribute('aria-pressed', 'false');
    this.element = h('header', { class: 'trace-toolbar' },
      h('div', { class: 'toolbar-row' },
        button('← Traces', 'Back to the trace list', () => actions.back(), 'back-button'),
        this.summary),
      h('div', { class: 'toolbar-row' },
        this.searchField,
        button('↑', 'Previous match (Shift+Enter)', () => actions.step(-1), 'icon-button'),
        button('↓', 'Next match (Enter)', () => actions.step(1), 'icon-button'),
        this.matchCount,
        h('span', { class: 'app-spacer' }),
        this.tier,
        this.notice,
        button('Expand all', 'Expand every span', () => actions.expandAll()),
        button('Collapse all', 'Show only the top level', () => actions.collapseAll()),
        this.criticalButton,
        button('Compare with previous', 'Compare this trace span by span with the previous run of the same operation', () => actions.compare()),
        button('Export OTLP/JSON', 'Save this trace as OTLP/JSON (re-importable)', () => actions.exportTrace())));
    replaceChildren(this.summary, h('span', { class: 'trace-title' }, 'Loading trace…'), this.idView());
  }

  showModel(model: TraceModel, errorCount: number): void {
    const root = model.roots.length ? model.roots[0] : -1;
    const title = root >= 0 ? `${oneLine(spanService(model, root))}: ${oneLine(spanName(model, root))}` : 'Trace';
    replaceChildren(this.summary,
      h('span', { class: 'trace-title', title }, title),
      this.idView(),
      h('span', { class: 'trace-fact' }, formatTimestamp(model.startNs.toString())),
      h('span', { class: 'trace-fact' }, formatDuration(model.durationNs)),
      h('span', { class: 'trace-fact' }, `${model.count.toLocaleString('en-US')} spans`),
      errorCount ? h('span', { class: 'trace-fact status-error' }, `${errorCount} error${errorCount === 1 ? '' : 's'}`) : null,
      h('span', { class: 'legend' }, ...model.services.slice(0, 20).map((s) =>
        h('span', { class: 'legend-item' }, h('span', { class: `service-dot ${serviceColorClass(s)}` }), oneLine(s)))));
  }

  setMatches(current: number, total: number, searching: boolean): void {
    const count = `${total} match${total === 1 ? '' : 'es'}`;
    this.matchCount.textContent = !searching ? '' : !total ? 'no match' : current < 0 ? count : `${current + 1} of ${total}`;
  }

  setNotice(content: Node | string | null): void {
    replaceChildren(this.notice, content);
  }

  /** Says that the trace was read from the disk tier: `partly` when memory held only some of its spans. */
  setFromDisk(fromDisk: 'all' | 'partly' | undefined): void {
    replaceChildren(this.tier, fromDisk ? diskMark(fromDisk === 'all' ? 'This trace was read from disk: memory had evicted it (slower to open)' : 'Some spans of this trace were read from disk: memory had evicted them (slower to open)') : null);
    if (fromDisk) this.tier.append(fromDisk === 'all' ? 'read from disk' : 'partly read from disk');
  }

  private idView(): HTMLElement {
    return h('span', { class: 'trace-id' }, h('code', null, this.traceId), copyButton(this.transport, this.traceId, 'Copy trace ID'));
  }
}

function button(label: string, title: string, click: () => void, className = ''): HTMLElement {
  return h('vscode-button', { class: `tool-button ${className}`, title, attrs: { secondary: '', 'aria-label': title }, on: { click } }, label);
}
