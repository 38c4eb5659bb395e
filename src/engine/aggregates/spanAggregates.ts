// The aggregates the editor asks for — operations, exceptions, functions — kept current
// as spans are stored and traces evicted, so each answer covers everything retained and
// costs what the aggregate holds, not what the store holds. Spans are decoded here only
// when the ingest scanner marked an exception event; code attributes come as the places
// the scanner found them.

import type { ExceptionGroup, FunctionStats, OperationStats } from '../../protocol/insights.ts';
import { decodeSpan } from '../otlp/protobuf/traces.ts';
import type { SpanChunk } from '../store/spanChunk.ts';
import { chunkHolding } from '../store/chunkLookup.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import type { SpanFacts, TraceStore, TraceStoreObserver } from '../store/traceStore.ts';
import type { ColdSpans } from './coldSpans.ts';
import { ExceptionTally } from './exceptionTally.ts';
import { FunctionTally } from './functionTally.ts';
import { OperationTally } from './operationTally.ts';
import { SpanMark } from './spanMarks.ts';

export class SpanAggregates implements TraceStoreObserver {
  readonly operations: OperationTally;
  readonly exceptions: ExceptionTally;
  readonly functions: FunctionTally;
  /**
   * With the disk tier on: the share (of the disk segment holding span `index` of `chunk`)
   * that keeps counting the span once memory evicts it, or undefined when no segment
   * holds it any more. Queries add `cold()`'s shares, oldest first.
   */
  keepEvicted: ((chunk: SpanChunk, index: number) => ColdSpans | undefined) | undefined;
  cold: () => readonly ColdSpans[] = () => [];
  /** The shares' operations, summed (one map however many segments there are). */
  coldOperations: () => readonly Pick<ColdSpans, 'operations'>[] = () => [];
  /** The shares' functions, summed. */
  coldFunctions: () => readonly Pick<ColdSpans, 'functions'>[] = () => [];
  /** The shares' exceptions, summed. */
  coldExceptions: () => readonly Pick<ColdSpans, 'exceptions'>[] = () => [];

  constructor(private readonly store: TraceStore) {
    this.operations = new OperationTally(store);
    this.exceptions = new ExceptionTally(store);
    this.functions = new FunctionTally(store);
  }

  spanStored(chunk: SpanChunk, index: number, trace: TraceEntry, facts: SpanFacts): void {
    this.operations.add(chunk, index);
    const marks = chunk.bits[index];
    if (marks & SpanMark.Exception) this.exceptions.add(chunk, index, trace, decodeSpan(chunk.bytes, chunk.spanStart(index), chunk.ends[index]));
    if (marks & SpanMark.CodeFunction) this.functions.add(chunk, index, facts.code);
  }

  traceEvicted(trace: TraceEntry): void {
    let chunk: SpanChunk | undefined;
    for (const id of trace.spans) {
      // A trace's spans are mostly in one chunk: the one found last is tried first.
      if (chunk === undefined || id < chunk.firstId || id >= chunk.firstId + chunk.count) chunk = chunkHolding(this.store.chunks, id)!;
      const index = id - chunk.firstId;
      const code = chunk.bits[index] & SpanMark.CodeFunction ? this.functions.codeOf(chunk, index) : undefined;
      this.keepEvicted?.(chunk, index)?.add(this.store, chunk, index, trace, code);
      this.operations.remove(chunk, index);
      if (code) this.functions.remove(chunk, index);
    }
    this.exceptions.evicted(trace);
  }

  cleared(): void {
    this.operations.clear();
    this.exceptions.clear();
    this.functions.clear();
  }

  get memoryBytes(): number {
    return this.operations.memoryBytes + this.exceptions.memoryBytes + this.functions.memoryBytes;
  }

  operationStats(service: string | undefined): OperationStats[] {
    return this.operations.query(service, this.coldOperations());
  }

  exceptionGroups(service: string | undefined, max: number): ExceptionGroup[] {
    return this.exceptions.query(service, max, this.coldExceptions());
  }

  functionStats(): FunctionStats[] {
    return this.functions.query(this.coldFunctions());
  }
}
