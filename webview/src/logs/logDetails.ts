// One log record in full: its body (structured bodies pretty-printed), the link to its
// trace and span, its source location (code.* attributes or an exception's stack trace),
// and its attributes, resource and scope.

import type { LogEntry } from '../../../src/protocol/api.ts';
import { spanSource } from '../../../src/shared/source/location.ts';
import { attributeTable } from '../trace/attributeTable.ts';
import { severityClass, severityLabel } from '../trace/logList.ts';
import { stackTraceView } from '../trace/stackTraceView.ts';
import type { Transport } from '../transport/transport.ts';
import { copyButton } from '../ui/copyButton.ts';
import { diskMark } from '../ui/diskMark.ts';
import { h } from '../ui/dom.ts';
import { formatTimestamp } from '../ui/format.ts';
import { oneLine } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { sourceLink } from '../ui/sourceLink.ts';
import { valueView } from '../ui/valueView.ts';

export interface LogDetailsActions {
  openTrace(traceId: string, spanId: string | undefined): void;
  close(): void;
}

const BODY_LIMIT = 20_000;

export function logDetails(transport: Transport, log: LogEntry, actions: LogDetailsActions): HTMLElement {
  const source = spanSource(log.attributes);
  const stack = ['exception.stacktrace', 'code.stacktrace'].map((k) => log.attributes[k]).find((v): v is string => typeof v === 'string');
  const structured = log.body !== null && typeof log.body === 'object';
  const bodyText = structured ? JSON.stringify(log.body, null, 2) : typeof log.body === 'string' ? log.body : JSON.stringify(log.body) ?? '';

  const facts: [string, Node | string][] = [
    ['Time', formatTimestamp(log.timeUnixNano || log.observedTimeUnixNano)],
    ['Severity', h('span', { class: `severity-badge ${severityClass(log.severityNumber)}` }, `${severityLabel(log)}${log.severityNumber ? ` (${log.severityNumber})` : ''}`)],
    ['Service', h('span', null, h('span', { class: `service-dot ${serviceColorClass(log.service)}` }), oneLine(log.service))],
  ];
  if (log.eventName) facts.push(['Event', oneLine(log.eventName)]);
  if (log.traceId) {
    facts.push(['Trace', h('span', null,
      h('button', { class: 'link-button open-trace', title: 'Open the trace with this record’s span selected', on: { click: () => actions.openTrace(log.traceId!, log.spanId) } }, `${log.traceId.slice(0, 16)}…`),
      copyButton(transport, log.traceId, 'Copy trace ID'))]);
  }
  if (log.spanId) facts.push(['Span ID', h('span', null, h('code', null, oneLine(log.spanId)), copyButton(transport, log.spanId, 'Copy span ID'))]);
  if (source) facts.push(['Source', sourceLink(transport, source)]);
  if (log.fromDisk) facts.push(['Stored', h('span', { class: 'from-disk' }, diskMark(), 'read from disk: memory had evicted this record')]);

  const scope = log.scope;
  return h('div', { class: 'log-details' },
    h('button', { class: 'link-button close-details', title: 'Close (Esc)', attrs: { 'aria-label': 'Close details' }, on: { click: () => actions.close() } }, '×'),
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    h('section', { class: 'detail-section' }, h('h3', null, structured ? 'Body (structured)' : 'Body'),
      h('pre', { class: 'log-body-full' }, valueView(transport, bodyText, { label: 'Log body', limit: BODY_LIMIT, singleLine: false }))),
    stack ? h('section', { class: 'detail-section' }, h('h3', null, 'Stack trace'), stackTraceView(transport, stack)) : null,
    attributeTable(transport, 'Attributes', log.attributes).element,
    attributeTable(transport, 'Resource', log.resource).element,
    scope ? attributeTable(transport, `Scope ${oneLine(scope.name)}${scope.version ? ` ${oneLine(scope.version)}` : ''}`, scope.attributes).element : null);
}
