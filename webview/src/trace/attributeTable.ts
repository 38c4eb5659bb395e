// A table of attributes (key, value), filterable by a search shared across tables.

import type { Transport } from '../transport/transport.ts';
import { h } from '../ui/dom.ts';
import { oneLine, valueText } from '../ui/inertText.ts';
import { valueView } from '../ui/valueView.ts';

export interface AttributeTable {
  element: HTMLElement;
  /** Shows the rows whose key or value contains `q`; returns how many. */
  filter(q: string): number;
}

export function attributeTable(transport: Transport, title: string, attributes: Record<string, unknown>): AttributeTable {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  const rows = entries.map(([key, value]) => {
    const text = valueText(value);
    const row = h('tr', null,
      h('th', { attrs: { scope: 'row' }, title: oneLine(key) }, oneLine(key)),
      h('td', null, valueView(transport, text, { label: key })));
    return { row, haystack: `${key}\u0000${text.slice(0, 100_000)}`.toLowerCase() };
  });
  const count = h('span', { class: 'section-count' }, String(entries.length));
  const body = h('tbody', null, ...rows.map((r) => r.row));
  const element = h('section', { class: 'detail-section attributes' },
    h('h3', null, title, ' ', count),
    entries.length ? h('table', { class: 'attribute-table' }, body) : h('p', { class: 'muted' }, 'none'));
  return {
    element,
    filter(q) {
      const needle = q.trim().toLowerCase();
      let shown = 0;
      for (const r of rows) {
        const hit = !needle || r.haystack.includes(needle);
        r.row.hidden = !hit;
        if (hit) shown++;
      }
      count.textContent = needle ? `${shown} of ${entries.length}` : String(entries.length);
      element.hidden = !!needle && shown === 0 && entries.length > 0;
      return shown;
    },
  };
}
