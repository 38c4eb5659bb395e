// A span's events, in time order; exception events show their type, message and stack
// trace (with source links).

import type { Span } from '../../../src/protocol/otlp.ts';
import { plainAttributes } from '../../../src/shared/plainValue.ts';
import type { Transport } from '../transport/transport.ts';
import { h } from '../ui/dom.ts';
import { formatDuration, nanosToMillis } from '../ui/format.ts';
import { oneLine, valueText } from '../ui/inertText.ts';
import { valueView } from '../ui/valueView.ts';
import { stackTraceView } from './stackTraceView.ts';
import type { TraceModel } from './traceModel.ts';

const SHOWN_EVENTS = 200;

export function spanEvents(transport: Transport, span: Span, spanStart: number, model: TraceModel): HTMLElement {
  const events = [...(span.events ?? [])].sort((a, b) => nanosToMillis(a.timeUnixNano) - nanosToMillis(b.timeUnixNano));
  const traceStartMs = Number(model.startNs / 1_000_000n) + Number(model.startNs % 1_000_000n) / 1e6;
  const items = events.slice(0, SHOWN_EVENTS).map((e) => {
    const attrs = plainAttributes(e.attributes);
    const offsetNs = (nanosToMillis(e.timeUnixNano) - traceStartMs) * 1e6 - spanStart;
    const isException = e.name === 'exception';
    const rest = Object.entries(attrs).filter(([k]) => !isException || !k.startsWith('exception.'));
    return h('li', { class: isException ? 'event exception' : 'event' },
      h('div', { class: 'event-head' },
        h('span', { class: 'event-time' }, `+${formatDuration(Math.max(0, offsetNs))}`),
        h('span', { class: 'event-name' }, oneLine(e.name ?? ''))),
      isException ? exceptionView(transport, attrs) : null,
      rest.length ? h('dl', { class: 'event-attrs' }, ...rest.flatMap(([k, v]) => [
        h('dt', null, oneLine(k)), h('dd', null, valueView(transport, valueText(v), { label: k }))])) : null);
  });
  return h('section', { class: 'detail-section events' },
    h('h3', null, 'Events ', h('span', { class: 'section-count' }, String(events.length))),
    items.length ? h('ol', { class: 'event-list' }, ...items) : h('p', { class: 'muted' }, 'none'),
    events.length > SHOWN_EVENTS ? h('p', { class: 'muted' }, `${events.length - SHOWN_EVENTS} more events not shown`) : null);
}

function exceptionView(transport: Transport, attrs: Record<string, unknown>): HTMLElement {
  const type = valueText(attrs['exception.type'] ?? '');
  const message = valueText(attrs['exception.message'] ?? '');
  const stack = attrs['exception.stacktrace'];
  return h('div', { class: 'exception-view' },
    h('div', { class: 'exception-title' },
      type ? h('strong', null, oneLine(type).slice(0, 300)) : null, type && message ? ': ' : '',
      message ? valueView(transport, message, { label: 'Exception message' }) : null),
    typeof stack === 'string' && stack ? stackTraceView(transport, stack) : null);
}
