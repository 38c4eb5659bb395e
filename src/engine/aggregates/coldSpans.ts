// One disk segment's share of the span aggregates: the spans memory evicted (or, after a
// restart, never loaded back) while the segment still holds them, tallied as memory's
// aggregates tally them. Queries add every segment's share to memory's figures, and a
// segment the disk drops takes exactly its share with it. Names are kept as text: a share
// outlives the store ids of the spans it counts.

import type { ExceptionGroup } from '../../protocol/insights.ts';
import { plainAttributes } from '../../shared/plainValue.ts';
import { decodeSpan } from '../otlp/protobuf/traces.ts';
import { SpanBits, type SpanChunk } from '../store/spanChunk.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { LatencySketch } from '../signals/latencySketch.ts';
import { exceptionEvents } from './exceptionTally.ts';
import type { ColdTotals } from './coldTotals.ts';
import type { FunctionCode } from './functionTally.ts';
import { SpanMark } from './spanMarks.ts';

export interface ColdOperation {
  service: string;
  name: string;
  errors: number;
  latency: LatencySketch;
  lastNs: number;
  lastLo: number;
  lastHi: number;
}

export interface ColdFunction {
  service: string;
  function: string;
  file: string;
  namespace: string;
  line: number;
  errors: number;
  latency: LatencySketch;
  /** Span names with their span counts, in the order first seen. */
  operations: Map<string, number>;
}

export interface ColdException {
  service: string;
  type: string;
  message: string;
  count: number;
  /** Occurrences by trace key. */
  traces: Map<string, number>;
  lastSeen: bigint;
  latest: ExceptionGroup['latest'];
}

export interface ColdService {
  spans: number;
  errors: number;
  lastLo: number;
  lastHi: number;
}

export class ColdSpans {
  readonly operations = new Map<string, ColdOperation>();
  readonly functions = new Map<string, ColdFunction>();
  readonly exceptions = new Map<string, ColdException>();
  readonly services = new Map<string, ColdService>();
  /** Bytes of everything but the sketches (counted when asked). */
  private fixedBytes = 0;

  /**
   * `totals`: every share's operations, functions and exceptions, summed as they are
   * added (queries merge those, not one share per segment); `order`: this share's place
   * among them (its segment's first seq): of two occurrences as new, the later share's is the latest.
   */
  constructor(private readonly totals?: ColdTotals, readonly order = 0) {}

  /**
   * Counts span `i` of `chunk` (in `store`, which names its service and span name);
   * `code`: the function it was tallied under at ingest, if any.
   */
  add(store: TraceStore, chunk: SpanChunk, i: number, trace: TraceEntry, code: FunctionCode | undefined): void {
    const service = store.services.values[store.groups[chunk.group[i]].serviceId];
    const name = store.names.values[chunk.nameId[i]];
    const error = isError(chunk.bits[i]);
    const duration = chunk.durationNs[i];
    const lo = chunk.startLo[i];
    const hi = chunk.startHi[i];
    const opKey = `${service}\u0000${name}`;
    let op = this.operations.get(opKey);
    if (!op) {
      this.operations.set(opKey, op = { service, name, errors: 0, latency: new LatencySketch(), lastNs: -1, lastLo: 0, lastHi: 0 });
      this.fixedBytes += 160 + opKey.length * 2;
    }
    const start = chunk.startNs(i);
    addToOperation(op, duration, error, start, lo, hi);
    if (this.totals) {
      let sum = this.totals.operations.get(opKey);
      if (!sum) this.totals.operations.set(opKey, sum = { service, name, errors: 0, latency: new LatencySketch(), lastNs: -1, lastLo: 0, lastHi: 0 });
      addToOperation(sum, duration, error, start, lo, hi);
    }

    let s = this.services.get(service);
    if (!s) {
      this.services.set(service, s = { spans: 0, errors: 0, lastLo: 0, lastHi: 0 });
      this.fixedBytes += 120 + service.length * 2;
    }
    s.spans++;
    if (error) s.errors++;
    if (hi > s.lastHi || (hi === s.lastHi && lo > s.lastLo)) { s.lastHi = hi; s.lastLo = lo; }

    const marks = chunk.bits[i];
    if (code) this.addFunction(code, service, name, error, duration);
    if (marks & SpanMark.Exception) this.addExceptions(chunk, i, service, trace);
  }

  get memoryBytes(): number {
    let bytes = this.fixedBytes;
    for (const op of this.operations.values()) bytes += op.latency.memoryBytes;
    for (const fn of this.functions.values()) bytes += fn.latency.memoryBytes;
    return bytes;
  }

  private addFunction(a: FunctionCode, service: string, name: string, error: boolean, duration: number): void {
    const key = a.key;
    let fn = this.functions.get(key);
    if (!fn) {
      this.functions.set(key, fn = { service, function: a.function, file: a.file, namespace: '', line: 0, errors: 0, latency: new LatencySketch(), operations: new Map() });
      this.fixedBytes += 300 + key.length * 2;
    }
    // As in memory's tally: the newest span's namespace and line win.
    if (a.namespace) fn.namespace = a.namespace;
    if (a.line) fn.line = a.line;
    const n = fn.operations.get(name);
    if (n === undefined) this.fixedBytes += 60 + name.length * 2;
    addToFunction(fn, name, error, duration);
    if (this.totals) addToFunction(this.totals.functionSum(a, service, this.order), name, error, duration);
  }

  private addExceptions(chunk: SpanChunk, i: number, service: string, trace: TraceEntry): void {
    const span = decodeSpan(chunk.bytes, chunk.spanStart(i), chunk.ends[i]);
    for (const { attributes, type, message, time } of exceptionEvents(span)) {
      const key = `${service}\u0000${type}\u0000${message}`;
      let e = this.exceptions.get(key);
      if (!e) {
        this.exceptions.set(key, e = { service, type, message, count: 0, traces: new Map(), lastSeen: -1n, latest: undefined! });
        this.fixedBytes += 400 + key.length * 2;
      }
      if (!e.traces.has(trace.key)) this.fixedBytes += 90;
      let latest: ColdException['latest'] | undefined;
      const describe = () => latest ??= {
        traceId: span.traceId ?? '', spanId: span.spanId ?? '', service, spanName: span.name ?? '',
        attributes, spanAttributes: plainAttributes(span.attributes),
      };
      e.count++;
      e.traces.set(trace.key, (e.traces.get(trace.key) ?? 0) + 1);
      if (time >= e.lastSeen) {
        e.lastSeen = time;
        e.latest = describe();
      }
      if (this.totals) this.totals.addException(key, e, this.order, trace.key, time, describe);
    }
  }
}

function addToOperation(op: ColdOperation, duration: number, error: boolean, start: number, lo: number, hi: number): void {
  op.latency.add(duration);
  if (error) op.errors++;
  if (start > op.lastNs) { op.lastNs = start; op.lastLo = lo; op.lastHi = hi; }
}

function addToFunction(fn: ColdFunction, name: string, error: boolean, duration: number): void {
  fn.latency.add(duration);
  if (error) fn.errors++;
  fn.operations.set(name, (fn.operations.get(name) ?? 0) + 1);
}

function isError(bits: number): boolean {
  return (bits & SpanBits.StatusMask) >> SpanBits.StatusShift === 2;
}
