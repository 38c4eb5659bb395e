// Per-function statistics (`GET /api/functions`, CodeLens): spans that carry
// `code.function.name` (or the older `code.function`), grouped by service, function and
// file, over every retained span.

import type { FunctionStats } from '../../protocol/insights.ts';
import { SpanBits, type SpanChunk } from '../store/spanChunk.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { newCodeRanges, type CodeRanges } from './codeAttributes.ts';
import { bytesEqual } from '../otlp/protobuf/wire.ts';
import { LatencySketch } from '../signals/latencySketch.ts';
import type { ColdFunction, ColdSpans } from './coldSpans.ts';

const MAX_OPERATIONS = 20;

interface Tally {
  key: string;
  number: number;
  serviceId: number;
  service: string;
  function: string;
  file: string;
  /** The function's and file's bytes as a span carried them, and their hash (`codeHash`). */
  functionBytes: Buffer;
  fileBytes: Buffer;
  hash: number;
  namespace?: string;
  namespaceBytes?: Buffer;
  line?: number;
  errors: number;
  latency: LatencySketch;
  /** Span name ids with their span counts. */
  operations: Map<number, number>;
}

/** A function's key (service, function and file) and code attributes as its tally holds them (the newest span's namespace and line). */
export type FunctionCode = Pick<Tally, 'key' | 'function' | 'file' | 'namespace' | 'line'>;

const EMPTY = Buffer.alloc(0);

/**
 * Tallies kept at ingest. Each marked span's tally is noted by number in a column beside
 * its chunk, so eviction neither re-reads the span's bytes nor rebuilds its key. A span
 * finds its tally by a hash of its service and code attributes' bytes, compared as bytes:
 * no string is made unless the function is new (or its namespace changed).
 */
export class FunctionTally {
  private readonly tallies = new Map<string, Tally>();
  /** Tallies by `codeHash`; a hash that two tallies share points to one, the other goes by its key. */
  private readonly byHash = new Map<number, Tally>();
  /** Tallies by number (the column's entries are these + 1; 0 is "none"). */
  private readonly byNumber: (Tally | undefined)[] = [];
  private readonly freeNumbers: number[] = [];
  private readonly columns = new WeakMap<SpanChunk, Uint32Array>();
  /** The column used last and its chunk: spans come chunk by chunk, a WeakMap look-up each costs. */
  private lastChunk: SpanChunk | undefined;
  private lastColumn: Uint32Array | undefined;
  /** The span's code attributes' places in its chunk's bytes; reused. */
  private readonly ranges = newCodeRanges();

  constructor(private readonly store: TraceStore) {}

  /** `code`: where the span's code attributes are, from its first byte (the ingest scanner's CodeRanges). */
  add(chunk: SpanChunk, i: number, code: CodeRanges): void {
    if (code.functionStart === code.functionEnd) return;
    const buf = chunk.bytes;
    const a = this.ranges;
    const base = chunk.spanStart(i);
    a.functionStart = base + code.functionStart;
    a.functionEnd = base + code.functionEnd;
    a.fileStart = base + code.fileStart;
    a.fileEnd = base + code.fileEnd;
    a.namespaceStart = base + code.namespaceStart;
    a.namespaceEnd = base + code.namespaceEnd;
    a.line = code.line;
    const serviceId = this.store.groups[chunk.group[i]].serviceId;
    const hash = codeHash(serviceId, buf, a);
    let t = this.byHash.get(hash);
    if (!t || t.serviceId !== serviceId || !bytesEqual(buf, a.functionStart, a.functionEnd, t.functionBytes) || !bytesEqual(buf, a.fileStart, a.fileEnd, t.fileBytes)) {
      t = this.tallyOf(serviceId, buf, a, hash);
    }
    // The newest span's namespace and line win: code moves, telemetry follows.
    if (a.namespaceStart < a.namespaceEnd && !(t.namespaceBytes && bytesEqual(buf, a.namespaceStart, a.namespaceEnd, t.namespaceBytes))) {
      t.namespace = buf.utf8Slice(a.namespaceStart, a.namespaceEnd);
      t.namespaceBytes = Buffer.from(buf.subarray(a.namespaceStart, a.namespaceEnd));
    }
    if (a.line) t.line = a.line;
    t.latency.add(chunk.durationNs[i]);
    if (isError(chunk.bits[i])) t.errors++;
    t.operations.set(chunk.nameId[i], (t.operations.get(chunk.nameId[i]) ?? 0) + 1);
    this.column(chunk, i)[i] = t.number + 1;
  }

