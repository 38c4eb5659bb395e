// A trace as the waterfall needs it: spans in a tree ordered by start time, times in
// nanoseconds from the trace's start. Built without recursion, so a 100,000-span trace
// or a hostile 100,000-deep parent chain cannot overflow the stack, and no span is ever
// dropped: a span whose parent is missing (or that sits in a parent cycle) is placed
// under the root and marked.

import type { KeyValue, InstrumentationScope, Span, TracesData } from '../../../src/protocol/otlp.ts';

export interface SpanNode {
  readonly index: number;
  readonly span: Span;
  readonly spanId: string;
  readonly name: string;
  readonly service: string;
  readonly resource: KeyValue[];
  readonly scope: InstrumentationScope;
  /** Nanoseconds from the trace's start. */
  readonly start: number;
  readonly end: number;
  readonly isError: boolean;
  parent: number;
  depth: number;
  /** By start time. */
  children: number[];
  /** Its parent id names a span that is not in the trace. */
  parentMissing: boolean;
  /** The time no child covers. */
  selfNs: number;
}

export interface TraceModel {
  readonly traceId: string;
  readonly nodes: SpanNode[];
  /** Top-level spans, by start time. */
  readonly roots: number[];
  /** Absolute start, Unix nanoseconds. */
  readonly startNs: bigint;
  readonly durationNs: number;
  /** In order of first appearance. */
  readonly services: string[];
}

export function buildTraceModel(data: TracesData): TraceModel {
  const flat: { span: Span; service: string; resource: KeyValue[]; scope: InstrumentationScope }[] = [];
  for (const rs of data.resourceSpans ?? []) {
    const resource = rs.resource?.attributes ?? [];
    const service = serviceName(resource);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) flat.push({ span, service, resource, scope: ss.scope ?? {} });
    }
  }
  let base = -1n;
  for (const f of flat) {
    const s = toBigInt(f.span.startTimeUnixNano);
    if (base < 0n || s < base) base = s;
  }
  if (base < 0n) base = 0n;

  const services: string[] = [];
  const nodes: SpanNode[] = flat.map((f, index) => {
    const start = Number(toBigInt(f.span.startTimeUnixNano) - base);
    const end = Math.max(start, Number(toBigInt(f.span.endTimeUnixNano) - base));
    if (!services.includes(f.service)) services.push(f.service);
    return {
      index, span: f.span, spanId: f.span.spanId ?? '', name: f.span.name ?? '', service: f.service,
      resource: f.resource, scope: f.scope, start, end, isError: f.span.status?.code === 2,
      parent: -1, depth: 0, children: [], parentMissing: false, selfNs: end - start,
    };
  });
  const roots = linkTree(nodes);
  let durationNs = 0;
  for (const n of nodes) if (n.end > durationNs) durationNs = n.end;
  for (const n of nodes) n.selfNs = selfTime(nodes, n);
  return { traceId: flat[0]?.span.traceId ?? '', nodes, roots, startNs: base, durationNs, services };
}

function linkTree(nodes: SpanNode[]): number[] {
  const byId = new Map<string, number>();
  for (const n of nodes) if (n.spanId && !byId.has(n.spanId)) byId.set(n.spanId, n.index);
  const byStart = (a: number, b: number) => nodes[a].start - nodes[b].start || a - b;
  const roots: number[] = [];
  const orphans: number[] = [];
  for (const n of nodes) {
    const parentId = n.span.parentSpanId;
    if (!parentId) { roots.push(n.index); continue; }
    const parent = byId.get(parentId);
    if (parent === undefined || parent === n.index) orphans.push(n.index);
    else { n.parent = parent; nodes[parent].children.push(n.index); }
  }
  roots.sort(byStart);
  for (const n of nodes) if (n.children.length > 1) n.children.sort(byStart);

  // Depth-first from the given spans; the links form a forest here, so this ends.
  const placed = new Uint8Array(nodes.length);
  const place = (from: number[], depth: number) => {
    const stack: number[] = [];
    for (const i of from) { nodes[i].depth = depth; stack.push(i); }
    while (stack.length) {
      const n = nodes[stack.pop()!];
      placed[n.index] = 1;
      for (const c of n.children) { nodes[c].depth = n.depth + 1; stack.push(c); }
    }
  };
  place(roots, 0);
  place(orphans, 0);
  // What is still not placed hangs off a parent cycle: climb to the cycle and cut it
  // there, making that span an orphan.
  for (const n of nodes) {
    if (placed[n.index]) continue;
    const climbed = new Set<number>();
    let cur = n.index;
    while (!climbed.has(cur)) { climbed.add(cur); cur = nodes[cur].parent; }
    const parent = nodes[nodes[cur].parent];
    parent.children = parent.children.filter((c) => c !== cur);
    nodes[cur].parent = -1;
    orphans.push(cur);
    place([cur], 0);
  }
  orphans.sort(byStart);
  for (const o of orphans) nodes[o].parentMissing = true;
  const host = roots[0];
  // No root at all: the orphans are the top level.
  if (host === undefined) return orphans;
  nodes[host].children = [...nodes[host].children, ...orphans].sort(byStart);
  for (const o of orphans) nodes[o].parent = host;
  place(orphans, 1);
  return roots;
}

/** Duration minus the union of its children's intervals (clipped to its own). */
function selfTime(nodes: SpanNode[], n: SpanNode): number {
  let covered = 0;
  let runStart = -1;
  let runEnd = -1;
  for (const c of n.children) {
    const s = Math.max(nodes[c].start, n.start);
    const e = Math.min(nodes[c].end, n.end);
    if (e <= s) continue;
    if (s > runEnd) {
      covered += runEnd - runStart;
      runStart = s;
      runEnd = e;
    } else if (e > runEnd) runEnd = e;
  }
  covered += runEnd - runStart;
  return n.end - n.start - covered;
}

/** The rows shown: depth-first, skipping the children of collapsed spans. */
export function visibleRows(model: TraceModel, collapsed: Uint8Array): Int32Array {
  const out = new Int32Array(model.nodes.length);
  let count = 0;
  const stack: number[] = [];
  for (let i = model.roots.length - 1; i >= 0; i--) stack.push(model.roots[i]);
  while (stack.length) {
    const i = stack.pop()!;
    out[count++] = i;
    if (collapsed[i]) continue;
    const children = model.nodes[i].children;
    for (let c = children.length - 1; c >= 0; c--) stack.push(children[c]);
  }
  return out.subarray(0, count);
}

export function serviceName(resource: KeyValue[]): string {
  const kv = resource.find((a) => a.key === 'service.name');
  const v = kv?.value;
  return v && 'stringValue' in v ? String(v.stringValue) : 'unknown_service';
}

function toBigInt(ns: string | undefined): bigint {
  if (!ns || !/^\d{1,20}$/.test(ns)) return 0n;
  return BigInt(ns);
}
