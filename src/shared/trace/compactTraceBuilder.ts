// Builds a compact trace from its spans in any order: sorts them by start time (a
// stable radix sort: ties keep arrival order), finds each parent's index by span id (an
// open-addressing table over the id's two 32-bit halves), and interns services and
// names. Nothing is allocated per span, so a million spans cost their columns only. The
// engine feeds it from stored span bytes; tests feed it from OTLP/JSON.

import type { CompactTrace } from '../../protocol/compactTrace.ts';
import { encodeCompactTrace, encodeStrings } from './codec.ts';

const TWO_32 = 4294967296;

export class CompactTraceBuilder {
  private n = 0;
  private startLo: Uint32Array;
  private startHi: Uint32Array;
  private duration: Float64Array;
  private service: Uint32Array;
  private name: Uint32Array;
  private kind: Uint8Array;
  private status: Uint8Array;
  private flags: Uint8Array;
  private ids: Uint8Array;
  private parents: Uint8Array;
  private hasParent: Uint8Array;
  private readonly strings = new Map<string, number>();

  constructor(private readonly traceId: string, capacity = 64) {
    const c = Math.max(1, capacity);
    this.startLo = new Uint32Array(c); this.startHi = new Uint32Array(c); this.duration = new Float64Array(c);
    this.service = new Uint32Array(c); this.name = new Uint32Array(c); this.kind = new Uint8Array(c);
    this.status = new Uint8Array(c); this.flags = new Uint8Array(c); this.ids = new Uint8Array(c * 8);
    this.parents = new Uint8Array(c * 8); this.hasParent = new Uint8Array(c);
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
    this.service[i] = service; this.name[i] = name; this.kind[i] = kind; this.status[i] = status; this.flags[i] = flags;
    this.ids.set(ids.subarray(idAt, idAt + 8), i * 8);
    if (parentAt >= 0) { this.parents.set(parents.subarray(parentAt, parentAt + 8), i * 8); this.hasParent[i] = 1; }
    this.n = i + 1;
  }

  build(): CompactTrace {
    const n = this.n;
    let baseLo = 0, baseHi = 0;
    for (let i = 0; i < n; i++) {
      if (i === 0 || this.startHi[i] < baseHi || (this.startHi[i] === baseHi && this.startLo[i] < baseLo)) { baseHi = this.startHi[i]; baseLo = this.startLo[i]; }
    }
    // Relative starts as two halves (they stay below 2^53), the keys of the sort.
    const relLo = new Uint32Array(n);
    const relHi = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const rel = (this.startHi[i] - baseHi) * TWO_32 + (this.startLo[i] - baseLo);
      relLo[i] = rel % TWO_32;
      relHi[i] = Math.floor(rel / TWO_32);
    }
    const order = radixOrder(relLo, relHi);
    const t = {
      start: new Float64Array(n), duration: new Float64Array(n), parent: new Int32Array(n),
      service: new Uint32Array(n), name: new Uint32Array(n), kind: new Uint8Array(n), status: new Uint8Array(n),
      flags: new Uint8Array(n), spanIds: new Uint8Array(n * 8),
    };
    for (let i = 0; i < n; i++) {
      const s = order[i];
      t.start[i] = relHi[s] * TWO_32 + relLo[s];
      t.duration[i] = this.duration[s];
      t.service[i] = this.service[s];
      t.name[i] = this.name[s];
      t.kind[i] = this.kind[s];
      t.status[i] = this.status[s];
      t.flags[i] = this.flags[s];
      t.spanIds.set(this.ids.subarray(s * 8, s * 8 + 8), i * 8);
    }
    const table = new IdTable(t.spanIds, n);
    for (let i = 0; i < n; i++) {
      const s = order[i];
      const p = this.hasParent[s] ? table.find(this.parents, s * 8) : -1;
      t.parent[i] = p === i ? -1 : p;
    }
    const values = [...this.strings.keys()];
    return { traceId: this.traceId, baseLo, baseHi, count: n, ...t, strings: { size: values.length, get: (k: number) => values[k] } };
  }

  encode(): Uint8Array {
    const trace = this.build();
    return encodeCompactTrace(trace, encodeStrings([...this.strings.keys()]));
  }

  private grow(): void {
    const c = this.startLo.length * 2;
    const g = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.startLo = g(this.startLo, c); this.startHi = g(this.startHi, c); this.duration = g(this.duration, c);
    this.service = g(this.service, c); this.name = g(this.name, c); this.kind = g(this.kind, c);
    this.status = g(this.status, c); this.flags = g(this.flags, c); this.ids = g(this.ids, c * 8);
    this.parents = g(this.parents, c * 8); this.hasParent = g(this.hasParent, c);
  }
}

/** Indexes in ascending (hi, lo) order, stable: LSD radix sort on 16-bit digits. */
function radixOrder(lo: Uint32Array, hi: Uint32Array): Uint32Array {
  const n = lo.length;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  const digit = [(i: number) => lo[i] & 0xffff, (i: number) => lo[i] >>> 16, (i: number) => hi[i] & 0xffff, (i: number) => hi[i] >>> 16];
  for (const d of digit) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[d(i) + 1]++;
    // A digit that is the same everywhere moves nothing.
    if (n && counts[d(0) + 1] === n) continue;
    for (let k = 1; k < 65537; k++) counts[k] += counts[k - 1];
    for (let k = 0; k < n; k++) { const i = order[k]; next[counts[d(i)]++] = i; }
    [order, next] = [next, order];
  }
  return order;
}

/** Span index by 8-byte id; the first span holding an id keeps it. */
class IdTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly ids: Uint8Array, n: number) {
    let size = 16;
    while (size < n * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    for (let i = 0; i < n; i++) {
      let h = this.hash(ids, i * 8);
      while (this.slots[h] >= 0 && !same(ids, this.slots[h] * 8, ids, i * 8)) h = (h + 1) & this.mask;
      if (this.slots[h] < 0) this.slots[h] = i;
    }
  }

  find(bytes: Uint8Array, at: number): number {
    let h = this.hash(bytes, at);
    while (this.slots[h] >= 0) {
      if (same(this.ids, this.slots[h] * 8, bytes, at)) return this.slots[h];
      h = (h + 1) & this.mask;
    }
    return -1;
  }

  private hash(b: Uint8Array, at: number): number {
    const lo = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
    const hi = b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24);
    // Murmur3's finalizer: ids from counters differ only in a few bits.
    let h = lo ^ Math.imul(hi, 0x9e3779b1);
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) & this.mask;
  }
}

function same(a: Uint8Array, i: number, b: Uint8Array, j: number): boolean {
  for (let k = 0; k < 8; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}
