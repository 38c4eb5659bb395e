// One stored trace as a tree of spans with times relative to the trace's start: what
// the trace summary, the critical path and trace compare read. Built from the trace as
// OTLP (the store's one way to hand a trace out whole), so it follows the store.

import type { TracesData } from '../../protocol/otlp.ts';
import type { SourceLocation } from '../../protocol/webview.ts';
import { plainAttributes } from '../../shared/plainValue.ts';
import { spanSource } from '../../shared/source/location.ts';
import { traceAsOtlp } from '../query/traceExport.ts';
import { traceKeyFromHex } from '../store/traceEntry.ts';
import type { TraceStore } from '../store/traceStore.ts';
import { QueryError } from '../query/params.ts';

export interface TreeSpan {
  spanId: string;
  parentId: string;
  service: string;
  name: string;
  /** Nanoseconds from the trace's first start. */
  start: number;
  end: number;
  error: boolean;
  statusMessage: string;
  source?: SourceLocation;
  exceptions: { type: string; message: string; source?: SourceLocation }[];
  children: TreeSpan[];
  parent?: TreeSpan;
}

export interface SpanTree {
  traceId: string;
  /** Unix nanoseconds of the first span's start, exact. */
  startUnixNano: bigint;
  durationNs: number;
  spans: TreeSpan[];
  /** Spans whose parent is not in the trace (the root, and orphans of missing parents). */
  roots: TreeSpan[];
}

/** The trace with this id as a tree; a QueryError names a malformed or unknown id. */
export function loadSpanTree(store: TraceStore, traceIdHex: string, param = 'traceId'): SpanTree {
  const key = /^[0-9a-fA-F]{32}$/.test(traceIdHex) ? traceKeyFromHex(traceIdHex) : undefined;
  if (!key) throw new QueryError(param, `expected a trace id of 32 hex digits, got "${traceIdHex.slice(0, 40)}"`);
  const entry = store.get(key);
  if (!entry) throw new QueryError(param, `trace ${traceIdHex.toLowerCase()} is not in the store (never received, or evicted); search_traces lists the traces it holds`);
  return spanTreeOf(traceIdHex.toLowerCase(), traceAsOtlp(store, entry));
}

export function spanTreeOf(traceId: string, data: TracesData): SpanTree {
  const raw: { span: TreeSpan; startNs: bigint; endNs: bigint }[] = [];
  for (const rs of data.resourceSpans ?? []) {
    const service = String(plainAttributes(rs.resource?.attributes)['service.name'] ?? 'unknown_service');
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const attributes = plainAttributes(s.attributes);
        const exceptions = (s.events ?? []).filter((e) => e.name === 'exception').map((e) => {
          const a = plainAttributes(e.attributes);
          return { type: String(a['exception.type'] ?? ''), message: String(a['exception.message'] ?? ''), source: spanSource(a) };
        });
        const startNs = BigInt(s.startTimeUnixNano ?? '0');
        const endNs = BigInt(s.endTimeUnixNano ?? s.startTimeUnixNano ?? '0');
        raw.push({
          startNs, endNs: endNs < startNs ? startNs : endNs,
          span: {
            spanId: s.spanId ?? '', parentId: s.parentSpanId ?? '', service, name: s.name ?? '', start: 0, end: 0,
            error: s.status?.code === 2, statusMessage: s.status?.message ?? '',
            source: spanSource(attributes) ?? exceptions.find((e) => e.source)?.source,
            exceptions, children: [],
          },
        });
      }
    }
  }
  let first = raw.length ? raw[0].startNs : 0n;
  let last = first;
  for (const r of raw) {
    if (r.startNs < first) first = r.startNs;
    if (r.endNs > last) last = r.endNs;
  }
  const byId = new Map<string, TreeSpan>();
  for (const r of raw) {
    r.span.start = Number(r.startNs - first);
    r.span.end = Number(r.endNs - first);
    byId.set(r.span.spanId, r.span);
  }
  const spans = raw.map((r) => r.span);
  const roots: TreeSpan[] = [];
  for (const s of spans) {
    const parent = s.parentId ? byId.get(s.parentId) : undefined;
    if (parent && parent !== s) {
      s.parent = parent;
      parent.children.push(s);
    } else roots.push(s);
  }
  for (const s of spans) s.children.sort(byStart);
  roots.sort(byStart);
  return { traceId, startUnixNano: first, durationNs: Number(last - first), spans, roots };
}

function byStart(a: TreeSpan, b: TreeSpan): number {
  return a.start - b.start || a.end - b.end || a.name.localeCompare(b.name);
}

/** Time in the span not covered by any of its children (clipped to the span). */
export function selfTime(s: TreeSpan): number {
  let covered = 0;
  let reach = s.start;
  // Children are sorted by start, so overlapping children are merged in one pass.
  for (const c of s.children) {
    const from = Math.max(c.start, reach);
    const to = Math.min(c.end, s.end);
    if (to > from) covered += to - from;
    if (c.end > reach) reach = Math.min(Math.max(reach, c.end), s.end);
  }
  return Math.max(0, s.end - s.start - covered);
}

/** Depth-first, parents before children, in start order. */
export function walk(tree: SpanTree, visit: (s: TreeSpan, depth: number) => void): void {
  const stack: [TreeSpan, number][] = tree.roots.map((r) => [r, 0] as [TreeSpan, number]).reverse();
  while (stack.length) {
    const [s, d] = stack.pop()!;
    visit(s, d);
    for (let i = s.children.length - 1; i >= 0; i--) stack.push([s.children[i], d + 1]);
  }
}
