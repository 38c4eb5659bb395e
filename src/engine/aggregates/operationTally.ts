// Per-operation statistics (`GET /api/operations`, the Services tree): call count,
// errors, latency percentiles and newest start per service and span name, over every
// retained span, kept current at ingest and eviction from the span columns alone.

import type { OperationStats } from '../../protocol/insights.ts';
import { uint64ToDecimal } from '../otlp/protobuf/wire.ts';
import { SpanBits, type SpanChunk } from '../store/spanChunk.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { LatencySketch } from '../signals/latencySketch.ts';
import { sortByCountThenName } from './operationOrder.ts';
import type { ColdOperation, ColdSpans } from './coldSpans.ts';

const TWO_32 = 4294967296;

interface Operation {
  serviceId: number;
  nameId: number;
  errors: number;
  latency: LatencySketch;
  /** Newest start (ns as a double, for comparing) and its exact halves. */
  lastNs: number;
  lastLo: number;
  lastHi: number;
  /** The span that started last was evicted: `last*` is recomputed when next asked for. */
  stale: boolean;
}

export class OperationTally {
  /** By service id, then name id. */
  private readonly ops: (Operation | undefined)[][] = [];

  constructor(private readonly store: TraceStore) {}

  add(chunk: SpanChunk, i: number): void {
    const serviceId = this.store.groups[chunk.group[i]].serviceId;
    const nameId = chunk.nameId[i];
    const byName = this.ops[serviceId] ??= [];
    let op = byName[nameId];
    if (!op) byName[nameId] = op = { serviceId, nameId, errors: 0, latency: new LatencySketch(), lastNs: -1, lastLo: 0, lastHi: 0, stale: false };
    op.latency.add(chunk.durationNs[i]);
    if (isError(chunk.bits[i])) op.errors++;
    const start = chunk.startNs(i);
    if (start > op.lastNs) {
      op.lastNs = start;
      op.lastLo = chunk.startLo[i];
      op.lastHi = chunk.startHi[i];
    }
  }

  remove(chunk: SpanChunk, i: number): void {
    const byName = this.ops[this.store.groups[chunk.group[i]].serviceId];
    const op = byName?.[chunk.nameId[i]];
    if (!op) return;
    op.latency.remove(chunk.durationNs[i]);
    if (isError(chunk.bits[i])) op.errors--;
    if (!op.latency.count) byName[chunk.nameId[i]] = undefined;
    else if (chunk.startNs(i) >= op.lastNs) op.stale = true;
  }

  clear(): void {
    this.ops.length = 0;
  }

  get memoryBytes(): number {
    let bytes = 0;
    for (const op of this.all()) bytes += 120 + op.latency.memoryBytes;
    return bytes;
  }

  private *all(): Iterable<Operation> {
    for (const byName of this.ops) for (const op of byName ?? []) if (op) yield op;
  }

  /** `cold`: the disk segments' shares of evicted spans (coldSpans.ts), oldest first, added to memory's figures. */
  query(service: string | undefined, cold: readonly Pick<ColdSpans, 'operations'>[] = []): OperationStats[] {
    const store = this.store;
    const serviceId = service === undefined ? -1 : store.services.find(service);
    if (serviceId === undefined && !cold.length) return [];
    const shown = serviceId === undefined ? [] : [...this.all()].filter((op) => serviceId < 0 || op.serviceId === serviceId);
    const stale = shown.filter((op) => op.stale);
    if (stale.length) this.refreshLast(stale);
    const rows = shown.map((op): Row => ({ service: store.services.values[op.serviceId], name: store.names.values[op.nameId], errors: op.errors, latency: op.latency, lastNs: op.lastNs, lastLo: op.lastLo, lastHi: op.lastHi }));
    return sortByCountThenName((cold.length ? withCold(rows, cold, service) : rows).map((op) => {
      const [p50, p95] = op.latency.quantiles([0.5, 0.95]);
      return {
        service: op.service,
        name: op.name,
        count: op.latency.count,
        errorCount: op.errors,
        p50Ms: Math.round(p50 / 1e3) / 1e3,
        p95Ms: Math.round(p95 / 1e3) / 1e3,
        lastSeen: uint64ToDecimal(op.lastLo, op.lastHi),
      };
    }));
  }

  /**
   * Finds the newest live start of each stale operation. Chunks are read newest first,
   * and a chunk whose spans all end before every stale operation's newest start so far
   * is skipped: most operations are found in the newest chunk, and the rest is a
   * comparison per chunk.
   */
  private refreshLast(stale: Operation[]): void {
    const byKey = new Map<number, Operation>();
    for (const op of stale) {
      op.lastNs = -1;
      byKey.set(op.serviceId * TWO_32 + op.nameId, op);
    }
    const groups = this.store.groups;
    const chunks = this.store.chunks;
    let floor = -1;
    for (let c = chunks.length - 1; c >= 0; c--) {
      const chunk = chunks[c];
      if (chunk.maxEndNs < floor) continue;
      for (let i = 0; i < chunk.count; i++) {
        if (chunk.traces[i].evicted) continue;
        const op = byKey.get(groups[chunk.group[i]].serviceId * TWO_32 + chunk.nameId[i]);
        if (!op) continue;
        const start = chunk.startNs(i);
        if (start > op.lastNs) { op.lastNs = start; op.lastLo = chunk.startLo[i]; op.lastHi = chunk.startHi[i]; }
      }
      floor = Infinity;
      for (const op of stale) if (op.lastNs < floor) floor = op.lastNs;
    }
    for (const op of stale) op.stale = false;
  }
}

/** One operation's figures, from memory or a disk segment's share. */
type Row = ColdOperation;

/** Memory's rows with the segments' shares added: each operation once, its sketch merged. */
function withCold(rows: Row[], cold: readonly Pick<ColdSpans, 'operations'>[], service: string | undefined): Row[] {
  const merged = new Map<string, Row>();
  const take = (op: Row) => {
    const key = `${op.service}\u0000${op.name}`;
    const sum = merged.get(key);
    if (!sum) {
      const latency = new LatencySketch();
      latency.merge(op.latency);
      merged.set(key, { ...op, latency });
      return;
    }
    sum.latency.merge(op.latency);
    sum.errors += op.errors;
    if (op.lastNs > sum.lastNs) { sum.lastNs = op.lastNs; sum.lastLo = op.lastLo; sum.lastHi = op.lastHi; }
  };
  for (const share of cold) for (const op of share.operations.values()) if (service === undefined || op.service === service) take(op);
  for (const op of rows) take(op);
  return [...merged.values()];
}

function isError(bits: number): boolean {
  return (bits & SpanBits.StatusMask) >> SpanBits.StatusShift === 2;
}
