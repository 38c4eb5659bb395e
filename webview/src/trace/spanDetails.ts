// Everything about one span: what it is, when (from the trace's columns, at once), its
// attributes (searchable), events with exceptions as stack traces, links both ways and
// its source location (from the span fetched on opening), and its logs.

import type { BackLink, LogEntry } from '../../../src/protocol/api.ts';
import type { Span } from '../../../src/protocol/otlp.ts';
import { plainAttributes } from '../../../src/shared/plainValue.ts';
import { spanSource } from '../../../src/shared/source/location.ts';
import type { Transport } from '../transport/transport.ts';
import { copyButton } from '../ui/copyButton.ts';
import { h } from '../ui/dom.ts';
import { formatDuration, formatTimestamp } from '../ui/format.ts';
import { oneLine } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { sourceLink } from '../ui/sourceLink.ts';
import { valueView } from '../ui/valueView.ts';
import { attributeTable } from './attributeTable.ts';
import { logList } from './logList.ts';
import { spanEvents } from './spanEvents.ts';
import { stackTraceView } from './stackTraceView.ts';
import type { OpenedSpan } from './spanCache.ts';
import { indexOfSpan, isError, spanIdOf, spanName, spanService, type TraceModel } from './traceModel.ts';

const KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS = ['Unset', 'OK', 'Error'];

export interface DetailsContext {
  transport: Transport;
  model: TraceModel;
  logs: LogEntry[];
  backlinks: BackLink[];
  openTrace(traceId: string, spanId?: string): void;
  selectSpan(index: number): void;
  /** The profile samples recorded during a span (pprof `span_id` labels, OTLP profile links). */
  openProfiles?(traceId: string, spanId: string): void;
}