  /** The tally of a span's function, by its strings (made new if none); noted by hash when its bytes are the span's. */
  private tallyOf(serviceId: number, buf: Buffer, a: CodeRanges, hash: number): Tally {
    const service = this.store.services.values[serviceId];
    const fn = buf.utf8Slice(a.functionStart, a.functionEnd);
    const file = buf.utf8Slice(a.fileStart, a.fileEnd);
    const key = `${service}\u0000${fn}\u0000${file}`;
    let t = this.tallies.get(key);
    if (!t) {
      const number = this.freeNumbers.pop() ?? this.byNumber.length;
      t = {
        key, number, serviceId, service, function: fn, file, hash,
        functionBytes: Buffer.from(buf.subarray(a.functionStart, a.functionEnd)),
        fileBytes: a.fileStart < a.fileEnd ? Buffer.from(buf.subarray(a.fileStart, a.fileEnd)) : EMPTY,
        errors: 0, latency: new LatencySketch(), operations: new Map(),
      };
      this.tallies.set(key, t);
      this.byNumber[number] = t;
    }
    // Bytes that decode to the same strings but differ (invalid UTF-8) keep going by key.
    if (t.hash === hash && bytesEqual(buf, a.functionStart, a.functionEnd, t.functionBytes) && bytesEqual(buf, a.fileStart, a.fileEnd, t.fileBytes)) this.byHash.set(hash, t);
    return t;
  }

  /** The function span `i` of `chunk` was tallied under (undefined: none), by the number its column keeps. */
  codeOf(chunk: SpanChunk, i: number): FunctionCode | undefined {
    return this.tallyAt(chunk, i);
  }

  remove(chunk: SpanChunk, i: number): void {
    const t = this.tallyAt(chunk, i);
    if (!t) return;
    t.latency.remove(chunk.durationNs[i]);
    if (isError(chunk.bits[i])) t.errors--;
    const n = (t.operations.get(chunk.nameId[i]) ?? 1) - 1;
    if (n) t.operations.set(chunk.nameId[i], n);
    else t.operations.delete(chunk.nameId[i]);
    if (!t.latency.count) {
      this.tallies.delete(t.key);
      if (this.byHash.get(t.hash) === t) this.byHash.delete(t.hash);
      this.byNumber[t.number] = undefined;
      this.freeNumbers.push(t.number);
    }
  }

  clear(): void {
    this.tallies.clear();
    this.byHash.clear();
    this.byNumber.length = 0;
    this.freeNumbers.length = 0;
    this.lastChunk = this.lastColumn = undefined;
  }

  get memoryBytes(): number {
    let bytes = 0;
    // Columns of evicted chunks go with their chunks (a WeakMap): count the live ones.
    for (const chunk of this.store.chunks) bytes += this.columns.get(chunk)?.byteLength ?? 0;
    for (const t of this.tallies.values()) bytes += 360 + t.key.length * 2 + t.functionBytes.length + t.fileBytes.length + t.latency.memoryBytes + t.operations.size * 40;
    return bytes;
  }

  private tallyAt(chunk: SpanChunk, i: number): Tally | undefined {
    const column = chunk === this.lastChunk ? this.lastColumn : this.columns.get(chunk);
    return column && i < column.length && column[i] ? this.byNumber[column[i] - 1] : undefined;
  }

  /** The chunk's tally column, long enough for span `i` (grown as the chunk fills). */
  private column(chunk: SpanChunk, i: number): Uint32Array {
    if (chunk === this.lastChunk && i < this.lastColumn!.length) return this.lastColumn!;
    let column = this.columns.get(chunk);
    if (!column || i >= column.length) {
      const grown = new Uint32Array(Math.max(chunk.ends.length, i + 1));
      if (column) grown.set(column);
      this.columns.set(chunk, grown);
      column = grown;
    }
    this.lastChunk = chunk;
    this.lastColumn = column;
    return column;
  }

  /** `cold`: the disk segments' shares of evicted spans (coldSpans.ts; summed, or oldest first), added to memory's figures. */
  query(cold: readonly Pick<ColdSpans, 'functions'>[] = []): FunctionStats[] {
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
}

/** Memory's tallies with the segments' shares added (oldest first, memory last: the newest namespace and line win). */
function withCold(rows: ColdFunction[], cold: readonly Pick<ColdSpans, 'functions'>[]): ColdFunction[] {
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

/** FNV-1a over the service id and the function's and file's bytes, cut to 30 bits (a small integer to V8). */
function codeHash(serviceId: number, buf: Buffer, a: CodeRanges): number {
  let h = Math.imul(0x811c9dc5 ^ serviceId, 0x01000193);
  for (let k = a.functionStart; k < a.functionEnd; k++) h = Math.imul(h ^ buf[k], 0x01000193);
  h = Math.imul(h ^ (a.functionEnd - a.functionStart), 0x01000193);
  for (let k = a.fileStart; k < a.fileEnd; k++) h = Math.imul(h ^ buf[k], 0x01000193);
  return h & 0x3fffffff;
}
