// The log list itself: one row per record, newest first, virtualized (`VirtualTable`). A
// click (or Enter) selects a record, whose details show beside the list.

import type { LogEntry } from '../../../src/protocol/api.ts';
import { severityClass, severityLabel } from '../trace/logList.ts';
import { h } from '../ui/dom.ts';
import { formatTimestamp } from '../ui/format.ts';
import { shortText, valueText } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { VirtualTable } from '../ui/virtualTable.ts';
import { diskMark } from '../ui/diskMark.ts';

/** Characters of a body shown in its row; the whole body is in the details. */
const BODY_CHARS = 400;

export class LogTable {
  private readonly table: VirtualTable<LogEntry>;
  private selectedKey: string | undefined;

  constructor(private readonly select: (log: LogEntry | undefined) => void, nearEnd: () => void) {
    this.table = new VirtualTable<LogEntry>({
      rowHeight: 24, tableClass: 'log-table', rowClass: 'log-row', headerClass: 'log-header', listClass: 'log-rows', firstFocused: -1,
      label: 'Log records', columns: ['Time', 'Severity', 'Service', 'Body'],
      key: recordKey,
      createRow,
      updateRow: (row, log, focused) => this.updateRow(row, log, focused),
      activate: (i) => this.choose(i),
      nearEnd,
      otherKey: (e) => {
        if (e.key !== 'Escape' || this.selectedKey === undefined) return;
        this.selectedKey = undefined;
        this.table.refresh();
        this.select(undefined);
      },
    });
  }

  get element(): HTMLElement {
    return this.table.element;
  }

  /** `keepScroll`: new records arrived above; keep the rows in view where they are. */
  set(logs: LogEntry[], keepScroll: boolean): void {
    this.table.set(logs, keepScroll);
    // The keyboard stays on the selected record wherever it moved.
    if (this.selectedKey === undefined) return;
    this.table.focused = logs.findIndex((l) => recordKey(l) === this.selectedKey);
    this.table.refresh();
  }

  clearSelection(): void {
    this.selectedKey = undefined;
    this.table.refresh();
  }

  focus(): void {
    this.table.focus();
  }

  private choose(i: number): void {
    const log = this.table.items[i];
    const key = recordKey(log);
    this.table.focused = i;
    this.selectedKey = this.selectedKey === key ? undefined : key;
    this.table.refresh();
    this.select(this.selectedKey === undefined ? undefined : log);
  }

  private updateRow(row: HTMLElement, log: LogEntry, focused: boolean): void {
    const [time, severity, service, body] = row.children as unknown as HTMLElement[];
    const selected = recordKey(log) === this.selectedKey;
    row.className = `log-row virtual-row ${severityClass(log.severityNumber)}`;
    row.classList.toggle('focused', focused);
    row.classList.toggle('selected', selected);
    row.setAttribute('aria-selected', String(selected));
    time.textContent = formatTimestamp(log.timeUnixNano || log.observedTimeUnixNano);
    severity.textContent = severityLabel(log);
    (service.firstChild as HTMLElement).className = `service-dot ${serviceColorClass(log.service)}`;
    const serviceName = shortText(log.service, 80).text;
    (service.lastChild as HTMLElement).textContent = serviceName;
    service.title = serviceName;
    const text = shortText(valueText(log.body), BODY_CHARS).text;
    const [mark, bodyText] = body.children as unknown as HTMLElement[];
    mark.hidden = !log.fromDisk;
    bodyText.textContent = text;
    body.title = text;
  }
}

function createRow(): HTMLElement {
  return h('div', { class: 'log-row', attrs: { role: 'row' } },
    h('span', { class: 'log-time' }),
    h('span', { class: 'log-severity' }),
    h('span', { class: 'log-service' }, h('span', { class: 'service-dot' }), h('span', { class: 'service-name' })),
    h('span', { class: 'log-body' }, diskMark(), h('span', { class: 'log-body-text' })));
}

/** Records have no id of their own: time, ids and body tell them apart well enough. */
export function recordKey(log: LogEntry): string {
  return `${log.timeUnixNano}\u0000${log.spanId ?? ''}\u0000${log.service}\u0000${valueText(log.body).slice(0, 200)}`;
}
