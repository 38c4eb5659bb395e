// Prometheus families as OTLP metrics, so scraped series are stored, listed and charted
// like the ones apps send: counters become cumulative monotonic sums, gauges and untyped
// samples gauges, histograms explicit-bucket histograms (per-bucket counts from the
// cumulative `le` ones) and summaries summaries.

import type { KeyValue, Metric, NumberDataPoint } from '../../protocol/otlp.ts';
import type { PromFamily, PromSample } from './promText.ts';

/** The instrumentation scope of scraped metrics: how the store tells them from OTLP ones. */
export const SCRAPE_SCOPE = 'loupe/scrape';

/**
 * `startNs` is when the target was first scraped: the start of its cumulative series
 * (a counter that goes down is read as a restart by the rate computation).
 */
export function familiesToMetrics(families: PromFamily[], scrapedAtMs: number, startNs: string): Metric[] {
  const out: Metric[] = [];
  for (const f of families) {
    const time = (s: PromSample) => String(BigInt(Math.round(s.timestampMs ?? scrapedAtMs)) * 1_000_000n);
    const base = { name: f.name, description: f.help, unit: unitOf(f.name) };
    switch (f.type) {
      case 'counter': {
        const dataPoints = f.samples.filter((s) => !s.name.endsWith('_created')).map((s): NumberDataPoint => ({ attributes: attributes(s.labels), startTimeUnixNano: startNs, timeUnixNano: time(s), asDouble: s.value }));
        out.push({ ...base, sum: { dataPoints, aggregationTemporality: 2, isMonotonic: true } });
        break;
      }
      case 'gauge':
      case 'untyped':
        out.push({ ...base, gauge: { dataPoints: f.samples.map((s) => ({ attributes: attributes(s.labels), timeUnixNano: time(s), asDouble: s.value })) } });
        break;
      case 'histogram':
        out.push({ ...base, histogram: { aggregationTemporality: 2, dataPoints: histogramPoints(f, time, startNs) } });
        break;
      case 'summary':
        out.push({ ...base, summary: { dataPoints: summaryPoints(f, time, startNs) } });
        break;
    }
  }
  return out;
}

function histogramPoints(f: PromFamily, time: (s: PromSample) => string, startNs: string) {
  return groupByLabels(f, 'le').map(({ labels, samples }) => {
    const buckets = samples.filter((s) => s.name === `${f.name}_bucket`).map((s) => ({ le: Number(s.labels.le === '+Inf' ? Infinity : s.labels.le), count: s.value })).sort((a, b) => a.le - b.le);
    const bucketCounts: string[] = [];
    let previous = 0;
    for (const b of buckets) {
      bucketCounts.push(String(Math.max(0, b.count - previous)));
      previous = b.count;
    }
    const count = samples.find((s) => s.name === `${f.name}_count`)?.value ?? previous;
    // Exposition always ends with +Inf; without it the remainder still goes to an overflow bucket.
    if (!buckets.length || buckets[buckets.length - 1].le !== Infinity) bucketCounts.push(String(Math.max(0, count - previous)));
    return {
      attributes: attributes(labels), startTimeUnixNano: startNs, timeUnixNano: time(samples[0]),
      count: String(count), sum: samples.find((s) => s.name === `${f.name}_sum`)?.value ?? 0,
      bucketCounts, explicitBounds: buckets.map((b) => b.le).filter((le) => le !== Infinity),
    };
  });
}

function summaryPoints(f: PromFamily, time: (s: PromSample) => string, startNs: string) {
  return groupByLabels(f, 'quantile').map(({ labels, samples }) => ({
    attributes: attributes(labels), startTimeUnixNano: startNs, timeUnixNano: time(samples[0]),
    count: String(samples.find((s) => s.name === `${f.name}_count`)?.value ?? 0),
    sum: samples.find((s) => s.name === `${f.name}_sum`)?.value ?? 0,
    quantileValues: samples.filter((s) => s.name === f.name && s.labels.quantile !== undefined).map((s) => ({ quantile: Number(s.labels.quantile), value: s.value })),
  }));
}

/** Samples of one family grouped by their labels other than `le`/`quantile`. */
function groupByLabels(f: PromFamily, special: string): { labels: Record<string, string>; samples: PromSample[] }[] {
  const groups = new Map<string, { labels: Record<string, string>; samples: PromSample[] }>();
  for (const s of f.samples) {
    const labels = { ...s.labels };
    delete labels[special];
    const key = JSON.stringify(Object.entries(labels).sort());
    let g = groups.get(key);
    if (!g) groups.set(key, g = { labels, samples: [] });
    g.samples.push(s);
  }
  return [...groups.values()];
}

function attributes(labels: Record<string, string>): KeyValue[] {
  return Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value: { stringValue: value } }));
}

/** Prometheus names carry their unit as a suffix by convention. */
function unitOf(name: string): string {
  const n = name.replace(/_total$/, '');
  if (n.endsWith('_seconds')) return 's';
  if (n.endsWith('_bytes')) return 'By';
  if (n.endsWith('_ratio')) return '1';
  return '';
}
