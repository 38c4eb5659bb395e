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
  const flat: Placed[] = [];
  const tree: CompareNode[] = [];
  // Iterative, so a trace thousands of spans deep cannot overflow the stack.
  const work: { as: TreeSpan[]; bs: TreeSpan[]; depth: number; parent?: Placed; into: CompareNode[] }[] = [{ as: a.roots, bs: b.roots, depth: 0, into: tree }];
  while (work.length) {
    const { as, bs, depth, parent, into } = work.pop()!;
    for (const [x, y] of pairUp(as, bs)) {
      const node = nodeOf(x, y, depth, aPath, bPath);
      const placed: Placed = { node, parent };
      into.push(node);
      flat.push(placed);
      work.push({ as: x?.children ?? [], bs: y?.children ?? [], depth: depth + 1, parent: placed, into: node.children });
    }
  }
  sortByContribution(tree);
  // Spans that did not change are in the tree, not in the list of differences.
  const changed = flat.filter(({ node }) => node.selfDeltaMs !== 0 || node.only);
  changed.sort((p, q) => Math.abs(q.node.selfDeltaMs) - Math.abs(p.node.selfDeltaMs) || Math.abs(q.node.deltaMs) - Math.abs(p.node.deltaMs));
  const differences = changed.slice(0, MAX_DIFFERENCES).map(difference);
  return { tree, differences, moreDifferences: changed.length - differences.length };
}

/** A merged node and its parent's, for the path of the few listed as differences. */
interface Placed {
  node: CompareNode;
  parent?: Placed;
}

function difference(p: Placed): CompareDifference {
  const { node } = p;
  const path: string[] = [];
  for (let at: Placed | undefined = p; at; at = at.parent) path.unshift(`${at.node.service}: ${at.node.name}`);
  return {
    path, service: node.service, name: node.name, aMs: node.aMs, bMs: node.bMs, deltaMs: node.deltaMs,
    selfDeltaMs: node.selfDeltaMs, only: node.only,
    ...(node.aSpanId ? { aSpanId: node.aSpanId } : {}), ...(node.bSpanId ? { bSpanId: node.bSpanId } : {}),
    ...(node.source ? { source: node.source } : {}),
  };
}

function sortByContribution(roots: CompareNode[]): void {
  const lists = [roots];
  while (lists.length) {
    const list = lists.pop()!;
    list.sort((p, q) => Math.abs(q.deltaMs) - Math.abs(p.deltaMs));
    for (const n of list) if (n.children.length) lists.push(n.children);
  }
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
