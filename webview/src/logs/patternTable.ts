// The patterns table: one row per message template with its count, severity mix, a
// sparkline of its records over time and its newest example. A click lists the pattern's
// records.

import type { LogPatternSummary } from '../../../src/protocol/api.ts';
import { h } from '../ui/dom.ts';
import { formatCount, formatTimestamp } from '../ui/format.ts';
import { oneLine, shortText } from '../ui/inertText.ts';
import { serviceColorClass } from '../ui/serviceColor.ts';

const SEVERITY_ORDER = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'UNSPECIFIED'];
const SEVERITY_CLASS: Record<string, string> = { FATAL: 'sev-fatal', ERROR: 'sev-error', WARN: 'sev-warn', INFO: 'sev-info', DEBUG: 'sev-debug', TRACE: 'sev-debug', UNSPECIFIED: 'sev-none' };
const SVG = 'http://www.w3.org/2000/svg';

export function patternTable(patterns: LogPatternSummary[], choose: (p: LogPatternSummary) => void): HTMLElement {
  const header = h('div', { class: 'pattern-row pattern-header', attrs: { role: 'row' } },
    ...['Count', 'Severity', 'Over time', 'Pattern', 'Newest example'].map((t) => h('span', { attrs: { role: 'columnheader' } }, t)));
  const rows = patterns.map((p) => {
    const row = h('div', {
      class: 'pattern-row', attrs: { role: 'row', tabindex: '0', title: 'Show this pattern’s records' }, dataset: { patternId: String(p.id) },
      on: {
        click: () => choose(p),
        keydown: (e) => { if (e.key === 'Enter') choose(p); },
      },
    },
    h('span', { class: 'pattern-count' }, formatCount(p.count)),
    severityMix(p),
    h('span', { class: 'pattern-spark' }, sparkline(p.points.map((pt) => pt.count))),
    h('span', { class: 'pattern-text' },
      h('span', { class: `service-dot ${serviceColorClass(p.service)}`, title: oneLine(p.service) }),
      h('span', { class: 'pattern-service' }, oneLine(p.service, 60)),
      h('code', { class: 'pattern-template', title: oneLine(p.pattern, 2000) }, highlightMasks(shortText(p.pattern, 400).text))),
    h('span', { class: 'pattern-example', title: `${formatTimestamp(p.lastSeenUnixNano)}: ${oneLine(p.example, 2000)}` }, shortText(p.example, 300).text));
    return row;
  });
  return h('div', { class: 'pattern-table', attrs: { role: 'grid', 'aria-label': 'Log patterns' } }, header, h('div', { class: 'pattern-rows' }, ...rows));
}

function severityMix(p: LogPatternSummary): HTMLElement {
  const parts = SEVERITY_ORDER.filter((s) => p.severities[s]);
  const title = parts.map((s) => `${s} ${formatCount(p.severities[s])}`).join(', ');
  return h('span', { class: 'pattern-severity', title },
    h('span', { class: 'severity-bar' }, ...parts.map((s) => {
      const seg = h('span', { class: `severity-seg ${SEVERITY_CLASS[s]}` });
      seg.style.width = `${(p.severities[s] / p.count) * 100}%`;
      return seg;
    })),
    h('span', { class: `severity-top ${SEVERITY_CLASS[parts[0] ?? 'UNSPECIFIED']}` }, parts[0] ?? ''));
}

/** Mask tokens (`<num>`, `"<*>"`…) set apart from the literal text, as text nodes only. */
function highlightMasks(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(/<(?:num|uuid|ip|hex|duration|id|\*)>/g)) {
    if (m.index! > last) out.append(text.slice(last, m.index));
    out.append(h('span', { class: 'mask' }, m[0]));
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.append(text.slice(last));
  return out;
}

function sparkline(counts: number[]): SVGElement {
  const width = 120;
  const height = 22;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('aria-hidden', 'true');
  const max = Math.max(1, ...counts);
  const n = counts.length;
  const x = (i: number) => (n <= 1 ? width / 2 : (i / (n - 1)) * (width - 2) + 1);
  const y = (c: number) => height - 2 - (c / max) * (height - 4);
  const points = counts.map((c, i) => `${x(i).toFixed(1)},${y(c).toFixed(1)}`);
  const area = document.createElementNS(SVG, 'polygon');
  area.setAttribute('points', [`${x(0).toFixed(1)},${height - 1}`, ...points, `${x(n - 1).toFixed(1)},${height - 1}`].join(' '));
  area.setAttribute('class', 'spark-area');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points.join(' '));
  line.setAttribute('class', 'spark-line');
  svg.append(area, line);
  return svg;
}
