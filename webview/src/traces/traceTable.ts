// The trace list itself: one row per trace, newest first, virtualized. Durations are
// drawn as bars relative to the slowest trace shown.

import type { TraceSummary } from '../../../src/protocol/api.ts';
import { h } from '../ui/dom.ts';
import { formatDuration, formatTimestamp } from '../ui/format.ts';
import { shortText } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { VirtualList } from '../ui/virtualList.ts';

const ROW_HEIGHT = 28;

export class TraceTable {
  readonly element: HTMLElement;
  private readonly list: VirtualList;
  private traces: TraceSummary[] = [];
  private maxDuration = 1;
  private focused = 0;

  constructor(private readonly open: (traceId: string) => void, private readonly nearEnd: () => void) {
    this.list = new VirtualList(ROW_HEIGHT, { create: () => this.createRow(), update: (row, i) => this.updateRow(row, i) }, 'trace-rows');
    this.list.element.tabIndex = 0;
    this.list.element.setAttribute('role', 'grid');
    this.list.element.setAttribute('aria-label', 'Traces');
    this.list.element.addEventListener('click', (e) => {
      const i = this.list.indexAt(e.clientY);
      if (i !== undefined) this.open(this.traces[i].traceId);
    });
    this.list.element.addEventListener('keydown', (e) => this.key(e));
    this.list.element.addEventListener('scroll', () => {
      const el = this.list.element;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 20 * ROW_HEIGHT) this.nearEnd();
    }, { passive: true });
    const header = h('div', { class: 'trace-row trace-header', attrs: { role: 'row' } },
      ...['Start', 'Service', 'Operation', 'Duration', 'Spans', 'Errors', 'Services'].map((t) => h('span', { attrs: { role: 'columnheader' } }, t)));
    this.element = h('div', { class: 'trace-table' }, header, this.list.element);
  }

  get scrollTop(): number {
    return this.list.element.scrollTop;
  }

  set(traces: TraceSummary[], keepScroll: boolean): void {
    const before = this.traces[0]?.traceId;
    this.traces = traces;
    this.maxDuration = 1;
    for (const t of traces) this.maxDuration = Math.max(this.maxDuration, Number(t.durationNanos));
    if (keepScroll && before && this.list.element.scrollTop > 0) {
      // New traces arrived above: keep the rows the user looks at where they are.
      const shift = traces.findIndex((t) => t.traceId === before);
      if (shift > 0) this.list.element.scrollTop += shift * ROW_HEIGHT;
    } else if (!keepScroll) {
      this.list.element.scrollTop = 0;
      this.focused = 0;
    }
    this.list.setCount(traces.length);
  }

  focus(): void {
    this.list.element.focus();
  }

  private key(e: KeyboardEvent): void {
    const n = this.traces.length;
    if (!n) return;
    let next = this.focused;
    if (e.key === 'ArrowDown') next = Math.min(n - 1, this.focused + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, this.focused - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === 'Enter') { this.open(this.traces[this.focused].traceId); return; }
    else return;
    e.preventDefault();
    this.focused = next;
    this.list.scrollToIndex(next);
    this.list.refresh();
  }

  private createRow(): HTMLElement {
    return h('div', { class: 'trace-row', attrs: { role: 'row' } },
      h('span', { class: 'col-start' }),
      h('span', { class: 'col-service' }, h('span', { class: 'service-dot' }), h('span', { class: 'service-name' })),
      h('span', { class: 'col-operation' }),
      h('span', { class: 'col-duration' }, h('span', { class: 'duration-track' }, h('span', { class: 'duration-bar' })), h('span', { class: 'duration-text' })),
      h('span', { class: 'col-spans' }),
      h('span', { class: 'col-errors' }),
      h('span', { class: 'col-services' }));
  }

  private updateRow(row: HTMLElement, i: number): void {
    const t = this.traces[i];
    const [start, service, operation, duration, spans, errors, services] = row.children as unknown as HTMLElement[];
    row.dataset.traceId = t.traceId;
    row.classList.toggle('focused', i === this.focused);
    row.classList.toggle('has-error', t.errorCount > 0);
    start.textContent = formatTimestamp(t.startTimeUnixNano);
    (service.firstChild as HTMLElement).className = `service-dot ${serviceColorClass(t.rootService)}`;
    const serviceName = shortText(t.rootService, 80).text;
    (service.lastChild as HTMLElement).textContent = serviceName;
    service.title = serviceName;
    const op = shortText(t.rootName, 200).text;
    operation.textContent = t.hasRoot ? op : `${op} (root span not received)`;
    operation.title = operation.textContent;
    const ns = Number(t.durationNanos);
    (duration.querySelector('.duration-bar') as HTMLElement).style.width = `${Math.max(0.5, (ns / this.maxDuration) * 100)}%`;
    (duration.lastChild as HTMLElement).textContent = formatDuration(ns);
    spans.textContent = String(t.spanCount);
    errors.textContent = t.errorCount ? String(t.errorCount) : '';
    const names = t.services.map((s) => shortText(s, 80).text).join(', ');
    services.textContent = names;
    services.title = names;
  }
}