/** The span's details; `opened` is the span as fetched, or undefined while it loads. */
export function spanDetails(ctx: DetailsContext, index: number, opened: OpenedSpan | undefined): HTMLElement {
  const { transport, model } = ctx;
  const span = opened?.span ?? {};
  const spanId = spanIdOf(model, index);
  const name = spanName(model, index);
  const service = spanService(model, index);
  const start = model.start[index];
  const attrs = plainAttributes(span.attributes);
  const source = spanSource(attrs);
  const parentIndex = model.parent[index];
  const parent = parentIndex >= 0 && !model.parentMissing[index] ? parentIndex : -1;
  const ready = opened && !opened.problem;

  const tables = ready ? [
    attributeTable(transport, 'Span attributes', attrs),
    attributeTable(transport, 'Resource', plainAttributes(opened.resource)),
    attributeTable(transport, `Scope ${oneLine(opened.scope.name ?? '')}${opened.scope.version ? ` ${oneLine(opened.scope.version)}` : ''}`, plainAttributes(opened.scope.attributes)),
  ] : [];
  const search = h('vscode-textfield', { class: 'attribute-search', attrs: { placeholder: 'Filter attributes', 'aria-label': 'Filter attributes' } });
  search.addEventListener('input', () => { for (const t of tables) t.filter(search.value); });

  const kind = model.columns.kind[index];
  const facts: [string, Node | string][] = [
    ['Service', h('span', null, h('span', { class: `service-dot ${serviceColorClass(service)}` }), oneLine(service))],
    ['Kind', KINDS[kind] ?? String(kind)],
    ['Status', statusView(transport, model.columns.status[index], span.status?.message)],
    ['Start', `${formatTimestamp((model.startNs + BigInt(Math.round(start))).toString())}  (+${formatDuration(start)})`],
    ['Duration', formatDuration(model.end[index] - start)],
    ['Self time', formatDuration(model.selfNs[index])],
    ['Span ID', h('span', null, h('code', null, spanId), copyButton(transport, spanId, 'Copy span ID'))],
    ['Parent', parent >= 0
      ? h('button', { class: 'link-button', on: { click: () => ctx.selectSpan(parent) } }, oneLine(spanName(model, parent)))
      : model.parentMissing[index] ? h('span', { class: 'warning-text' }, `${oneLine(span.parentSpanId ?? '')} — not in this trace`.trim()) : 'none (root)'],
  ];
  if (source) facts.push(['Source', sourceLink(transport, source)]);
  if (ctx.openProfiles) facts.push(['Profiles', h('button', { class: 'link-button span-profiles', title: 'Profiles whose samples carry this span\'s id', on: { click: () => ctx.openProfiles!(model.traceId, spanId) } }, 'Samples recorded during this span')]);
  if (span.traceState) facts.push(['Trace state', valueView(transport, span.traceState)]);

  const spanLogs = ctx.logs.filter((l) => l.spanId === spanId);
  const incoming = ctx.backlinks.filter((b) => b.linkedSpanId === spanId ||
    (parentIndex < 0 && indexOfSpan(model, b.linkedSpanId) < 0));
  const stack = typeof attrs['code.stacktrace'] === 'string' ? attrs['code.stacktrace'] as string : undefined;

  return h('div', { class: `span-details${isError(model, index) ? ' failed' : ''}`, dataset: opened ? { spanId, loaded: '1' } : { spanId } },
    h('header', { class: 'details-head' },
      h('h2', { class: 'details-title' }, valueView(transport, name || '(unnamed span)', { label: 'Span name', limit: 200 })),
      source ? sourceLink(transport, source) : null),
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    !opened ? h('p', { class: 'muted loading' }, 'Loading attributes and events…') : null,
    opened?.problem ? h('p', { class: 'error-text' }, `Could not load this span’s attributes and events: ${opened.problem}`) : null,
    stack ? h('section', { class: 'detail-section' }, h('h3', null, 'Stack trace (code.stacktrace)'), stackTraceView(transport, stack)) : null,
    ready ? spanEvents(transport, span, start, model) : null,
    h('section', { class: 'detail-section' }, h('h3', null, 'Logs ', h('span', { class: 'section-count' }, String(spanLogs.length))),
      spanLogs.length ? logList(ctx, spanLogs, false) : h('p', { class: 'muted' }, 'none')),
    ready ? linksView(ctx, span) : null,
    incoming.length ? h('section', { class: 'detail-section links-in' }, h('h3', null, 'Linked from ', h('span', { class: 'section-count' }, String(incoming.length))),
      h('ul', { class: 'link-list' }, ...incoming.map((b) => h('li', null,
        h('button', { class: 'link-button trace-link', on: { click: () => ctx.openTrace(b.traceId, b.spanId) } },
          `${oneLine(b.service)}: ${oneLine(b.name)}`),
        h('span', { class: 'muted' }, ` trace ${b.traceId.slice(0, 8)}…`))))) : null,
    ready ? h('section', { class: 'detail-section' }, search) : null,
    ...tables.map((t) => t.element));
}

function statusView(transport: Transport, code: number, message: string | undefined): Node {
  const label = h('span', { class: code === 2 ? 'status-error' : code === 1 ? 'status-ok' : 'muted' }, STATUS[code] ?? String(code));
  return message ? h('span', null, label, ': ', valueView(transport, message, { label: 'Status message' })) : label;
}

function linksView(ctx: DetailsContext, span: Span): HTMLElement | null {
  const links = span.links ?? [];
  if (!links.length) return null;
  return h('section', { class: 'detail-section links-out' }, h('h3', null, 'Links ', h('span', { class: 'section-count' }, String(links.length))),
    h('ul', { class: 'link-list' }, ...links.map((l) => {
      const traceId = l.traceId ?? '';
      const valid = /^[0-9a-f]{32}$/.test(traceId);
      const attrs = plainAttributes(l.attributes);
      const label = `trace ${oneLine(traceId).slice(0, 32)} · span ${oneLine(l.spanId ?? '').slice(0, 16)}`;
      return h('li', null,
        valid ? h('button', { class: 'link-button trace-link', on: { click: () => ctx.openTrace(traceId, l.spanId) } }, label) : h('span', null, label),
        Object.keys(attrs).length ? h('span', { class: 'muted' }, ' ', oneLine(JSON.stringify(attrs).slice(0, 200))) : null);
    })));
}
