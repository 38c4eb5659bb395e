// A trace as the waterfall needs it, in columns: the compact trace's arrays (spans in
// start order) plus the tree built from them — depth, children in start order (one
// flat array with offsets), self time. Built without recursion, so a million-span trace
// or a hostile 100,000-deep parent chain cannot overflow the stack, and no span is ever
// dropped: a span whose parent is missing (or that sits in a parent cycle) is placed
// under the root and marked.

import { SpanFlag, type CompactTrace } from '../../../src/protocol/compactTrace.ts';
import { SpanIdTable } from '../../../src/shared/trace/spanIdTable.ts';

export interface TraceModel {
  readonly traceId: string;
  readonly count: number;
  readonly columns: CompactTrace;
  /** Nanoseconds from the trace's start. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Parent in the tree (orphans hang under the root), or -1. */
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  /** Children of span i: `children[childStart[i] .. childStart[i + 1])`, by start time. */
  readonly childStart: Int32Array;
  readonly children: Int32Array;
  /** 1 when its parent id names a span that is not in the trace (or a cycle was cut). */
  readonly parentMissing: Uint8Array;
  /** The time no child covers. */
  readonly selfNs: Float64Array;
  /** Top-level spans, by start time. */
  readonly roots: Int32Array;
  /** Absolute start, Unix nanoseconds. */
  readonly startNs: bigint;
  readonly durationNs: number;
  /** In order of first appearance (by start time). */
  readonly services: string[];
  /** Per span: its index in `services`. */
  readonly serviceIndex: Uint32Array;
  readonly errorCount: number;
}

export function buildTraceModel(c: CompactTrace): TraceModel {
  const n = c.count;
  const start = c.start;
  const end = new Float64Array(n);
  let durationNs = 0;
  for (let i = 0; i < n; i++) {
    end[i] = start[i] + c.duration[i];
    if (end[i] > durationNs) durationNs = end[i];
  }
  const parent = Int32Array.from(c.parent);
  const parentMissing = new Uint8Array(n);
  // Spans are in start order, so a parent almost always comes before its child: a
  // parent chain that only ever steps back cannot close a cycle, and depths follow in
  // one pass. Only a trace with a parent after its child (clock skew) needs the climb.
  let backwards = false;
  for (let i = 0; i < n; i++) {
    if (parent[i] < 0 && c.flags[i] & SpanFlag.HasParentId) parentMissing[i] = 1;
    if (parent[i] >= i) backwards = true;
  }
  if (backwards) cutCycles(parent, parentMissing);

  // The host of orphans: the first span without a parent id. With none, orphans are the top level.
  let host = -1;
  for (let i = 0; i < n && host < 0; i++) if (parent[i] < 0 && !parentMissing[i]) host = i;
  if (host >= 0) for (let i = 0; i < n; i++) if (parentMissing[i]) { parent[i] = host; if (host > i) backwards = true; }

  // Children lists in index (= start) order, counted then filled.
  const childStart = new Int32Array(n + 1);
  let rootCount = 0;
  for (let i = 0; i < n; i++) if (parent[i] >= 0) childStart[parent[i] + 1]++; else rootCount++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const children = new Int32Array(childStart[n]);
  const roots = new Int32Array(rootCount);
  for (let i = 0, r = 0; i < n; i++) {
    if (parent[i] >= 0) children[fill[parent[i]]++] = i;
    else roots[r++] = i;
  }

  const depth = new Int32Array(n);
  if (!backwards) {
    for (let i = 0; i < n; i++) if (parent[i] >= 0) depth[i] = depth[parent[i]] + 1;
  } else {
    const stack = new Int32Array(n);
    let top = 0;
    for (let r = roots.length - 1; r >= 0; r--) stack[top++] = roots[r];
    while (top) {
      const i = stack[--top];
      for (let k = childStart[i]; k < childStart[i + 1]; k++) { depth[children[k]] = depth[i] + 1; stack[top++] = children[k]; }
    }
  }

  // Services by string index: a trace has a handful, its spans a million.
  const services: string[] = [];
  const serviceSlot = new Int32Array(c.strings.size).fill(-1);
  const serviceIndex = new Uint32Array(n);
  let errorCount = 0;
  for (let i = 0; i < n; i++) {
    let slot = serviceSlot[c.service[i]];
    if (slot < 0) {
      slot = serviceSlot[c.service[i]] = services.length;
      services.push(c.strings.get(c.service[i]));
    }
    serviceIndex[i] = slot;
    if (c.status[i] === 2) errorCount++;
  }
  const startNs = (BigInt(c.baseHi) << 32n) + BigInt(c.baseLo);
  let selfNs: Float64Array | undefined;
  return {
    traceId: c.traceId, count: n, columns: c, start, end, parent, depth, childStart, children, parentMissing,
    roots, startNs, durationNs, services, serviceIndex, errorCount,
    // Only the details pane reads it, span by span: computed for all on first use, not before the first screen.
    get selfNs() {
      if (!selfNs) {
        selfNs = new Float64Array(n);
        for (let i = 0; i < n; i++) selfNs[i] = selfTime(start, end, children, childStart[i], childStart[i + 1], i);
      }
      return selfNs;
    },
  };
}

