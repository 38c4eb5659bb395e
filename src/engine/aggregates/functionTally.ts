// Per-function statistics (`GET /api/functions`, CodeLens): spans that carry
// `code.function.name` (or the older `code.function`), grouped by service, function and
// file, over every retained span.

import type { FunctionStats } from '../../protocol/insights.ts';
import type { Span } from '../../protocol/otlp.ts';
import { plainAttributes } from '../../shared/plainValue.ts';
import { SpanBits, type SpanChunk } from '../store/spanChunk.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';
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
  /** Span names with their span counts. */
  operations: Map<string, number>;
}

/** One span's part in a tally, kept to take it off again on eviction. */
interface Part {
  tally: Tally;
  durationNs: number;
  isError: boolean;
  name: string;
}

export class FunctionTally {
  private readonly tallies = new Map<string, Tally>();
  private readonly byTrace = new Map<TraceEntry, Part[]>();

  constructor(private readonly store: TraceStore) {}

  add(chunk: SpanChunk, i: number, trace: TraceEntry, span: Span): void {
    const a = plainAttributes(span.attributes);
    const fn = text(a['code.function.name']) || text(a['code.function']);
    if (!fn) return;
    const service = this.store.services.values[this.store.groups[chunk.group[i]].serviceId];
    const file = text(a['code.file.path']) || text(a['code.filepath']);
    const key = `${service}\u0000${fn}\u0000${file}`;
    let t = this.tallies.get(key);
    if (!t) this.tallies.set(key, t = { key, service, function: fn, file, errors: 0, latency: new LatencyHistogram(), operations: new Map() });
    // The newest span's namespace and line win: code moves, telemetry follows.
    const namespace = text(a['code.namespace']);
    if (namespace) t.namespace = namespace;
    const line = Number(a['code.line.number'] ?? a['code.lineno']);
    if (Number.isInteger(line) && line > 0) t.line = line;
    const part: Part = { tally: t, durationNs: chunk.durationNs[i], isError: (chunk.bits[i] & SpanBits.StatusMask) >> SpanBits.StatusShift === 2, name: span.name ?? '' };
    t.latency.add(part.durationNs);
    if (part.isError) t.errors++;
    t.operations.set(part.name, (t.operations.get(part.name) ?? 0) + 1);
    const parts = this.byTrace.get(trace);
    if (parts) parts.push(part);
    else this.byTrace.set(trace, [part]);
  }

  evicted(trace: TraceEntry): void {
    const parts = this.byTrace.get(trace);
    if (!parts) return;
    this.byTrace.delete(trace);
    for (const { tally: t, durationNs, isError, name } of parts) {
      t.latency.remove(durationNs);
      if (isError) t.errors--;
      const n = t.operations.get(name)! - 1;
      if (n) t.operations.set(name, n);
      else t.operations.delete(name);
      if (!t.latency.count) this.tallies.delete(t.key);
    }
  }

  clear(): void {
    this.tallies.clear();
    this.byTrace.clear();
  }

  get memoryBytes(): number {
    let bytes = this.byTrace.size * 80;
    for (const t of this.tallies.values()) bytes += 300 + t.key.length * 2 + t.latency.memoryBytes + t.operations.size * 80 + t.latency.count * 60;
    return bytes;
  }

  query(): FunctionStats[] {
    return [...this.tallies.values()].map((t) => {
      const stats: FunctionStats = {
        service: t.service, function: t.function, file: t.file,
        operations: [...t.operations.keys()].filter(Boolean).slice(0, MAX_OPERATIONS),
        count: t.latency.count, errorCount: t.errors, p95Ms: t.latency.percentileMs(0.95),
      };
      if (t.namespace) stats.namespace = t.namespace;
      if (t.line !== undefined) stats.line = t.line;
      return stats;
    });
  }
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
