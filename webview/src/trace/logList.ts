// Log records of a trace: time, severity, service, body, and (for the whole trace's
// list) the span each belongs to, which selects that span.

import type { LogEntry } from '../../../src/protocol/api.ts';
import { spanSource } from '../../../src/shared/source/location.ts';
import { h } from '../ui/dom.ts';
import { diskMark } from '../ui/diskMark.ts';
import { formatTimestamp } from '../ui/format.ts';
import { oneLine, valueText } from '../ui/inertText.ts';
import { sourceLink } from '../ui/sourceLink.ts';
import { valueView } from '../ui/valueView.ts';
import type { DetailsContext } from './spanDetails.ts';
import { indexOfSpan, spanName } from './traceModel.ts';

const SHOWN = 500;

export function severityClass(n: number): string {
  return n >= 17 ? 'sev-error' : n >= 13 ? 'sev-warn' : n >= 9 ? 'sev-info' : 'sev-debug';
}

export function severityLabel(log: LogEntry): string {
  if (log.severityText) return oneLine(log.severityText).slice(0, 12);
  const n = log.severityNumber;
  return n >= 21 ? 'FATAL' : n >= 17 ? 'ERROR' : n >= 13 ? 'WARN' : n >= 9 ? 'INFO' : n >= 5 ? 'DEBUG' : n > 0 ? 'TRACE' : '—';
}

/** Oldest first, as they happened. */
export function logList(ctx: Pick<DetailsContext, 'transport' | 'model' | 'selectSpan'>, logs: LogEntry[], withSpan: boolean): HTMLElement {
  const sorted = [...logs].sort((a, b) => (BigInt(a.timeUnixNano || '0') < BigInt(b.timeUnixNano || '0') ? -1 : 1));
  return h('ol', { class: 'log-list' }, ...sorted.slice(0, SHOWN).map((log) => {
    const found = log.spanId ? indexOfSpan(ctx.model, log.spanId) : -1;
    const span = found >= 0 ? found : undefined;
    const source = spanSource(log.attributes);
    return h('li', { class: `log-record ${severityClass(log.severityNumber)}`, dataset: { spanId: log.spanId ?? '' } },
      h('span', { class: 'log-time' }, formatTimestamp(log.timeUnixNano || log.observedTimeUnixNano)),
      h('span', { class: 'log-severity' }, severityLabel(log)),
      log.fromDisk ? diskMark() : null,
      withSpan ? h('span', { class: 'log-service' }, oneLine(log.service)) : null,
      h('span', { class: 'log-body' }, valueView(ctx.transport, valueText(log.body), { label: 'Log body', limit: 500 })),
      source ? sourceLink(ctx.transport, source) : null,
      withSpan && span !== undefined
        ? h('button', { class: 'link-button log-span', on: { click: () => ctx.selectSpan(span) } }, oneLine(spanName(ctx.model, span)))
        : withSpan && log.spanId ? h('span', { class: 'muted' }, 'span not in trace') : null);
  }), sorted.length > SHOWN ? h('li', { class: 'muted' }, `${sorted.length - SHOWN} more not shown`) : null);
}
