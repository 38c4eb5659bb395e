// Where the charts' figures come from, said under them: spans, OTLP request metrics or a
// scraped Prometheus endpoint; for metrics, the histogram buckets the percentiles fell in
// (a percentile from buckets is only known to within its bucket); with "metrics beside
// spans", the routes whose metrics disagree with their spans.

import type { LatencyResolution, SignalRoute, SignalSeriesItem, SignalSource } from '../../../src/protocol/api.ts';
import { h, replaceChildren } from '../ui/dom.ts';
import { oneLine } from '../ui/inertText.ts';
import { formatMs, formatPercent } from './delta.ts';

const SOURCE_NAMES: Record<SignalSource, string> = {
  spans: 'spans (server and consumer spans)',
  'otlp-metrics': 'OTLP request metrics (http.server.request.duration / rpc.server.duration)',
  scrape: 'a scraped Prometheus endpoint (request histograms and counters)',
};

export class SignalSourceNote {
  readonly element = h('div', { class: 'signal-source', attrs: { 'aria-label': 'Where these figures come from' } });

  show(series: SignalSeriesItem | undefined, routes: SignalRoute[], withMetrics: boolean): void {
    const source: SignalSource = series?.source ?? 'spans';
    const parts: (HTMLElement | string)[] = [h('span', { class: `source-badge source-${source}`, dataset: { source } }, source === 'spans' ? 'spans' : source === 'scrape' ? 'scrape' : 'OTLP metrics'), ` From ${SOURCE_NAMES[source]}.`];
    if (series?.resolution) parts.push(' ', resolutionText(series.resolution));
    const rows: HTMLElement[] = [];
    if (withMetrics) {
      const beside = routes.filter((r) => r.metrics);
      if (!beside.length) parts.push(' No request metrics for this service\'s routes to set beside the spans.');
      for (const r of beside) {
        const m = r.metrics!;
        rows.push(h('tr', { class: m.disagreement ? 'disagrees' : '' },
          h('td', { class: 'mono' }, oneLine(r.route)),
          h('td', { class: 'num' }, `${r.requests} / ${m.figures.requests}`),
          h('td', { class: 'num' }, `${formatPercent(r.errorRate)} / ${formatPercent(m.figures.errorRate)}`),
          h('td', { class: 'num' }, `${formatMs(r.p99Ms)} / ${formatMs(m.figures.p99Ms)}`),
          h('td', null, m.disagreement ? `⚠ ${m.disagreement}` : 'agree')));
      }
    }
    replaceChildren(this.element, h('p', null, ...parts), rows.length ? h('table', { class: 'metrics-beside' },
      h('thead', null, h('tr', null, h('th', null, 'Route'), h('th', { class: 'num' }, 'requests: spans / metrics'), h('th', { class: 'num' }, 'error rate'), h('th', { class: 'num' }, 'p99'), h('th', null, ''))),
      h('tbody', null, ...rows)) : null);
  }
}

export function resolutionText(r: LatencyResolution): string {
  const bucket = (b: [number, number | null] | undefined) => (b ? `${formatMs(b[0])}–${b[1] === null ? '∞' : formatMs(b[1])}` : '—');
  const kind = r.buckets === 'exponential'
    ? `exponential histogram buckets (each ${(100 * (r.relative ?? 0)).toFixed(1)} % wider than the last)`
    : 'explicit histogram buckets';
  return `Percentiles are interpolated within ${kind}: the true p50 lies in ${bucket(r.p50Ms)}, p90 in ${bucket(r.p90Ms)}, p99 in ${bucket(r.p99Ms)}.`;
}
