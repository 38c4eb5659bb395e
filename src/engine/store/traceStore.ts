// Spans kept as their protobuf bytes in chunks, grouped into traces, evicted oldest
// chunk first (taking every trace with a span in it, whole).

import type { InstrumentationScope, Resource } from '../../protocol/otlp.ts';
import type { CodeRanges } from '../aggregates/codeAttributes.ts';
import { bloomAdd } from './attributeBloom.ts';
import { Interner } from './interner.ts';
import { serviceNameOf } from './serviceName.ts';
import { SpareChunkBuffer } from './spareChunkBuffer.ts';
import { CHUNK_BYTES, SpanBits, SpanChunk } from './spanChunk.ts';
import { TraceEntry } from './traceEntry.ts';
import { chunkHolding } from './chunkLookup.ts';

/** The resource and scope that a run of spans shares. */
export interface SpanGroup {
  readonly id: number;
  readonly resource: Resource;
  readonly resourceSchemaUrl: string;
  readonly scope: InstrumentationScope;
  readonly scopeSchemaUrl: string;
  /** Spans of one resource are written under one ResourceSpans on export. */
  readonly resourceKey: string;
  readonly serviceId: number;
}

/** Fields the ingest scanner extracts from a span, filled in place (no allocation). */
export interface SpanFacts {
  traceKey: string;
  hasParent: boolean;
  name: string;
  kind: number;
  statusCode: number;
  startLo: number;
  startHi: number;
  durationNs: number;
  /** SpanMark bits (aggregates/spanMarks.ts), kept in the chunk's `bits` column. */
  marks: number;
  /** Where the span's code attributes are, from its first byte (read when `marks` says it names a function). */
  code: CodeRanges;
}

/** Told of every span stored and every trace evicted (the aggregates keep themselves current). */
export interface TraceStoreObserver {
  spanStored(chunk: SpanChunk, index: number, trace: TraceEntry, facts: SpanFacts): void;
  /** Called while the trace's spans can still be located. */
  traceEvicted(trace: TraceEntry): void;
  cleared(): void;
}

export interface SpanRef {
  chunk: SpanChunk;
  index: number;
}

export class TraceStore {
  readonly chunks: SpanChunk[] = [];
  readonly names = new Interner();
  readonly services = new Interner();
  readonly groups: SpanGroup[] = [];
  private readonly groupIds = new Map<string, number>();
  private readonly byKey = new Map<string, TraceEntry>();
  private lastTrace: TraceEntry | undefined;
  private nextId = 0;
  spanCount = 0;
  evictedSpans = 0;
  evictedTraces = 0;
  /** Counts every add, eviction and clear: answers built from the store are good while it stands still. */
  changes = 0;
  private groupBytes = 0;
  private readonly spare = new SpareChunkBuffer(CHUNK_BYTES);
  observer: TraceStoreObserver | undefined;

  get traceCount(): number {
    return this.byKey.size;
  }

  get memoryBytes(): number {
    let bytes = this.names.memoryBytes + this.services.memoryBytes + this.groupBytes + this.spare.memoryBytes(this.chunks.length);
    for (const c of this.chunks) bytes += c.memoryBytes;
    // Trace entries, as measured on the heap: the object, its key, map entry, service list
    // (at most 440), and its span-id list with growth slack (24 a span).
    return bytes + this.byKey.size * 440 + this.spanCount * 24;
  }

  /** Arrival time (ms) of the oldest data held, or Infinity when empty. */
  get oldestReceivedAt(): number {
    return this.chunks.length ? this.chunks[0].receivedAt : Infinity;
  }

  group(resource: Resource, resourceSchemaUrl: string, scope: InstrumentationScope, scopeSchemaUrl: string, resourceKey: string, scopeKey: string): number {
    const key = resourceKey + '\u0000' + scopeKey;
    let id = this.groupIds.get(key);
    if (id === undefined) {
      id = this.groups.length;
      const serviceId = this.services.id(serviceNameOf(resource));
      this.groups.push({ id, resource, resourceSchemaUrl, scope, scopeSchemaUrl, resourceKey, serviceId });
      this.groupIds.set(key, id);
      this.groupBytes += key.length * 3 + 400;
    }
    return id;
  }

