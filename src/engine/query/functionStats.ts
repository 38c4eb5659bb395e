// Per-function statistics (`GET /api/functions`) for CodeLens: spans that carry
// `code.function.name` (or the deprecated `code.function`), grouped by service,
// function and file.

import type { FunctionStats } from '../../protocol/insights.ts';
import { plainAttributes } from '../../shared/plainValue.ts';
import { SpanBits } from '../store/spanChunk.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { percentileMs } from './operationStats.ts';
import { forEachSpanContaining } from './spanScan.ts';
import { LatencySketch } from '../signals/latencySketch.ts';
import type { SignalStore } from '../signals/signalStore.ts';

const MAX_SPANS_SCANNED = 50_000;

/** Functions whose spans are server or consumer spans take their figures from the golden-signal aggregates, as the Services tree does. */
export function functionStats(store: TraceStore, signals?: SignalStore): FunctionStats[] {
  const tallies = new Map<string, FunctionStats & { durations: number[] }>();
  forEachSpanContaining(store, 'code.function', MAX_SPANS_SCANNED, ({ span, chunk, index }) => {
    const a = plainAttributes(span.attributes);
    const fn = text(a['code.function.name']) || text(a['code.function']);
    if (!fn) return;
    const service = store.services.values[store.groups[chunk.group[index]].serviceId];
    const file = text(a['code.file.path']) || text(a['code.filepath']);
    const key = `${service}\u0000${fn}\u0000${file}`;
    let t = tallies.get(key);
    if (!t) {
      t = { service, function: fn, file, operations: [], count: 0, errorCount: 0, p95Ms: 0, durations: [] };
      const namespace = text(a['code.namespace']);
      if (namespace) t.namespace = namespace;
      // Newest first: the first line seen is the newest.
      const line = Number(a['code.line.number'] ?? a['code.lineno']);
      if (Number.isInteger(line) && line > 0) t.line = line;
      tallies.set(key, t);
    }
    t.count++;
    t.durations.push(chunk.durationNs[index]);
    if ((chunk.bits[index] & SpanBits.StatusMask) >> SpanBits.StatusShift === 2) t.errorCount++;
    const name = span.name ?? '';
    if (name && t.operations.length < 20 && !t.operations.includes(name)) t.operations.push(name);
  });
  return [...tallies.values()].map(({ durations, ...stats }) => fromSignals(stats, signals) ?? { ...stats, p95Ms: percentileMs(durations, 0.95), source: 'spans' });
}

function fromSignals(stats: FunctionStats, signals: SignalStore | undefined): FunctionStats | undefined {
  const requests = stats.operations.map((name) => signals?.operation(stats.service, name));
  if (!requests.length || requests.some((r) => !r)) return undefined;
  const merged = new LatencySketch();
  let count = 0, errors = 0;
  for (const r of requests) {
    merged.merge(r!.sketch);
    count += r!.requests;
    errors += r!.errors;
  }
  return { ...stats, count, errorCount: errors, p95Ms: Math.round(merged.quantile(0.95) / 1e3) / 1e3, source: 'signals' };
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
