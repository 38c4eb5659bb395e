// Before / after: per span name, p50 and p95 in the runs before the mark and after it.

import type { GroupCompareResponse, GroupFigures } from '../../../src/protocol/compare.ts';
import { h } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { ms, signed } from './compareFormat.ts';

export function groupTable(g: GroupCompareResponse): HTMLElement {
  const head = h('div', { class: 'group-row diff-header', attrs: { role: 'row' } },
    h('span', null, 'Span'), h('span', { class: 'num' }, 'Before p50 / p95'), h('span', { class: 'num' }, 'After p50 / p95'),
    h('span', { class: 'num' }, 'Δ p50'), h('span', { class: 'num' }, 'Δ p95'), h('span', { class: 'num' }, 'Per trace'));
  const figures = (f: GroupFigures | null) => (f ? `${ms(f.p50Ms)} / ${ms(f.p95Ms)}` : 'absent');
  const rows = g.spans.map((r) => h('div', { class: 'group-row', attrs: { role: 'row' }, dataset: { name: r.name } },
    h('span', { class: 'diff-span' }, h('span', { class: `service-dot ${serviceColorClass(r.service)}` }), h('span', { class: 'tree-service' }, oneLine(r.service)), h('span', null, oneLine(r.name))),
    h('span', { class: 'num' }, figures(r.before)),
    h('span', { class: 'num' }, figures(r.after)),
    h('span', { class: `num diff-delta ${r.deltaP50Ms > 0 ? 'slower' : r.deltaP50Ms < 0 ? 'faster' : ''}` }, signed(r.deltaP50Ms)),
    h('span', { class: `num diff-delta ${r.deltaP95Ms > 0 ? 'slower' : r.deltaP95Ms < 0 ? 'faster' : ''}` }, signed(r.deltaP95Ms)),
    h('span', { class: 'num' }, `${r.before?.perTrace ?? 0} → ${r.after?.perTrace ?? 0}`)));
  return h('div', { class: 'diff-table', attrs: { role: 'table', 'aria-label': 'Span names before and after' } }, head, ...rows);
}
