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
  };
}

export function perSignal<T>(make: (s: Signal) => T): Record<Signal, T> {
  return { traces: make('traces'), logs: make('logs'), metrics: make('metrics') };
}

/** `name{labels} value` lines of a Prometheus exposition. */
function* samples(text: string, name: string): Generator<[string, number]> {
  const line = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm');
  for (const m of text.matchAll(line)) yield [m[1] ?? '', Number(m[2])];
}
