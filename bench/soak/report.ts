// The soak's verdict: the per-signal sum (what clients had acknowledged = stored +
// evicted + rejected, exactly), the RSS bound, request latency per protocol and the UI
// API's latency under load. Returns whether the run passed.

import { bucketPercentile, perSignal, SIGNALS, type EngineCounts } from './engineCounts.ts';
import type { Signal } from './payloads.ts';
import { addTally, emptyTally, PROTOCOL_NAMES, type ClientReport, type SignalTally } from './plan.ts';
import { UI_QUERIES, type UiSamples } from './uiProbe.ts';

const MIB = 1048576;
const ITEM_NAMES: Record<Signal, string> = { traces: 'spans', logs: 'log records', metrics: 'metric points' };

export interface SoakResult {
  mode: 'ordinary' | 'wide';
  seconds: number;
  budgetBytes: number;
  rssBoundBytes: number;
  peakRssBytes: number;
  reports: ClientReport[];
  counts: EngineCounts;
  ui: UiSamples;
  loadBefore: number[];
  loadAfter: number[];
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(0)} MiB`;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function latency(values: number[]): string {
  if (values.length === 0) return 'no samples';
  return `p50 ${percentile(values, 0.5).toFixed(1)} ms, p99 ${percentile(values, 0.99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms (${fmt(values.length)} requests)`;
}

export function printReport(r: SoakResult): boolean {
  const totals = perSignal(() => emptyTally());
  for (const report of r.reports) for (const s of SIGNALS) if (report.signals[s]) addTally(totals[s], report.signals[s]!);
  const c = r.counts;
  let ok = true;

  console.log(`\nAccounting per signal (clients' acknowledged items against the engine's counts):`);
  for (const s of SIGNALS) {
    const t = totals[s];
    const engineSum = c.stored[s] + c.evicted[s] + c.rejected[s];
    const exact = t.items === engineSum && t.failed === 0;
    const consistent = c.received[s] === c.stored[s] + c.evicted[s] && c.evictedMetric[s] === c.evicted[s];
    const rejectionsAgree = c.rejected[s] === t.invalidSent && t.rejectedAnswered === t.invalidSent;
    ok &&= exact && consistent && rejectionsAgree;
    console.log(`  ${ITEM_NAMES[s]}: sent ${fmt(t.items)} = stored ${fmt(c.stored[s])} + evicted ${fmt(c.evicted[s])} + rejected ${fmt(c.rejected[s])}` +
      ` ${t.items === engineSum ? '✓ exact' : `✗ off by ${fmt(t.items - engineSum)}`}` +
      `; ${fmt(t.items / r.seconds)}/s` +
      (t.lateSends ? `, ${fmt(t.lateSends)} sends late` : ''));
    if (!rejectionsAgree) console.log(`    ✗ invalid sent ${t.invalidSent}, rejections answered ${t.rejectedAnswered}, counted by the engine ${c.rejected[s]}`);
    if (!consistent) console.log(`    ✗ /metrics says received ${fmt(c.received[s])} and evicted ${fmt(c.evictedMetric[s])}; /api/status stored ${fmt(c.stored[s])} and evicted ${fmt(c.evicted[s])}`);
    if (t.failed) console.log(`    ✗ ${t.failed} requests (${fmt(t.failedItems)} items) failed, stored or not unknown: ${t.errors.join(' | ')}`);
    if (t.gaveUp) console.log(`    ${t.gaveUp} requests (${fmt(t.gaveUpItems)} items) refused on every attempt and given up (not stored, not in the sum)`);
  }

  const refusalsSeen = SIGNALS.reduce((n, s) => n + totals[s].refusals, 0);
  const refusalsAgree = refusalsSeen === c.refusedRequests && SIGNALS.every((s) => c.refused[s] === totals[s].refusals);
  // The SDK exporter retries timeouts and resets as it retries refusals, and logs them alike.
  const failures = SIGNALS.some((s) => totals[s].failed > 0);
  ok &&= refusalsAgree || failures;
  console.log(`  backpressure: ${fmt(c.refusedRequests)} exports refused (429/503/UNAVAILABLE) and retried by the clients, which saw ${fmt(refusalsSeen)} ${refusalsAgree ? '✓' : '✗'}` +
    `${!refusalsAgree && failures ? ' (the SDK exporter counts its retries after timeouts too)' : ''}; connections refused: ${fmt(c.refusedConnections)}`);

  const rssOk = r.peakRssBytes <= r.rssBoundBytes;
  ok &&= rssOk;
  console.log(`\nEngine peak RSS (from /proc, every 250 ms): ${mib(r.peakRssBytes)} against a bound of ${mib(r.rssBoundBytes)} (budget ${mib(r.budgetBytes)} + 128 MiB) ${rssOk ? '✓' : '✗'}`);

  console.log(`\nRequest latency per protocol (client round trip, accepted exports):`);
  for (const report of r.reports) {
    const all: SignalTally = emptyTally();
    for (const s of SIGNALS) if (report.signals[s]) addTally(all, report.signals[s]!);
    // The SDK exporter's bytes are its own business (it compresses them itself).
    const bytes = report.protocol === 'http-json-gzip' ? `${mib(all.wireBytes)} of logs and metrics sent (spans through the SDK exporter)` : `${mib(all.wireBytes)} sent`;
    console.log(`  ${PROTOCOL_NAMES[report.protocol]}: ${latency(all.latenciesMs)}; ${bytes}`);
  }

  for (const transport of ['http', 'grpc'] as const) {
    const b = c.durationBuckets[transport];
    const at = (p: number): string => { const ms = bucketPercentile(b, p); return ms === Infinity ? '> 1 s' : `≤ ${ms} ms`; };
    console.log(`  engine side, OTLP/${transport === 'http' ? 'HTTP' : 'gRPC'} (its /metrics histogram, from the request read to the answer): p50 ${at(0.5)}, p99 ${at(0.99)}`);
  }

  console.log(`\nUI API during the load (one query a quarter second, in turn):`);
  for (const q of UI_QUERIES) console.log(`  ${q}: ${latency(r.ui.ms[q])}`);
  if (r.ui.errors) console.log(`  ✗ ${r.ui.errors} failed: ${r.ui.reasons.join(' | ')}`);
  ok &&= r.ui.errors === 0;

  console.log(`\nLoad average before ${r.loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${r.loadAfter.map((l) => l.toFixed(1)).join(' ')}.`);
  console.log(ok ? 'Soak passed.' : 'Soak FAILED (see ✗ above).');
  return ok;
}
