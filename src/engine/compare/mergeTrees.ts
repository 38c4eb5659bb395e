// Two traces merged into one tree. Spans are aligned top-down: children of aligned
// parents pair up by service + span name + their order among same-named siblings; what
// has no partner is "only in" its trace, with its whole subtree.

import type { CompareDifference, CompareNode } from '../../protocol/compare.ts';
import { criticalPath } from '../analysis/criticalPath.ts';
import { selfTime, type SpanTree, type TreeSpan } from '../analysis/spanTree.ts';

const MS = 1e6;
const MAX_DIFFERENCES = 50;

export interface MergedTrees {
  tree: CompareNode[];
  differences: CompareDifference[];
  moreDifferences: number;
}

export function mergeTrees(a: SpanTree, b: SpanTree): MergedTrees {
  const aPath = new Set(criticalPath(a).map((p) => p.span));
  const bPath = new Set(criticalPath(b).map((p) => p.span));
  const flat: CompareDifference[] = [];
  const merge = (as: TreeSpan[], bs: TreeSpan[], depth: number, path: string[]): CompareNode[] =>
    pairUp(as, bs).map(([x, y]) => {
      const label = `${(x ?? y)!.service}: ${(x ?? y)!.name}`;
      const childPath = [...path, label];
      const node = nodeOf(x, y, depth, aPath, bPath);
      node.children = merge(x?.children ?? [], y?.children ?? [], depth + 1, childPath);
      node.children.sort(byContribution);
      flat.push({
        path: childPath, service: node.service, name: node.name, aMs: node.aMs, bMs: node.bMs, deltaMs: node.deltaMs,
        selfDeltaMs: node.selfDeltaMs, only: node.only,
        ...(node.aSpanId ? { aSpanId: node.aSpanId } : {}), ...(node.bSpanId ? { bSpanId: node.bSpanId } : {}),
        ...(node.source ? { source: node.source } : {}),
      });
      return node;
    });
  const tree = merge(a.roots, b.roots, 0, []).sort(byContribution);
  flat.sort((p, q) => Math.abs(q.selfDeltaMs) - Math.abs(p.selfDeltaMs) || Math.abs(q.deltaMs) - Math.abs(p.deltaMs));
  // Spans that did not change are in the tree, not in the list of differences.
  const changed = flat.filter((d) => d.selfDeltaMs !== 0 || d.only);
  const differences = changed.slice(0, MAX_DIFFERENCES);
  return { tree, differences, moreDifferences: changed.length - differences.length };
}

function byContribution(p: CompareNode, q: CompareNode): number {
  return Math.abs(q.deltaMs) - Math.abs(p.deltaMs);
}

/** Pairs of aligned spans (either side missing for "only in one"), in A's order then B's leftovers. */
function pairUp(as: TreeSpan[], bs: TreeSpan[]): [TreeSpan | undefined, TreeSpan | undefined][] {
  const bByKey = new Map<string, TreeSpan[]>();
  for (const s of bs) {
    const list = bByKey.get(keyOf(s));
    if (list) list.push(s);
    else bByKey.set(keyOf(s), [s]);
  }
  const pairs: [TreeSpan | undefined, TreeSpan | undefined][] = [];
  // Siblings are in start order, so the n-th "SELECT" of A meets the n-th of B.
  for (const s of as) pairs.push([s, bByKey.get(keyOf(s))?.shift()]);
  for (const rest of bByKey.values()) for (const s of rest) pairs.push([undefined, s]);
  return pairs;
}

function keyOf(s: TreeSpan): string {
  return `${s.service}\u0000${s.name}`;
}

function nodeOf(x: TreeSpan | undefined, y: TreeSpan | undefined, depth: number, aPath: Set<TreeSpan>, bPath: Set<TreeSpan>): CompareNode {
  const some = (x ?? y)!;
  const aMs = x ? round((x.end - x.start) / MS) : null;
  const bMs = y ? round((y.end - y.start) / MS) : null;
  const aSelfMs = x ? round(selfTime(x) / MS) : null;
  const bSelfMs = y ? round(selfTime(y) / MS) : null;
  const source = y?.source ?? x?.source;
  return {
    service: some.service, name: some.name, depth, aMs, bMs,
    deltaMs: round((bMs ?? 0) - (aMs ?? 0)),
    aSelfMs, bSelfMs, selfDeltaMs: round((bSelfMs ?? 0) - (aSelfMs ?? 0)),
    only: x && y ? null : x ? 'a' : 'b',
    ...(x ? { aSpanId: x.spanId } : {}), ...(y ? { bSpanId: y.spanId } : {}),
    aCritical: !!x && aPath.has(x), bCritical: !!y && bPath.has(y),
    ...(source ? { source } : {}),
    children: [],
  };
}

export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
