// Exceptions (`GET /api/exceptions`, the Errors view and the Problems panel): span
// events named "exception" grouped by service, type and message, over every retained
// span. Each group counts occurrences (events recorded, on every span that records one)
// and the traces they occurred in; a failing request whose exception is recorded on
// three nested spans is three occurrences in one trace.

import type { ExceptionGroup } from '../../protocol/insights.ts';
import type { Span } from '../../protocol/otlp.ts';
import { plainAttributes } from '../../shared/plainValue.ts';
import { decodeSpan } from '../otlp/protobuf/traces.ts';
import type { SpanChunk } from '../store/spanChunk.ts';
import type { TraceEntry } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';
import type { ColdException, ColdSpans } from './coldSpans.ts';

/** A group's occurrences in one trace: how many, and the newest. */
interface InTrace {
  count: number;
  time: bigint;
  /** Global id of the span holding the newest occurrence. */
  spanId: number;
}

interface Group {
  service: string;
  type: string;
  message: string;
  count: number;
  traces: Map<TraceEntry, InTrace>;
  lastSeen: bigint;
  /** Where the newest occurrence is; undefined once it has been evicted (found again when asked). */
  latest: InTrace | undefined;
}

export class ExceptionTally {
  private readonly groups = new Map<string, Group>();
  /** The groups each trace contributes to, for taking them off when it is evicted. */
  private readonly byTrace = new Map<TraceEntry, Group[]>();

  constructor(private readonly store: TraceStore) {}

  add(chunk: SpanChunk, i: number, trace: TraceEntry, span: Span): void {
    const service = this.store.services.values[this.store.groups[chunk.group[i]].serviceId];
    const spanId = chunk.firstId + i;
    for (const { type, message, time } of exceptionEvents(span)) {
      const key = `${service}\u0000${type}\u0000${message}`;
      let group = this.groups.get(key);
      if (!group) this.groups.set(key, group = { service, type, message, count: 0, traces: new Map(), lastSeen: -1n, latest: undefined });
      let inTrace = group.traces.get(trace);
      if (!inTrace) {
        group.traces.set(trace, inTrace = { count: 0, time, spanId });
        const list = this.byTrace.get(trace);
        if (list) list.push(group);
        else this.byTrace.set(trace, [group]);
      }
      inTrace.count++;
      group.count++;
      if (time >= inTrace.time) { inTrace.time = time; inTrace.spanId = spanId; }
      if (time >= group.lastSeen) { group.lastSeen = time; group.latest = inTrace; }
    }
  }

  evicted(trace: TraceEntry): void {
    const list = this.byTrace.get(trace);
    if (!list) return;
    this.byTrace.delete(trace);
    for (const group of list) {
      const inTrace = group.traces.get(trace)!;
      group.traces.delete(trace);
      group.count -= inTrace.count;
      if (!group.traces.size) this.groups.delete(`${group.service}\u0000${group.type}\u0000${group.message}`);
      else if (group.latest === inTrace) group.latest = undefined;
    }
  }

  clear(): void {
    this.groups.clear();
    this.byTrace.clear();
  }

  get memoryBytes(): number {
    let bytes = this.byTrace.size * 80;
    for (const g of this.groups.values()) bytes += 200 + (g.type.length + g.message.length + g.service.length) * 2 + g.traces.size * 90;
    return bytes;
  }

  /**
   * Newest first; `service` narrows to one service's occurrences. `cold`: the disk
   * segments' shares of evicted spans (coldSpans.ts; summed, or oldest first), added to memory's.
   */
  query(service: string | undefined, max: number, cold: readonly Pick<ColdSpans, 'exceptions'>[] = []): ExceptionGroup[] {
    const merged = new Map<string, { memory: Group[]; cold: ColdException[] }>();
    const entry = (type: string, message: string) => {
      const key = `${type}\u0000${message}`;
      let parts = merged.get(key);
      if (!parts) merged.set(key, parts = { memory: [], cold: [] });
      return parts;
    };
    for (const share of cold) {
      for (const e of share.exceptions.values()) if (service === undefined || e.service === service) entry(e.type, e.message).cold.push(e);
    }
    for (const g of this.groups.values()) if (service === undefined || g.service === service) entry(g.type, g.message).memory.push(g);
    const out: ExceptionGroup[] = [];
    for (const parts of merged.values()) {
      for (const g of parts.memory) if (!g.latest) this.findLatest(g);
      // Shares are older than memory: on equal times a service's later part wins (as a
      // group's later occurrence does), across services the first listed.
      let newest: Group | ColdException | undefined;
      for (const part of [...parts.cold, ...parts.memory]) {
        if (!newest || part.lastSeen > newest.lastSeen || (part.lastSeen === newest.lastSeen && part.service === newest.service)) newest = part;
      }
      out.push({
        type: newest!.type,
        message: newest!.message,
        count: [...parts.cold, ...parts.memory].reduce((n, g) => n + g.count, 0),
        traceCount: traceCount(parts.memory, parts.cold),
        lastSeen: newest!.lastSeen.toString(),
        services: [...new Set([...parts.cold, ...parts.memory].map((g) => g.service))],
        latest: parts.memory.includes(newest as Group) ? this.describe(newest as Group) : (newest as ColdException).latest,
      });
    }
    const byTime = (a: ExceptionGroup, b: ExceptionGroup) => {
      const d = BigInt(b.lastSeen) - BigInt(a.lastSeen);
      return d > 0n ? 1 : d < 0n ? -1 : 0;
    };
    return out.sort(byTime).slice(0, max);
  }

  private findLatest(g: Group): void {
    g.lastSeen = -1n;
    for (const inTrace of g.traces.values()) {
      if (inTrace.time >= g.lastSeen) { g.lastSeen = inTrace.time; g.latest = inTrace; }
    }
  }

  private describe(g: Group): ExceptionGroup['latest'] {
    const { chunk, index } = this.store.locate(g.latest!.spanId);
    const span = decodeSpan(chunk.bytes, chunk.spanStart(index), chunk.ends[index]);
    const event = (span.events ?? []).filter((e) => e.name === 'exception').find((e) => {
      const a = plainAttributes(e.attributes);
      return String(a['exception.type'] ?? '') === g.type && String(a['exception.message'] ?? '') === g.message;
    });
    return {
      traceId: span.traceId ?? '',
      spanId: span.spanId ?? '',
      service: g.service,
      spanName: span.name ?? '',
      attributes: plainAttributes(event?.attributes),
      spanAttributes: plainAttributes(span.attributes),
    };
  }
}

/** The span's exception events: their attributes, type, message and time. */
export function* exceptionEvents(span: Span): Generator<{ attributes: Record<string, unknown>; type: string; message: string; time: bigint }> {
  for (const event of span.events ?? []) {
    if (event.name !== 'exception') continue;
    const attributes = plainAttributes(event.attributes);
    const type = String(attributes['exception.type'] ?? '');
    const message = String(attributes['exception.message'] ?? '');
    yield { attributes, type, message, time: BigInt(event.timeUnixNano ?? span.startTimeUnixNano ?? '0') };
  }
}

/** Traces with an occurrence in memory or in a share, each once (by trace id). */
function traceCount(memory: Group[], cold: ColdException[]): number {
  if (!cold.length && memory.length === 1) return memory[0].traces.size;
  if (!cold.length) return new Set(memory.flatMap((g) => [...g.traces.keys()])).size;
  const keys = new Set<string>();
  for (const e of cold) for (const key of e.traces.keys()) keys.add(key);
  for (const g of memory) for (const trace of g.traces.keys()) keys.add(trace.key);
  return keys.size;
}
