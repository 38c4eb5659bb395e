// The critical path of a trace: the chain of spans the trace waited on. From the end of
// the span that finished last, step back through the child that finished last before
// the current point; the gaps between such children are the parent's own blocking work.
// Each span on the path gets the time it alone was blocking.

import type { SpanTree, TreeSpan } from './spanTree.ts';

export interface PathStep {
  span: TreeSpan;
  /** Nanoseconds during which this span (not a child) was what the trace waited on. */
  blockingNs: number;
}

export function criticalPath(tree: SpanTree): PathStep[] {
  let top: TreeSpan | undefined;
  for (const r of tree.roots) if (!top || r.end > top.end) top = r;
  if (!top) return [];
  const blocking = new Map<TreeSpan, number>();
  const order: TreeSpan[] = [];
  const pending: { span: TreeSpan; until: number }[] = [{ span: top, until: top.end }];
  while (pending.length) {
    const { span, until } = pending.pop()!;
    if (blocking.has(span)) continue;
    order.push(span);
    let own = 0;
    let point = Math.min(span.end, until);
    const latestFirst = [...span.children].sort((a, b) => b.end - a.end);
    let first = true;
    for (const child of latestFirst) {
      if (point <= span.start) break;
      // The last child to finish may run past the point it is waited for until (and is
      // clipped); before it, only children already finished were waited for.
      if (blocking.has(child) || (first ? child.start >= point : child.end > point)) continue;
      first = false;
      const childEnd = Math.min(child.end, point);
      own += point - childEnd;
      pending.push({ span: child, until: childEnd });
      point = Math.max(child.start, span.start);
    }
    own += Math.max(0, point - span.start);
    blocking.set(span, own);
  }
  return order.map((span) => ({ span, blockingNs: blocking.get(span)! })).sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}
