// Where each box of a flame graph goes: x and width in the profile's units, and its
// depth. Boxes are listed per depth in x order, so drawing and hit-testing a row is a
// binary search. The same shape serves the flame graph, the time-order chart, the
// sandwich's halves and the diff.

import type { CallTree } from './callTree.ts';

export interface FlameLayout {
  count: number;
  start: Float64Array;
  width: Float64Array;
  depth: Int32Array;
  /** Function of each box; -1 for the root. */
  func: Int32Array;
  parent: Int32Array;
  total: Float64Array;
  self: Float64Array;
  /** For a diff: the base profile's total and self of each box (`total`/`self` are the new one's). */
  baseTotal?: Float64Array;
  baseSelf?: Float64Array;
  /** Box ids per depth, in x order. */
  rows: Int32Array[];
  /** The x extent of the whole layout (the root's width). */
  extent: number;
  /** Sum of weights the shares are relative to. */
  grandTotal: number;
}

/**
 * Lays out a call tree left-heavy: children sorted by width, widest first, at the left
 * of their parent; a node's own weight is the space right of its children. Nodes of no
 * weight are left out. With two sides (a diff), a node is as wide as the larger side.
 */
export function layoutTree(tree: CallTree, names: readonly string[]): FlameLayout {
  const totals = tree.totals();
  const n = tree.size;
  const parent = tree.parent;
  const func = tree.func;
  const self = tree.self;
  const main = totals[tree.sides - 1];
  const base = tree.sides > 1 ? totals[0] : undefined;
  const mainSelf = self[tree.sides - 1];
  const baseSelf = tree.sides > 1 ? self[0] : undefined;
  // Width: the total, or for a diff the larger self plus the children's widths (so
  // children always fit inside their parent whichever side is larger where).
  let width: Float64Array;
  if (base && baseSelf) {
    width = new Float64Array(n);
    for (let i = 0; i < n; i++) width[i] = Math.max(mainSelf[i], baseSelf[i]);
    for (let i = n - 1; i > 0; i--) width[parent[i]] += width[i];
  } else width = main;

  // Children of each node, widest first (ties by name, so the layout is stable).
  const childCount = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) if (width[i] > 0) childCount[parent[i] + 1]++;
  for (let i = 1; i <= n; i++) childCount[i] += childCount[i - 1];
  const children = new Int32Array(childCount[n]);
  const fill = childCount.slice(0, n);
  for (let i = 1; i < n; i++) if (width[i] > 0) children[fill[parent[i]]++] = i;
  const order = (a: number, b: number) => width[b] - width[a] || compare(names[func[a]], names[func[b]]);
  for (let p = 0; p < n; p++) {
    const from = childCount[p], to = childCount[p + 1];
    if (to - from > SMALL_SORT) children.subarray(from, to).sort(order);
    else if (to - from > 1) insertionSort(children, from, to, order);
  }

  const out = emptyLayout(n, !!base);
  const rows: number[][] = [];
  const stack: number[] = [0];
  const startOf = new Float64Array(n);
  const depthOf = new Int32Array(n);
  const boxOf = new Int32Array(n);
  let count = 0;
  while (stack.length) {
    const node = stack.pop()!;
    const box = count++;
    boxOf[node] = box;
    const d = depthOf[node];
    out.start[box] = startOf[node];
    out.width[box] = width[node];
    out.depth[box] = d;
    out.func[box] = func[node];
    out.parent[box] = node === 0 ? -1 : boxOf[parent[node]];
    out.total[box] = main[node];
    out.self[box] = mainSelf[node];
    if (base && baseSelf && out.baseTotal && out.baseSelf) {
      out.baseTotal[box] = base[node];
      out.baseSelf[box] = baseSelf[node];
    }
    (rows[d] ??= []).push(box);
    let x = startOf[node];
    const from = childCount[node], to = childCount[node + 1];
    for (let c = from; c < to; c++) {
      const child = children[c];
      startOf[child] = x;
      depthOf[child] = d + 1;
      x += width[child];
    }
    // Pushed in reverse so the widest child is laid out (and listed in its row) first.
    for (let c = to - 1; c >= from; c--) stack.push(children[c]);
  }
  return finish(out, count, rows, width[0], Math.max(main[0], base?.[0] ?? 0), !!base);
}

export function emptyLayout(capacity: number, diff = false): FlameLayout {
  return {
    count: 0,
    start: new Float64Array(capacity),
    width: new Float64Array(capacity),
    depth: new Int32Array(capacity),
    func: new Int32Array(capacity),
    parent: new Int32Array(capacity),
    total: new Float64Array(capacity),
    self: new Float64Array(capacity),
    baseTotal: diff ? new Float64Array(capacity) : undefined,
    baseSelf: diff ? new Float64Array(capacity) : undefined,
    rows: [],
    extent: 0,
    grandTotal: 0,
  };
}

export function finish(out: FlameLayout, count: number, rows: number[][], extent: number, grandTotal: number, diff = false): FlameLayout {
  const cut = <T extends Float64Array | Int32Array>(a: T) => a.subarray(0, count) as T;
  return {
    count,
    start: cut(out.start), width: cut(out.width), depth: cut(out.depth), func: cut(out.func), parent: cut(out.parent),
    total: cut(out.total), self: cut(out.self),
    baseTotal: diff && out.baseTotal ? cut(out.baseTotal) : undefined,
    baseSelf: diff && out.baseSelf ? cut(out.baseSelf) : undefined,
    rows: rows.map((r) => Int32Array.from(r)),
    extent,
    grandTotal,
  };
}

/** The first box of `row` that ends after `x`. */
export function firstEndingAfter(layout: FlameLayout, row: Int32Array, x: number): number {
  let lo = 0, hi = row.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const b = row[mid];
    if (layout.start[b] + layout.width[b] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first box of `row` that starts at or after `x`. */
export function firstStartingFrom(layout: FlameLayout, row: Int32Array, x: number, from = 0): number {
  let lo = from, hi = row.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (layout.start[row[mid]] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The box at depth `depth` under x, or -1. */
export function boxAt(layout: FlameLayout, depth: number, x: number): number {
  const row = layout.rows[depth];
  if (!row) return -1;
  const i = firstEndingAfter(layout, row, x);
  if (i >= row.length) return -1;
  const b = row[i];
  return layout.start[b] <= x ? b : -1;
}

/** The box and its ancestors, root first. */
export function pathTo(layout: FlameLayout, box: number): number[] {
  const path: number[] = [];
  for (let b = box; b >= 0; b = layout.parent[b]) path.push(b);
  return path.reverse();
}

/**
 * Sibling lists up to this long are sorted in place here: most are this short, and one
 * call of the built-in sort per parent cost the first (cold) layout of the bench's 50 MB
 * profile ~200 ms (in Node, loaded machine) where this loop costs 10–60.
 */
const SMALL_SORT = 12;

/** Sorts `a[from..to)` by `order`, stably. */
function insertionSort(a: Int32Array, from: number, to: number, order: (x: number, y: number) => number): void {
  for (let i = from + 1; i < to; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= from && order(a[j], v) > 0) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

function compare(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
