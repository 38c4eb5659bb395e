// Per-function statistics (`GET /api/functions`, CodeLens): spans that carry
// `code.function.name` (or the older `code.function`), grouped by service, function and
// file, over every retained span.

import type { FunctionStats } from '../../protocol/insights.ts';
import { SpanBits, type SpanChunk } from '../store/spanChunk.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { readCodeAttributes } from './codeAttributes.ts';
import { LatencyHistogram } from './latencyHistogram.ts';

const MAX_OPERATIONS = 20;

interface Tally {
  key: string;
  service: string;
  function: string;
  file: string;
  namespace?: string;
  line?: number;
  errors: number;
  latency: LatencyHistogram;
  /** Span name ids with their span counts. */
  operations: Map<number, number>;
}

/**
 * Tallies kept at ingest; at eviction each marked span's attributes are read again from
 * its bytes (nothing per span is kept beside the store).
 */
export class FunctionTally {
  private readonly tallies = new Map<string, Tally>();

  constructor(private readonly store: TraceStore) {}

  add(chunk: SpanChunk, i: number): void {
    const a = readCodeAttributes(chunk.bytes, chunk.spanStart(i), chunk.ends[i]);
    if (!a.function) return;
    const service = this.serviceOf(chunk, i);
    const key = `${service}\u0000${a.function}\u0000${a.file}`;
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, t = { key, service, function: a.function, file: a.file, errors: 0, latency: new LatencyHistogram(), operations: new Map() });
    // The newest span's namespace and line win: code moves, telemetry follows.
    if (a.namespace) t.namespace = a.namespace;
    if (a.line) t.line = a.line;
    t.latency.add(chunk.durationNs[i]);
    if (isError(chunk.bits[i])) t.errors++;
    t.operations.set(chunk.nameId[i], (t.operations.get(chunk.nameId[i]) ?? 0) + 1);
  }

  remove(chunk: SpanChunk, i: number): void {
    const a = readCodeAttributes(chunk.bytes, chunk.spanStart(i), chunk.ends[i]);
    const t = a.function && this.tallies.get(`${this.serviceOf(chunk, i)}\u0000${a.function}\u0000${a.file}`);
    if (!t) return;
    t.latency.remove(chunk.durationNs[i]);
    if (isError(chunk.bits[i])) t.errors--;
    const n = (t.operations.get(chunk.nameId[i]) ?? 1) - 1;
    if (n) t.operations.set(chunk.nameId[i], n);
    else t.operations.delete(chunk.nameId[i]);
    if (!t.latency.count) this.tallies.delete(t.key);
  }

  clear(): void {
    this.tallies.clear();
  }

  get memoryBytes(): number {
    let bytes = 0;
    for (const t of this.tallies.values()) bytes += 300 + t.key.length * 2 + t.latency.memoryBytes + t.operations.size * 40;
    return bytes;
  }

  query(): FunctionStats[] {
    const names = this.store.names.values;
    return [...this.tallies.values()].map((t) => {
      const stats: FunctionStats = {
        service: t.service, function: t.function, file: t.file,
        operations: [...t.operations.keys()].map((id) => names[id]).filter(Boolean).slice(0, MAX_OPERATIONS),
        count: t.latency.count, errorCount: t.errors, p95Ms: t.latency.percentileMs(0.95),
      };
      if (t.namespace) stats.namespace = t.namespace;
      if (t.line !== undefined) stats.line = t.line;
      return stats;
    });
  }

  private serviceOf(chunk: SpanChunk, i: number): string {
    return this.store.services.values[this.store.groups[chunk.group[i]].serviceId];
  }
}

function isError(bits: number): boolean {
  return (bits & SpanBits.StatusMask) >> SpanBits.StatusShift === 2;
}
