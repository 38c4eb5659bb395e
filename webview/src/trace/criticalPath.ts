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
  const { nodes } = model;
  const onPath = new Uint8Array(nodes.length);
  const segments = new Map<number, [number, number][]>();
  // The top-level span that ends last stands for the trace.
  let top = -1;
  for (const r of model.roots) if (top < 0 || nodes[r].end > nodes[top].end) top = r;
  if (top < 0) return { onPath, segments };

  const stack: { node: number; limit: number }[] = [{ node: top, limit: nodes[top].end }];
  while (stack.length) {
    const { node, limit } = stack.pop()!;
    const n = nodes[node];
    onPath[node] = 1;
    const own: [number, number][] = [];
    let cursor = Math.min(n.end, limit);
    const byEnd = [...n.children].sort((a, b) => nodes[b].end - nodes[a].end);
    let first = true;
    for (const c of byEnd) {
      const child = nodes[c];
      if (onPath[c]) continue;
      // The last child to finish may run past the limit (it is clipped); after it, only
      // children that had finished before the previous one started were waited for.
      if (first ? child.start >= cursor : child.end > cursor) continue;
      first = false;
      const childEnd = Math.min(child.end, cursor);
      if (cursor > childEnd) own.push([childEnd, cursor]);
      stack.push({ node: c, limit: childEnd });
      cursor = Math.max(child.start, n.start);
      if (cursor <= n.start) break;
    }
    if (cursor > n.start) own.push([n.start, cursor]);
    segments.set(node, own);
  }
  return { onPath, segments };
}
