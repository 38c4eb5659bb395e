// Builds a compact trace from its spans in any order: sorts them by start time (a
// stable radix sort: ties keep arrival order), finds each parent's index by span id (a
// `SpanIdTable`), and interns services and names. Nothing is allocated per span, and the sorted columns are written straight
// into the bytes that are sent, so a million spans cost their columns only. The engine
// feeds it from stored span bytes; tests feed it from OTLP/JSON.

import type { CompactTrace } from '../../protocol/compactTrace.ts';
import { decodeCompactTrace, encodeStrings, layoutCompactTrace } from './codec.ts';
import { idHalf, SpanIdTable } from './spanIdTable.ts';

const TWO_32 = 4294967296;

export class CompactTraceBuilder {
  private n = 0;
  private startLo: Uint32Array;
  private startHi: Uint32Array;
  private duration: Float64Array;
  private service: Uint32Array;
  private name: Uint32Array;
  /** kind, status and flags, one byte each, in one array. */
  private small: Uint8Array;
  /** Span id and parent id as 32-bit halves (`idHalf`): four per span. */
  private ids: Uint32Array;
  private readonly strings = new Map<string, number>();

  constructor(private readonly traceId: string, capacity = 64) {
    const c = Math.max(1, capacity);
    this.startLo = new Uint32Array(c); this.startHi = new Uint32Array(c); this.duration = new Float64Array(c);
    this.service = new Uint32Array(c); this.name = new Uint32Array(c); this.small = new Uint8Array(c * 4);
    this.ids = new Uint32Array(c * 4);
  }

  /** The string table index of `s`. */
  string(s: string): number {
    let id = this.strings.get(s);
    if (id === undefined) this.strings.set(s, id = this.strings.size);
    return id;
  }

  /**
   * Adds a span: its 8-byte id at `ids[idAt]`, its parent's at `parents[parentAt]` (or
   * `parentAt` < 0 for none); `service` and `name` are indexes from `string()`.
   */
  add(ids: Uint8Array, idAt: number, parents: Uint8Array, parentAt: number, startLo: number, startHi: number, durationNs: number,
    service: number, name: number, kind: number, status: number, flags: number): void {
    const i = this.n;
    if (i === this.startLo.length) this.grow();
    this.startLo[i] = startLo; this.startHi[i] = startHi; this.duration[i] = durationNs;
    this.service[i] = service; this.name[i] = name;
    const s = i * 4;
    this.small[s] = kind; this.small[s + 1] = status; this.small[s + 2] = flags; this.small[s + 3] = parentAt >= 0 ? 1 : 0;
    this.ids[s] = idAt >= 0 ? idHalf(ids, idAt) : 0;
    this.ids[s + 1] = idAt >= 0 ? idHalf(ids, idAt + 4) : 0;
    this.ids[s + 2] = parentAt >= 0 ? idHalf(parents, parentAt) : 0;
    this.ids[s + 3] = parentAt >= 0 ? idHalf(parents, parentAt + 4) : 0;
    this.n = i + 1;
  }

  /** The compact trace's bytes (`codec.ts`). */
  encode(): Uint8Array {
    const n = this.n;
    const { startLo, startHi } = this;
    let baseLo = 0, baseHi = 0;
    for (let i = 0; i < n; i++) {
      if (i === 0 || startHi[i] < baseHi || (startHi[i] === baseHi && startLo[i] < baseLo)) { baseHi = startHi[i]; baseLo = startLo[i]; }
    }
    // Relative starts as two halves (they stay below 2^53), the keys of the sort.
    const relLo = new Uint32Array(n);
    const relHi = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const rel = (startHi[i] - baseHi) * TWO_32 + (startLo[i] - baseLo);
      relLo[i] = rel % TWO_32;
      relHi[i] = Math.floor(rel / TWO_32);
    }
    const order = radixOrder(relLo, relHi);
    const out = layoutCompactTrace(this.traceId, n, baseLo, baseHi, encodeStrings([...this.strings.keys()]));
    const { small, ids } = this;
    for (let i = 0; i < n; i++) {
      const s = order[i];
      out.start[i] = relHi[s] * TWO_32 + relLo[s];
      out.duration[i] = this.duration[s];
      out.service[i] = this.service[s];
      out.name[i] = this.name[s];
      out.kind[i] = small[s * 4];
      out.status[i] = small[s * 4 + 1];
      out.flags[i] = small[s * 4 + 2];
      const hi = ids[s * 4], lo = ids[s * 4 + 1];
      const b = i * 8;
      out.spanIds[b] = hi >>> 24; out.spanIds[b + 1] = hi >>> 16; out.spanIds[b + 2] = hi >>> 8; out.spanIds[b + 3] = hi;
      out.spanIds[b + 4] = lo >>> 24; out.spanIds[b + 5] = lo >>> 16; out.spanIds[b + 6] = lo >>> 8; out.spanIds[b + 7] = lo;
    }
    const table = new SpanIdTable(out.spanIds, n);
    for (let i = 0; i < n; i++) {
      const s = order[i];
      const p = small[s * 4 + 3] ? table.find(ids[s * 4 + 2], ids[s * 4 + 3]) : -1;
      out.parent[i] = p === i ? -1 : p;
    }
    return out.bytes;
  }

  /** The compact trace as the page reads it (tests). */
  build(): CompactTrace {
    return decodeCompactTrace(this.encode());
  }

  private grow(): void {
    const c = this.startLo.length * 2;
    const g = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.startLo = g(this.startLo, c); this.startHi = g(this.startHi, c); this.duration = g(this.duration, c);
    this.service = g(this.service, c); this.name = g(this.name, c); this.small = g(this.small, c * 4); this.ids = g(this.ids, c * 4);
  }
}

/** Indexes in ascending (hi, lo) order, stable: LSD radix sort on 16-bit digits. */
function radixOrder(lo: Uint32Array, hi: Uint32Array): Uint32Array {
  const n = lo.length;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? lo : hi;
    const shift = pass % 2 ? 16 : 0;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((key[i] >>> shift) & 0xffff) + 1]++;
    // A digit that is the same everywhere moves nothing.
    if (n === 0 || counts[((key[0] >>> shift) & 0xffff) + 1] === n) continue;
    for (let k = 1; k < 65537; k++) counts[k] += counts[k - 1];
    for (let k = 0; k < n; k++) { const i = order[k]; next[counts[(key[i] >>> shift) & 0xffff]++] = i; }
    [order, next] = [next, order];
  }
  return order;
}