  findGroup(resourceKey: string, scopeKey: string): number | undefined {
    return this.groupIds.get(resourceKey + '\u0000' + scopeKey);
  }

  /** Stores a span; `hashes[hashFrom, hashTo)` are its attribute hashes. */
  add(groupId: number, src: Buffer, start: number, end: number, f: SpanFacts, hashes: Uint32Array, hashFrom: number, hashTo: number): TraceEntry {
    const chunk = this.chunkFor(end - start);
    const offset = chunk.used;
    const i = chunk.append(src, start, end);
    for (let h = hashFrom; h < hashTo; h++) bloomAdd(chunk.bloom, offset, hashes[h]);
    chunk.startLo[i] = f.startLo;
    chunk.startHi[i] = f.startHi;
    chunk.durationNs[i] = f.durationNs;
    chunk.nameId[i] = this.names.id(f.name);
    chunk.group[i] = groupId;
    chunk.bits[i] = (f.kind & SpanBits.KindMask) | ((f.statusCode & 3) << SpanBits.StatusShift) | (f.hasParent ? SpanBits.HasParent : 0) | f.marks;
    const id = chunk.firstId + i;
    this.spanCount++;
    this.changes++;

    // A trace's spans mostly arrive one after another: the last one's entry is checked first.
    let trace = this.lastTrace;
    if (trace === undefined || trace.key !== f.traceKey || trace.evicted) {
      trace = this.byKey.get(f.traceKey);
      if (trace === undefined) {
        trace = new TraceEntry(f.traceKey);
        this.byKey.set(f.traceKey, trace);
      }
      this.lastTrace = trace;
    }
    chunk.traces.push(trace);
    trace.spans.push(id);
    const startNs = f.startHi * 4294967296 + f.startLo;
    if (startNs < trace.startNs) {
      trace.startNs = startNs;
      trace.firstId = id;
    }
    const endNs = startNs + f.durationNs;
    if (endNs > trace.endNs) trace.endNs = endNs;
    if (startNs < chunk.minStartNs) chunk.minStartNs = startNs;
    if (endNs > chunk.maxEndNs) chunk.maxEndNs = endNs;
    if (!f.hasParent && trace.rootId < 0) trace.rootId = id;
    this.observer?.spanStored(chunk, i, trace, f);
    if (f.statusCode === 2) trace.errorCount++;
    const serviceId = this.groups[groupId].serviceId;
    if (!trace.services.includes(serviceId)) trace.services.push(serviceId);
    return trace;
  }

  get(key: string): TraceEntry | undefined {
    return this.byKey.get(key);
  }

  locate(id: number): SpanRef {
    const chunk = chunkHolding(this.chunks, id)!;
    return { chunk, index: id - chunk.firstId };
  }

  /** Drops the oldest chunk and every trace with a span in it; returns bytes freed. */
  evictOldest(): number {
    const chunk = this.chunks[0];
    if (!chunk) return 0;
    this.changes++;
    for (const trace of chunk.traces) {
      if (trace.evicted) continue;
      this.observer?.traceEvicted(trace);
      trace.evicted = true;
      this.byKey.delete(trace.key);
      this.evictedTraces++;
      this.evictedSpans += trace.spans.length;
      this.spanCount -= trace.spans.length;
    }
    this.chunks.shift();
    this.spare.evicted(chunk.pins === 0 ? chunk.bytes : undefined);
    return chunk.memoryBytes;
  }

  clear(): void {
    this.changes++;
    this.chunks.length = 0;
    this.spare.clear();
    this.lastTrace = undefined;
    this.byKey.clear();
    this.evictedSpans = 0;
    this.evictedTraces = 0;
    this.spanCount = 0;
    this.observer?.cleared();
  }

  private chunkFor(length: number): SpanChunk {
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk && chunk.fits(length)) return chunk;
    chunk?.seal();
    const size = Math.max(CHUNK_BYTES, length);
    chunk = new SpanChunk(this.nextId, this.spare.take(size));
    // A span is at least 28 bytes (its two ids), so a chunk holds far fewer than 2^22.
    this.nextId += 1 << 22;
    this.chunks.push(chunk);
    return chunk;
  }
}
