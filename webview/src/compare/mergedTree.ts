// The two traces as one tree: each aligned span with its duration in A and in B and the
// difference; children ordered by how much they contribute to it. Spans on a critical
// path are marked; spans only in one trace are set apart.

import type { CompareNode, TraceCompareResponse } from '../../../src/protocol/compare.ts';
import { h } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';
import { ms, signed } from './compareFormat.ts';

/** Rows drawn at most: a tree past this is cut, and says so. */
const MAX_ROWS = 3000;

export function mergedTree(c: TraceCompareResponse): HTMLElement {
  const rows: HTMLElement[] = [];
  let total = 0;
  const stack: CompareNode[] = [...c.tree].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    total++;
    if (rows.length < MAX_ROWS) rows.push(row(n));
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  const head = h('div', { class: 'tree-row tree-header', attrs: { role: 'row' } },
    h('span', null, 'Span'), h('span', { class: 'num' }, 'A'), h('span', { class: 'num' }, 'B'), h('span', { class: 'num' }, 'Δ'), h('span', null, 'Critical path'));
  return h('div', { class: 'merged-tree', attrs: { role: 'table', 'aria-label': 'Merged span tree' } }, head, ...rows,
    total > rows.length ? h('p', { class: 'compare-message' }, `${total - rows.length} more spans not drawn.`) : null);
}

function row(n: CompareNode): HTMLElement {
  const critical = [n.aCritical ? 'A' : '', n.bCritical ? 'B' : ''].filter(Boolean).join(' ');
  const name = h('span', { class: 'tree-name' },
    h('span', { class: `service-dot ${serviceColorClass(n.service)}` }),
    h('span', { class: 'tree-service' }, oneLine(n.service)),
    h('span', null, oneLine(n.name)),
    n.only ? h('span', { class: 'only-badge' }, `only in ${n.only.toUpperCase()}`) : null);
  // Through the CSSOM: the pages' CSP refuses style attributes.
  name.style.paddingLeft = `${Math.min(n.depth, 40) * 14}px`;
  return h('div', { class: `tree-row ${n.only ? `only-${n.only}` : ''}`, attrs: { role: 'row' }, dataset: { name: n.name } },
    name,
    h('span', { class: 'num' }, n.aMs === null ? '—' : ms(n.aMs)),
    h('span', { class: 'num' }, n.bMs === null ? '—' : ms(n.bMs)),
    h('span', { class: `num diff-delta ${n.deltaMs > 0 ? 'slower' : n.deltaMs < 0 ? 'faster' : ''}` }, signed(n.deltaMs)),
    h('span', { class: 'tree-critical' }, critical));
}
