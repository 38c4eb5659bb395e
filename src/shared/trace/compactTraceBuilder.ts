// Builds a compact trace from its spans in any order: sorts them by start time, finds
// each parent's index by span id, and interns services and names. The engine feeds it
// from stored span bytes; tests feed it from OTLP/JSON.

import type { CompactTrace, StringTable } from '../../protocol/compactTrace.ts';
import { encodeCompactTrace, encodeStrings } from './codec.ts';

const TWO_32 = 4294967296;

export interface BuiltSpan {
  /** The 8 span-id bytes as a latin1 string (one char per byte). */
  spanKey: string;
  /** The parent's 8 bytes as latin1, or '' for none. */
  parentKey: string;
  startLo: number;
  startHi: number;
  durationNs: number;
  service: string;
  name: string;
  kind: number;
  status: number;
  flags: number;
}

export class CompactTraceBuilder {
  private readonly spans: BuiltSpan[] = [];

  constructor(private readonly traceId: string) {}

  /** Takes `span` as is (callers pass a fresh object per span). */
  add(span: BuiltSpan): void {
    this.spans.push(span);
  }

  build(): CompactTrace {
    const spans = this.spans;
    const n = spans.length;
    let baseLo = 0, baseHi = 0;
    if (n) { baseLo = spans[0].startLo; baseHi = spans[0].startHi; }
    for (const s of spans) {
      if (s.startHi < baseHi || (s.startHi === baseHi && s.startLo < baseLo)) { baseHi = s.startHi; baseLo = s.startLo; }
    }
    const rel = new Float64Array(n);
    for (let i = 0; i < n; i++) rel[i] = (spans[i].startHi - baseHi) * TWO_32 + (spans[i].startLo - baseLo);
    // Start order, ties in arrival order: then every child list is in start order too.
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => rel[a] - rel[b] || a - b);

    const strings = new Map<string, number>();
    const intern = (s: string) => {
      let id = strings.get(s);
      if (id === undefined) strings.set(s, id = strings.size);
      return id;
    };
    const t = {
      start: new Float64Array(n), duration: new Float64Array(n), parent: new Int32Array(n),
      service: new Uint32Array(n), name: new Uint32Array(n), kind: new Uint8Array(n), status: new Uint8Array(n),
      flags: new Uint8Array(n), spanIds: new Uint8Array(n * 8),
    };
    const indexOf = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const s = spans[order[i]];
      t.start[i] = rel[order[i]];
      t.duration[i] = s.durationNs;
      t.service[i] = intern(s.service);
      t.name[i] = intern(s.name);
      t.kind[i] = s.kind;
      t.status[i] = s.status;
      t.flags[i] = s.flags;
      for (let b = 0; b < 8; b++) t.spanIds[i * 8 + b] = s.spanKey.charCodeAt(b) & 0xff;
      // A duplicated span id keeps its first (earliest) span.
      if (!indexOf.has(s.spanKey)) indexOf.set(s.spanKey, i);
    }
    for (let i = 0; i < n; i++) {
      const key = spans[order[i]].parentKey;
      const p = key ? indexOf.get(key) : undefined;
      t.parent[i] = p === undefined || p === i ? -1 : p;
    }
    return { traceId: this.traceId, baseLo, baseHi, count: n, ...t, strings: new ArrayStrings([...strings.keys()]) };
  }

  encode(): Uint8Array {
    const trace = this.build();
    return encodeCompactTrace(trace, encodeStrings((trace.strings as ArrayStrings).values));
  }
}

class ArrayStrings implements StringTable {
  constructor(readonly values: string[]) {}
  get size(): number { return this.values.length; }
  get(index: number): string { return this.values[index]; }
}