/** Cuts every parent cycle at one span, which becomes an orphan. */
function cutCycles(parent: Int32Array, parentMissing: Uint8Array): void {
  const n = parent.length;
  // 0 unvisited, 1 on the current climb, 2 known to reach a top-level span.
  const state = new Uint8Array(n);
  const climb = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let cur = i;
    let length = 0;
    while (cur >= 0 && state[cur] === 0) { state[cur] = 1; climb[length++] = cur; cur = parent[cur]; }
    if (cur >= 0 && state[cur] === 1) {
      // Climbed back onto this climb: a cycle through `cur`.
      parent[cur] = -1;
      parentMissing[cur] = 1;
    }
    for (let k = 0; k < length; k++) state[climb[k]] = 2;
  }
}

/** Duration minus the union of its children's intervals (clipped to its own). */
function selfTime(start: Float64Array, end: Float64Array, children: Int32Array, from: number, to: number, i: number): number {
  let covered = 0;
  let runStart = -1;
  let runEnd = -1;
  for (let k = from; k < to; k++) {
    const c = children[k];
    const s = Math.max(start[c], start[i]);
    const e = Math.min(end[c], end[i]);
    if (e <= s) continue;
    if (s > runEnd) {
      covered += runEnd - runStart;
      runStart = s;
      runEnd = e;
    } else if (e > runEnd) runEnd = e;
  }
  covered += runEnd - runStart;
  return end[i] - start[i] - covered;
}

export function childCount(model: TraceModel, i: number): number {
  return model.childStart[i + 1] - model.childStart[i];
}

export function spanName(model: TraceModel, i: number): string {
  return model.columns.strings.get(model.columns.name[i]);
}

export function spanService(model: TraceModel, i: number): string {
  return model.services[model.serviceIndex[i]];
}

export function isError(model: TraceModel, i: number): boolean {
  return model.columns.status[i] === 2;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function spanIdOf(model: TraceModel, i: number): string {
  const ids = model.columns.spanIds;
  let s = '';
  for (let b = i * 8; b < i * 8 + 8; b++) s += HEX[ids[b]];
  return s;
}

const lookups = new WeakMap<TraceModel, SpanIdTable>();

/** The span with this id (the first, if the id repeats), or -1; the index is built once. */
export function indexOfSpan(model: TraceModel, spanId: string): number {
  let table = lookups.get(model);
  if (!table) lookups.set(model, table = new SpanIdTable(model.columns.spanIds, model.count));
  return table.findHex(spanId);
}

/** The rows shown: depth-first, skipping the children of collapsed spans. */
export function visibleRows(model: TraceModel, collapsed: Uint8Array): Int32Array {
  const out = new Int32Array(model.count);
  const { childStart, children } = model;
  let count = 0;
  // Every span is pushed at most once, so the stack fits in `count` entries.
  const stack = new Int32Array(model.count);
  let top = 0;
  for (let i = model.roots.length - 1; i >= 0; i--) stack[top++] = model.roots[i];
  while (top) {
    const i = stack[--top];
    out[count++] = i;
    if (collapsed[i]) continue;
    for (let k = childStart[i + 1] - 1; k >= childStart[i]; k--) stack[top++] = children[k];
  }
  return out.subarray(0, count);
}
