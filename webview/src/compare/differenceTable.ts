// The spans whose own time changed most between A and B, largest first: where the
// difference comes from, with a bar for each side and the way to the span and its source.

import type { TraceCompareResponse } from '../../../src/protocol/compare.ts';
import type { Transport } from '../transport/transport.ts';
import { h } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { ms, signed } from './compareFormat.ts';

export function differenceTable(c: TraceCompareResponse, transport: Transport, open: (traceId: string, spanId: string) => void): HTMLElement {
  if (!c.differences.length) return h('p', { class: 'compare-message' }, 'No span’s own time differs: the two traces took the same path in the same time.');
  const widest = Math.max(...c.differences.map((d) => Math.max(d.aMs ?? 0, d.bMs ?? 0)), 1e-9);
  const head = h('div', { class: 'diff-row diff-header', attrs: { role: 'row' } },
    h('span', { attrs: { role: 'columnheader' } }, 'Span'),
    h('span', { attrs: { role: 'columnheader' } }, 'A / B'),
    h('span', { class: 'num', attrs: { role: 'columnheader' } }, 'A'),
    h('span', { class: 'num', attrs: { role: 'columnheader' } }, 'B'),
    h('span', { class: 'num', attrs: { role: 'columnheader' } }, 'Δ own time'),
    h('span', { attrs: { role: 'columnheader' } }, 'Source'));
  const rows = c.differences.map((d) => {
    const spanId = d.bSpanId ?? d.aSpanId!;
    const traceId = d.bSpanId ? c.b.traceId : c.a.traceId;
    const source = d.source;
    const sourceText = source ? `${source.path.split(/[\\/]/).pop()}${source.line ? `:${source.line}` : ''}` : '';
    return h('div', { class: `diff-row ${d.only ? `only-${d.only}` : ''}`, attrs: { role: 'row' }, dataset: { name: d.name } },
      h('span', { class: 'diff-span', title: d.path.map((p) => oneLine(p)).join(' › ') },
        h('span', { class: `service-dot ${serviceColorClass(d.service)}` }),
        h('button', { class: 'link-button diff-name', title: 'Open this span in its trace', on: { click: () => open(traceId, spanId) } }, oneLine(d.name)),
        d.only ? h('span', { class: 'only-badge' }, `only in ${d.only.toUpperCase()}`) : null),
      h('span', { class: 'diff-bars' }, bar('a', d.aMs, widest), bar('b', d.bMs, widest)),
      h('span', { class: 'num' }, d.aMs === null ? '—' : ms(d.aMs)),
      h('span', { class: 'num' }, d.bMs === null ? '—' : ms(d.bMs)),
      h('span', { class: `num diff-delta ${d.selfDeltaMs > 0 ? 'slower' : d.selfDeltaMs < 0 ? 'faster' : ''}` }, signed(d.selfDeltaMs)),
      source
        ? h('button', { class: 'link-button diff-source', title: `Open ${oneLine(source.path)}${source.line ? `:${source.line}` : ''}`, on: { click: () => transport.openSource(source) } }, oneLine(sourceText))
        : h('span'));
  });
  return h('div', { class: 'diff-table', attrs: { role: 'table', 'aria-label': 'Largest differences in own time' } }, head, ...rows);
}

function bar(side: 'a' | 'b', value: number | null, widest: number): HTMLElement {
  const track = h('span', { class: `diff-track side-${side}` });
  if (value === null) return track;
  // Set through the CSSOM: the pages' CSP refuses style attributes.
  const fill = h('span', { class: 'diff-bar' });
  fill.style.width = `${Math.max(1, (value / widest) * 100).toFixed(1)}%`;
  track.appendChild(fill);
  return track;
}
