// Per-function statistics (`GET /api/functions`, CodeLens): spans that carry
// `code.function.name` (or the older `code.function`), grouped by service, function and
// file, over every retained span.

import type { FunctionStats } from '../../protocol/insights.ts';
import { SpanBits, type SpanChunk } from '../store/spanChunk.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { readCodeAttributes } from './codeAttributes.ts';
import { LatencySketch } from '../signals/latencySketch.ts';
import type { ColdFunction, ColdSpans } from './coldSpans.ts';

const MAX_OPERATIONS = 20;

interface Tally {
  key: string;
  number: number;
  service: string;
  function: string;
  file: string;
  namespace?: string;
  line?: number;
  errors: number;
  latency: LatencySketch;
  /** Span name ids with their span counts. */
  operations: Map<number, number>;
}

/**
 * Tallies kept at ingest. Each marked span's tally is noted by number in a column beside
 * its chunk, so eviction neither re-reads the span's bytes nor rebuilds its key.
 */
export class FunctionTally {
  private readonly tallies = new Map<string, Tally>();
  /** Tallies by number (the column's entries are these + 1; 0 is "none"). */
  private readonly byNumber: (Tally | undefined)[] = [];
  private readonly freeNumbers: number[] = [];
  private readonly columns = new WeakMap<SpanChunk, Uint32Array>();

  constructor(private readonly store: TraceStore) {}

  add(chunk: SpanChunk, i: number): void {
    const a = readCodeAttributes(chunk.bytes, chunk.spanStart(i), chunk.ends[i]);
    if (!a.function) return;
    const service = this.serviceOf(chunk, i);
    const key = `${service}\u0000${a.function}\u0000${a.file}`;
    let t = this.tallies.get(key);
    if (!t) {
      const number = this.freeNumbers.pop() ?? this.byNumber.length;
      t = { key, number, service, function: a.function, file: a.file, errors: 0, latency: new LatencySketch(), operations: new Map() };
      this.tallies.set(key, t);
      this.byNumber[number] = t;
    }
    // The newest span's namespace and line win: code moves, telemetry follows.
    if (a.namespace) t.namespace = a.namespace;
    if (a.line) t.line = a.line;
    t.latency.add(chunk.durationNs[i]);
    if (isError(chunk.bits[i])) t.errors++;
    t.operations.set(chunk.nameId[i], (t.operations.get(chunk.nameId[i]) ?? 0) + 1);
    this.column(chunk, i)[i] = t.number + 1;
  }

  remove(chunk: SpanChunk, i: number): void {
    const column = this.columns.get(chunk);
    const t = column && i < column.length && column[i] ? this.byNumber[column[i] - 1] : undefined;
    if (!t) return;
    t.latency.remove(chunk.durationNs[i]);
    if (isError(chunk.bits[i])) t.errors--;
    const n = (t.operations.get(chunk.nameId[i]) ?? 1) - 1;
    if (n) t.operations.set(chunk.nameId[i], n);
    else t.operations.delete(chunk.nameId[i]);
    if (!t.latency.count) {
      this.tallies.delete(t.key);
      this.byNumber[t.number] = undefined;
      this.freeNumbers.push(t.number);
    }
  }

  clear(): void {
    this.tallies.clear();
    this.byNumber.length = 0;
    this.freeNumbers.length = 0;
  }

  get memoryBytes(): number {
    let bytes = 0;
    // Columns of evicted chunks go with their chunks (a WeakMap): count the live ones.
    for (const chunk of this.store.chunks) bytes += this.columns.get(chunk)?.byteLength ?? 0;
    for (const t of this.tallies.values()) bytes += 300 + t.key.length * 2 + t.latency.memoryBytes + t.operations.size * 40;
    return bytes;
  }

  /** The chunk's tally column, long enough for span `i` (grown as the chunk fills). */
  private column(chunk: SpanChunk, i: number): Uint32Array {
    let column = this.columns.get(chunk);
    if (!column || i >= column.length) {
      const grown = new Uint32Array(Math.max(chunk.ends.length, i + 1));
      if (column) grown.set(column);
      this.columns.set(chunk, grown);
      column = grown;
    }
    return column;
  }

  /** `cold`: the disk segments' shares of evicted spans (coldSpans.ts), oldest first, added to memory's figures. */
  query(cold: readonly ColdSpans[] = []): FunctionStats[] {
    const names = this.store.names.values;
    const rows = [...this.tallies.values()].map((t): ColdFunction => ({
      service: t.service, function: t.function, file: t.file, namespace: t.namespace ?? '', line: t.line ?? 0, errors: t.errors, latency: t.latency,
      operations: new Map([...t.operations].map(([id, n]) => [names[id], n])),
    }));
    return (cold.length ? withCold(rows, cold) : rows).map((t) => {
      const stats: FunctionStats = {
        service: t.service, function: t.function, file: t.file,
        operations: [...t.operations.keys()].filter(Boolean).slice(0, MAX_OPERATIONS),
        count: t.latency.count, errorCount: t.errors, p95Ms: t.latency.percentileMs(0.95),
      };
      if (t.namespace) stats.namespace = t.namespace;
      if (t.line) stats.line = t.line;
      return stats;
    });
  }

  private serviceOf(chunk: SpanChunk, i: number): string {
    return this.store.services.values[this.store.groups[chunk.group[i]].serviceId];
  }
}

/** Memory's tallies with the segments' shares added (oldest first, memory last: the newest namespace and line win). */
function withCold(rows: ColdFunction[], cold: readonly ColdSpans[]): ColdFunction[] {
  const merged = new Map<string, ColdFunction>();
  const take = (fn: ColdFunction) => {
    const key = `${fn.service}\u0000${fn.function}\u0000${fn.file}`;
    let sum = merged.get(key);
    if (!sum) merged.set(key, sum = { ...fn, errors: 0, latency: new LatencySketch(), operations: new Map() });
    sum.latency.merge(fn.latency);
    sum.errors += fn.errors;
    if (fn.namespace) sum.namespace = fn.namespace;
    if (fn.line) sum.line = fn.line;
    for (const [name, n] of fn.operations) sum.operations.set(name, (sum.operations.get(name) ?? 0) + n);
  };
  for (const share of cold) for (const fn of share.functions.values()) take(fn);
  for (const fn of rows) take(fn);
  return [...merged.values()];
}

function isError(bits: number): boolean {
  return (bits & SpanBits.StatusMask) >> SpanBits.StatusShift === 2;
}
