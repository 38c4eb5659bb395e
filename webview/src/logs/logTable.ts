// The log list itself: one row per record, newest first, virtualized. A click (or Enter)
// selects a record, whose details show beside the list.

import type { LogEntry } from '../../../src/protocol/api.ts';
import { severityClass, severityLabel } from '../trace/logList.ts';
import { h } from '../ui/dom.ts';
import { formatTimestamp } from '../ui/format.ts';
import { shortText, valueText } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { VirtualList } from '../ui/virtualList.ts';

const ROW_HEIGHT = 24;
/** Characters of a body shown in its row; the whole body is in the details. */
const BODY_CHARS = 400;

export class LogTable {
  readonly element: HTMLElement;
  private readonly list: VirtualList;
  private logs: LogEntry[] = [];
  private focused = -1;
  private selectedKey: string | undefined;

  constructor(private readonly select: (log: LogEntry | undefined) => void, private readonly nearEnd: () => void) {
    this.list = new VirtualList(ROW_HEIGHT, { create: () => this.createRow(), update: (row, i) => this.updateRow(row, i) }, 'log-rows');
    this.list.element.tabIndex = 0;
    this.list.element.setAttribute('role', 'grid');
    this.list.element.setAttribute('aria-label', 'Log records');
    this.list.element.addEventListener('click', (e) => {
      const i = this.list.indexAt(e.clientY);
      if (i !== undefined) this.choose(i);
    });
    this.list.element.addEventListener('keydown', (e) => this.key(e));
    this.list.element.addEventListener('scroll', () => {
      const el = this.list.element;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 20 * ROW_HEIGHT) this.nearEnd();
    }, { passive: true });
    const header = h('div', { class: 'log-row log-header', attrs: { role: 'row' } },
      ...['Time', 'Severity', 'Service', 'Body'].map((t) => h('span', { attrs: { role: 'columnheader' } }, t)));
    this.element = h('div', { class: 'log-table' }, header, this.list.element);
  }

  /** `keepScroll`: new records arrived above; keep the rows in view where they are. */
  set(logs: LogEntry[], keepScroll: boolean): void {
    const before = this.logs[0] ? recordKey(this.logs[0]) : undefined;
    this.logs = logs;
    if (keepScroll && before && this.list.element.scrollTop > 0) {
      const shift = logs.findIndex((l) => recordKey(l) === before);
      if (shift > 0) this.list.element.scrollTop += shift * ROW_HEIGHT;
    } else if (!keepScroll) {
      this.list.element.scrollTop = 0;
      this.focused = -1;
    }
    if (this.selectedKey !== undefined) this.focused = logs.findIndex((l) => recordKey(l) === this.selectedKey);
    this.list.setCount(logs.length);
  }

  clearSelection(): void {
    this.selectedKey = undefined;
    this.list.refresh();
  }

  focus(): void {
    this.list.element.focus();
  }

  private choose(i: number): void {
    const log = this.logs[i];
    const key = recordKey(log);
    this.focused = i;
    this.selectedKey = this.selectedKey === key ? undefined : key;
    this.list.refresh();
    this.select(this.selectedKey === undefined ? undefined : log);
  }

  private key(e: KeyboardEvent): void {
    const n = this.logs.length;
    if (!n) return;
    let next = this.focused;
    if (e.key === 'ArrowDown') next = Math.min(n - 1, this.focused + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, this.focused - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    else if (e.key === 'Enter' && this.focused >= 0) { this.choose(this.focused); return; }
    else if (e.key === 'Escape' && this.selectedKey !== undefined) { this.selectedKey = undefined; this.list.refresh(); this.select(undefined); return; }
    else return;
    e.preventDefault();
    this.focused = next;
    this.list.scrollToIndex(next);
    this.list.refresh();
  }

  private createRow(): HTMLElement {
    return h('div', { class: 'log-row', attrs: { role: 'row' } },
      h('span', { class: 'log-time' }),
      h('span', { class: 'log-severity' }),
      h('span', { class: 'log-service' }, h('span', { class: 'service-dot' }), h('span', { class: 'service-name' })),
      h('span', { class: 'log-body' }));
  }

  private updateRow(row: HTMLElement, i: number): void {
    const log = this.logs[i];
    const [time, severity, service, body] = row.children as unknown as HTMLElement[];
    row.className = `log-row virtual-row ${severityClass(log.severityNumber)}`;
    row.classList.toggle('focused', i === this.focused);
    row.classList.toggle('selected', recordKey(log) === this.selectedKey);
    row.setAttribute('aria-selected', String(recordKey(log) === this.selectedKey));
    time.textContent = formatTimestamp(log.timeUnixNano || log.observedTimeUnixNano);
    severity.textContent = severityLabel(log);
    (service.firstChild as HTMLElement).className = `service-dot ${serviceColorClass(log.service)}`;
    const serviceName = shortText(log.service, 80).text;
    (service.lastChild as HTMLElement).textContent = serviceName;
    service.title = serviceName;
    const text = shortText(valueText(log.body), BODY_CHARS).text;
    body.textContent = text;
    body.title = text;
  }
}

/** Records have no id of their own: time, ids and body tell them apart well enough. */
export function recordKey(log: LogEntry): string {
  return `${log.timeUnixNano}\u0000${log.spanId ?? ''}\u0000${log.service}\u0000${valueText(log.body).slice(0, 200)}`;
}
