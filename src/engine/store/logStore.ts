// Log records kept as their protobuf bytes in chunks (logChunk.ts), with the columns and
// filters log queries need, and their patterns counted as they arrive. Evicted oldest
// chunk first; every evicted record is counted and taken off its pattern.

import type { InstrumentationScope, LogRecord, Resource } from '../../protocol/otlp.ts';
import { LogPatterns } from '../aggregates/logPatterns.ts';
import { decodeLogRecord } from '../otlp/protobuf/logs.ts';
import { bloomAdd } from './attributeBloom.ts';
import { Interner } from './interner.ts';
import { LOG_CHUNK_BYTES, LogChunk } from './logChunk.ts';
import { serviceNameOf } from './serviceName.ts';
import { SpareChunkBuffer } from './spareChunkBuffer.ts';
import { chunkHolding } from './chunkLookup.ts';

/** The resource and scope that a run of records shares. */
export interface LogGroup {
  readonly id: number;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly serviceId: number;
}

/** What the ingest scanner read of one record. */
export interface LogFacts {
  timeNs: number;
  severity: number;
  message: string;
  traceHash: number;
  spanHash: number;
}

export class LogStore {
  readonly chunks: LogChunk[] = [];
  readonly services = new Interner();
  readonly groups: LogGroup[] = [];
  readonly patterns = new LogPatterns();
  private readonly groupIds = new Map<string, number>();
  private groupBytes = 0;
  private nextId = 0;
  count = 0;
  evicted = 0;
  /**
   * With the disk tier on: told of a chunk about to be evicted, it marks (1) the records a
   * disk segment still holds, which stay counted in their patterns until it drops them.
   */
  keepEvicted: ((chunk: LogChunk) => Uint8Array | undefined) | undefined;

  private readonly spare: SpareChunkBuffer;

  /** `chunkBytes`: smaller chunks for small memory budgets, so eviction stays fine-grained. */
  constructor(private readonly chunkBytes = LOG_CHUNK_BYTES) {
    this.spare = new SpareChunkBuffer(chunkBytes);
  }

  get memoryBytes(): number {
    let bytes = this.services.memoryBytes + this.groupBytes + this.patterns.memoryBytes + this.spare.memoryBytes(this.chunks.length);
    for (const c of this.chunks) bytes += c.memoryBytes;
    return bytes;
  }

  /** Arrival time (ms) of the oldest record held, or Infinity when empty. */
  get oldestReceivedAt(): number {
    return this.chunks.length ? this.chunks[0].receivedAt : Infinity;
  }

  group(resource: Resource, scope: InstrumentationScope, key: string): number {
    let id = this.groupIds.get(key);
    if (id === undefined) {
      id = this.groups.length;
      this.groups.push({ id, resource, scope, serviceId: this.services.id(serviceNameOf(resource)) });
      this.groupIds.set(key, id);
      this.groupBytes += key.length * 3 + 400;
    }
    return id;
  }

  findGroup(key: string): number | undefined {
    return this.groupIds.get(key);
  }

  /** Stores a record from `src[start, end)`; `hashes[from, to)` are its attribute hashes. */
  add(groupId: number, src: Buffer, start: number, end: number, f: LogFacts, hashes: Uint32Array, from: number, to: number): void {
    const chunk = this.chunkFor(end - start);
    const offset = chunk.used;
    const i = chunk.append(src, start, end, f.timeNs);
    for (let h = from; h < to; h++) bloomAdd(chunk.bloom, offset, hashes[h]);
    chunk.severity[i] = f.severity;
    chunk.group[i] = groupId;
    chunk.traceHash[i] = f.traceHash;
    chunk.spanHash[i] = f.spanHash;
    chunk.pattern[i] = this.patterns.add(this.groups[groupId].serviceId, f.message, f.severity, f.timeNs, chunk.firstId + i);
    this.count++;
  }

  decode(chunk: LogChunk, i: number): LogRecord {
    return decodeLogRecord(chunk.bytes, chunk.recordStart(i), chunk.ends[i]);
  }

  /** The chunk and index of a record by its store id, or undefined once evicted. */
  locate(id: number): { chunk: LogChunk; index: number } | undefined {
    const chunk = chunkHolding(this.chunks, id);
    if (!chunk || id < chunk.firstId || id >= chunk.firstId + chunk.count) return undefined;
    return { chunk, index: id - chunk.firstId };
  }

  /** Drops the oldest chunk; returns the bytes freed. */
  evictOldest(): number {
    const chunk = this.chunks.shift();
    if (!chunk) return 0;
    if (!this.chunks.length) this.nextId = chunk.firstId + chunk.count;
    const kept = this.keepEvicted?.(chunk);
    for (let i = 0; i < chunk.count; i++) if (!kept?.[i]) this.patterns.remove(chunk.pattern[i], chunk.severity[i], chunk.timeNs[i]);
    this.count -= chunk.count;
    this.evicted += chunk.count;
    // Nothing reads a log chunk across an await: its bytes are free once `keepEvicted` returns.
    this.spare.evicted(chunk.bytes);
    return chunk.memoryBytes;
  }

  clear(): void {
    this.chunks.length = 0;
    this.spare.clear();
    this.patterns.clear();
    this.count = 0;
    this.evicted = 0;
  }

  private chunkFor(length: number): LogChunk {
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk && chunk.fits(length)) return chunk;
    chunk?.seal();
    // Ids run on from chunk to chunk, and on past evicted ones.
    if (chunk) this.nextId = chunk.firstId + chunk.count;
    chunk = new LogChunk(this.nextId, this.spare.take(Math.max(this.chunkBytes, length)));
    this.chunks.push(chunk);
    return chunk;
  }
}
