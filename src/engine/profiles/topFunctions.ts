// The top table (`GET /api/profiles/{id}/top`): self and total per function, where a
// function counts once per stack however often it recurses in it — the numbers of
// `go tool pprof -top -cum` (functions grouped by name, as pprof's default granularity).

import type { CompactProfile, TopFunction } from '../../protocol/profile.ts';

export type TopOrder = 'self' | 'total';

export function topFunctions(profile: CompactProfile, sampleType: number, limit: number, order: TopOrder = 'self'): TopFunction[] {
  const types = profile.summary.sampleTypes.length;
  const stacks = profile.stackParent.length;
  // Value per innermost stack, then cumulative value per stack (children before parents).
  const own = new Float64Array(stacks);
  let grand = 0;
  for (let i = 0; i < profile.sampleStack.length; i++) {
    const v = profile.sampleValues[i * types + sampleType];
    own[profile.sampleStack[i]] += v;
    grand += v;
  }
  const cum = cumulative(profile, own);

  const fnOfStack = (s: number): number => profile.frameFunction[profile.stackFrame[s]];
  const selfBy = new Map<number, number>();
  const totalBy = new Map<number, number>();
  const firstFrame = new Map<number, number>();
  for (let f = 0; f < profile.frameFunction.length; f++) {
    const fn = profile.frameFunction[f];
    const seen = firstFrame.get(fn);
    // The smallest known line stands in for where the function starts.
    if (seen === undefined || (profile.frameLine[f] > 0 && (profile.frameLine[seen] === 0 || profile.frameLine[f] < profile.frameLine[seen]))) firstFrame.set(fn, f);
  }
  for (let s = 0; s < stacks; s++) {
    if (own[s] !== 0) selfBy.set(fnOfStack(s), (selfBy.get(fnOfStack(s)) ?? 0) + own[s]);
  }
  // A stack adds its cumulative value to its function's total only if no ancestor holds the
  // same function: deeper recursive calls are already inside that ancestor's value.
  forEachOutermost(profile, (s) => {
    if (cum[s] !== 0) totalBy.set(fnOfStack(s), (totalBy.get(fnOfStack(s)) ?? 0) + cum[s]);
  });

  const rows: TopFunction[] = [];
  for (const [fn, total] of totalBy) {
    const frame = firstFrame.get(fn)!;
    const self = selfBy.get(fn) ?? 0;
    rows.push({
      function: profile.strings[fn],
      file: profile.strings[profile.frameFile[frame]],
      line: profile.frameLine[frame],
      self,
      total,
      selfShare: grand ? self / grand : 0,
      totalShare: grand ? total / grand : 0,
    });
  }
  const key = order === 'self' ? (r: TopFunction) => r.self : (r: TopFunction) => r.total;
  const tie = order === 'self' ? (r: TopFunction) => r.total : (r: TopFunction) => r.self;
  rows.sort((a, b) => key(b) - key(a) || tie(b) - tie(a) || (a.function < b.function ? -1 : 1));
  return rows.slice(0, limit);
}

/** Sum of `own` over each stack's subtree. */
export function cumulative(profile: CompactProfile, own: Float64Array): Float64Array {
  const cum = Float64Array.from(own);
  for (const s of childrenFirst(profile)) {
    const p = profile.stackParent[s];
    if (p >= 0) cum[p] += cum[s];
  }
  return cum;
}

/** Stack indices ordered so that every stack comes before its parent. */
function childrenFirst(profile: CompactProfile): Uint32Array {
  const order = preorder(profile);
  return order.reverse();
}

/** Stacks in depth-first preorder (parents first), whatever order the arrays hold them in. */
function preorder(profile: CompactProfile): Uint32Array {
  const n = profile.stackParent.length;
  const { start, child } = childLists(profile);
  const order = new Uint32Array(n);
  let out = 0;
  const pending: number[] = [];
  for (let s = 0; s < n; s++) if (profile.stackParent[s] < 0) pending.push(s);
  while (pending.length) {
    const s = pending.pop()!;
    order[out++] = s;
    for (let c = start[s]; c < start[s + 1]; c++) pending.push(child[c]);
  }
  return order.subarray(0, out);
}

function childLists(profile: CompactProfile): { start: Uint32Array; child: Uint32Array } {
  const n = profile.stackParent.length;
  const start = new Uint32Array(n + 1);
  for (let s = 0; s < n; s++) {
    const p = profile.stackParent[s];
    if (p >= 0) start[p + 1]++;
  }
  for (let s = 0; s < n; s++) start[s + 1] += start[s];
  const fill = start.slice(0, n);
  const child = new Uint32Array(start[n]);
  for (let s = 0; s < n; s++) {
    const p = profile.stackParent[s];
    if (p >= 0) child[fill[p]++] = s;
  }
  return { start, child };
}

/** Calls `visit` for every stack whose function does not appear among its ancestors. */
function forEachOutermost(profile: CompactProfile, visit: (stack: number) => void): void {
  const n = profile.stackParent.length;
  const { start, child } = childLists(profile);
  const onPath = new Uint32Array(profile.strings.length);
  // Entries >= 0 enter a stack; ~s leaves it.
  const pending: number[] = [];
  for (let s = 0; s < n; s++) if (profile.stackParent[s] < 0) pending.push(s);
  while (pending.length) {
    const entry = pending.pop()!;
    if (entry < 0) {
      onPath[profile.frameFunction[profile.stackFrame[~entry]]]--;
      continue;
    }
    const fn = profile.frameFunction[profile.stackFrame[entry]];
    if (onPath[fn] === 0) visit(entry);
    onPath[fn]++;
    pending.push(~entry);
    for (let c = start[entry]; c < start[entry + 1]; c++) pending.push(child[c]);
  }
}
