// The trace list itself: one row per trace, newest first, virtualized (`VirtualTable`).
// Durations are drawn as bars relative to the slowest trace shown.

import type { TraceSummary } from '../../../src/protocol/api.ts';
import { h } from '../ui/dom.ts';
import { formatDuration, formatTimestamp } from '../ui/format.ts';
import { shortText } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { VirtualTable } from '../ui/virtualTable.ts';
import { diskMark } from '../ui/diskMark.ts';

export class TraceTable {
  private readonly table: VirtualTable<TraceSummary>;
  private maxDuration = 1;

  constructor(open: (traceId: string) => void, nearEnd: () => void) {
    this.table = new VirtualTable<TraceSummary>({
      rowHeight: 28, tableClass: 'trace-table', rowClass: 'trace-row', headerClass: 'trace-header', listClass: 'trace-rows', firstFocused: 0,
      label: 'Traces', columns: ['Start', 'Service', 'Operation', 'Duration', 'Spans', 'Errors', 'Services'],
      key: (t) => t.traceId,
      createRow,
      updateRow: (row, t, focused) => this.updateRow(row, t, focused),
      activate: (i) => open(this.table.items[i].traceId),
      nearEnd,
    });
  }

  get element(): HTMLElement {
    return this.table.element;
  }

  get scrollTop(): number {
    return this.table.list.element.scrollTop;
  }

  set(traces: TraceSummary[], keepScroll: boolean): void {
    this.maxDuration = 1;
    for (const t of traces) this.maxDuration = Math.max(this.maxDuration, Number(t.durationNanos));
    this.table.set(traces, keepScroll);
  }

  focus(): void {
    this.table.focus();
  }

  private updateRow(row: HTMLElement, t: TraceSummary, focused: boolean): void {
    const [start, service, operation, duration, spans, errors, services] = row.children as unknown as HTMLElement[];
    row.dataset.traceId = t.traceId;
    row.classList.toggle('focused', focused);
    row.classList.toggle('has-error', t.errorCount > 0);
    start.textContent = formatTimestamp(t.startTimeUnixNano);
    (service.firstChild as HTMLElement).className = `service-dot ${serviceColorClass(t.rootService)}`;
    const serviceName = shortText(t.rootService, 80).text;
    (service.lastChild as HTMLElement).textContent = serviceName;
    service.title = serviceName;
    const op = shortText(t.rootName, 200).text;
    const [mark, opText] = operation.children as unknown as HTMLElement[];
    mark.hidden = !t.fromDisk;
    opText.textContent = t.hasRoot ? op : `${op} (root span not received)`;
    operation.title = opText.textContent;
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

function createRow(): HTMLElement {
  return h('div', { class: 'trace-row', attrs: { role: 'row' } },
    h('span', { class: 'col-start' }),
    h('span', { class: 'col-service' }, h('span', { class: 'service-dot' }), h('span', { class: 'service-name' })),
    h('span', { class: 'col-operation' }, diskMark(), h('span', { class: 'operation-name' })),
    h('span', { class: 'col-duration' }, h('span', { class: 'duration-track' }, h('span', { class: 'duration-bar' })), h('span', { class: 'duration-text' })),
    h('span', { class: 'col-spans' }),
    h('span', { class: 'col-errors' }),
    h('span', { class: 'col-services' }));
}
