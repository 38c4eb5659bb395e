// The engine's own account of what it was sent, read from outside as a user would:
// GET /api/status (stored and evicted per signal, refused requests) and GET /metrics
// (received, rejected and evicted items by signal, refused requests by signal).

import type { StatusResponse } from '../../src/protocol/api.ts';
import type { Signal } from './payloads.ts';

export const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];

export interface EngineCounts {
  /** Held in the store now (/api/status counts). */
  stored: Record<Signal, number>;
  /** Evicted to stay within the budget (/api/status dropped). */
  evicted: Record<Signal, number>;
  /** loupe_rejected_items_total: invalid items, counted in partial_success. */
  rejected: Record<Signal, number>;
  /** loupe_received_items_total: items accepted, evicted since or not. */
  received: Record<Signal, number>;
  /** loupe_evicted_items_total. */
  evictedMetric: Record<Signal, number>;
  /** loupe_refused_requests_total by signal, and /api/status's total. */
  refused: Record<Signal, number>;
  refusedRequests: number;
  refusedConnections: number;
  rssBytes: number;
  /** loupe_otlp_request_duration_seconds of accepted exports, by transport: cumulative counts by bucket bound (s). */
  durationBuckets: Record<'http' | 'grpc', [number, number][]>;
}

export async function readEngineCounts(httpUrl: string): Promise<EngineCounts> {
  const status = (await (await fetch(`${httpUrl}/api/status`)).json()) as StatusResponse;
  const metrics = await (await fetch(`${httpUrl}/metrics`)).text();
  const bySignal = (name: string) => {
    const sums = perSignal(() => 0);
    for (const [labels, value] of samples(metrics, name)) {
      const signal = /signal="(\w+)"/.exec(labels)?.[1] as Signal | undefined;
      if (signal && signal in sums) sums[signal] += value;
    }
    return sums;
  };
  let refusedConnections = 0;
  for (const [, value] of samples(metrics, 'loupe_refused_connections_total')) refusedConnections += value;
  return {
    stored: { traces: status.counts.spans, logs: status.counts.logs, metrics: status.counts.metricPoints },
    evicted: { traces: status.dropped.spans, logs: status.dropped.logs, metrics: status.dropped.metricPoints },
    rejected: bySignal('loupe_rejected_items_total'),
    received: bySignal('loupe_received_items_total'),
    evictedMetric: bySignal('loupe_evicted_items_total'),
    refused: bySignal('loupe_refused_requests_total'),
    refusedRequests: status.dropped.refusedRequests ?? 0,
    refusedConnections,
    rssBytes: status.process.rssBytes,
    durationBuckets: { http: buckets(metrics, 'http', '200'), grpc: buckets(metrics, 'grpc', '0') },
  };
}

/** Cumulative bucket counts of accepted exports on one transport, all signals summed, by bound. */
function buckets(text: string, transport: string, code: string): [number, number][] {
  const byBound = new Map<number, number>();
  for (const [labels, value] of samples(text, 'loupe_otlp_request_duration_seconds_bucket')) {
    if (!labels.includes(`transport="${transport}"`) || !labels.includes(`code="${code}"`)) continue;
    const le = /le="([^"]+)"/.exec(labels)?.[1];
    const bound = le === '+Inf' ? Infinity : Number(le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + value);
  }
  return [...byBound].sort((a, b) => a[0] - b[0]);
}

/** The bucket bound (ms) under which fraction `p` of the requests fell: an upper estimate. */
export function bucketPercentile(cumulative: [number, number][], p: number): number {
  const total = cumulative.at(-1)?.[1] ?? 0;
  if (total === 0) return NaN;
  return (cumulative.find(([, n]) => n >= total * p)?.[0] ?? Infinity) * 1000;
}

export function perSignal<T>(make: (s: Signal) => T): Record<Signal, T> {
  return { traces: make('traces'), logs: make('logs'), metrics: make('metrics') };
}

/** `name{labels} value` lines of a Prometheus exposition. */
function* samples(text: string, name: string): Generator<[string, number]> {
  const line = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm');
  for (const m of text.matchAll(line)) yield [m[1] ?? '', Number(m[2])];
}
