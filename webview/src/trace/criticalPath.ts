// The critical path: the chain of work that decided when the trace ended. Walking back
// from a span's end, the child that finished last is what the span waited for; before
// that child started, the child that had finished last by then; and so on. The time
// between them is the span's own work (the rule Jaeger's critical path uses). Each span on the path
// gets the intervals in which it, and not a child, was the blocking work.

import type { TraceModel } from './traceModel.ts';

export interface CriticalPath {
  /** 1 for spans on the path. */
  readonly onPath: Uint8Array;
  /** Per span on the path: [start, end) intervals (ns from trace start), latest first. */
  readonly segments: Map<number, [number, number][]>;
}

export function criticalPath(model: TraceModel): CriticalPath {
  const { start, end, childStart, children } = model;
  const onPath = new Uint8Array(model.count);
  const segments = new Map<number, [number, number][]>();
  // The top-level span that ends last stands for the trace.
  let top = -1;
  for (const r of model.roots) if (top < 0 || end[r] > end[top]) top = r;
  if (top < 0) return { onPath, segments };

  const stack: { node: number; limit: number }[] = [{ node: top, limit: end[top] }];
  while (stack.length) {
    const { node, limit } = stack.pop()!;
    onPath[node] = 1;
    const own: [number, number][] = [];
    let cursor = Math.min(end[node], limit);
    const byEnd = Array.from(children.subarray(childStart[node], childStart[node + 1])).sort((a, b) => end[b] - end[a]);
    let first = true;
    for (const c of byEnd) {
      if (onPath[c]) continue;
      // The last child to finish may run past the limit (it is clipped); after it, only
      // children that had finished before the previous one started were waited for.
      if (first ? start[c] >= cursor : end[c] > cursor) continue;
      first = false;
      const childEnd = Math.min(end[c], cursor);
      if (cursor > childEnd) own.push([childEnd, cursor]);
      stack.push({ node: c, limit: childEnd });
      cursor = Math.max(start[c], start[node]);
      if (cursor <= start[node]) break;
    }
    if (cursor > start[node]) own.push([start[node], cursor]);
    segments.set(node, own);
  }
  return { onPath, segments };
}
