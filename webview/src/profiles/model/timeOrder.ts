// The time-order chart: samples in the order they were taken, each as wide as its
// weight, with a frame that stays on the stack across consecutive samples drawn as one
// box (speedscope's "time order", Chrome's flame chart).

import type { CompactProfile } from '../../../../src/protocol/profile.ts';
import { emptyLayout, finish, type FlameLayout } from './flameLayout.ts';
import type { FunctionTable } from './functions.ts';

export function hasSampleTimes(p: CompactProfile): boolean {
  return p.sampleTimeMs.length > 0 && p.sampleTimeMs.length === p.sampleStack.length;
}

export function timeOrderLayout(p: CompactProfile, fns: FunctionTable, sampleType: number, mask?: Uint8Array): FlameLayout {
  const samples = p.sampleStack.length;
  const types = Math.max(1, p.summary.sampleTypes.length);
  const order = Uint32Array.from({ length: samples }, (_, i) => i);
  const times = p.sampleTimeMs;
  let sorted = true;
  for (let i = 1; i < samples && sorted; i++) if (times[i] < times[i - 1]) sorted = false;
  if (!sorted) order.sort((a, b) => times[a] - times[b] || a - b);

  let capacity = Math.max(1024, samples);
  let out = emptyLayout(capacity);
  const rows: number[][] = [[0]];
  let count = 1;
  // Box 0 is the root, as wide as everything.
  out.func[0] = -1;
  out.parent[0] = -1;
  // The open boxes, one per depth (index 0 the root), and the stack each stands for.
  const openBox: number[] = [0];
  const openStack: number[] = [-1];
  const path: number[] = [];
  let x = 0;
  const grow = () => {
    const bigger = emptyLayout(capacity * 2);
    for (const k of ['start', 'width', 'depth', 'func', 'parent', 'total', 'self'] as const) bigger[k].set(out[k]);
    out = bigger;
    capacity *= 2;
  };
  const close = (depth: number) => {
    while (openBox.length > depth) {
      const b = openBox.pop()!;
      openStack.pop();
      out.width[b] = x - out.start[b];
      out.total[b] = out.width[b];
    }
  };
  for (const i of order) {
    if (mask && !mask[i]) continue;
    const w = p.sampleValues[i * types + sampleType];
    if (!(w > 0)) continue;
    path.length = 0;
    for (let s = p.sampleStack[i]; s >= 0; s = p.stackParent[s]) path.push(s);
    path.reverse();
    // Keep the boxes whose functions continue at the same depth; close the rest.
    let keep = 1;
    while (keep < openBox.length && keep - 1 < path.length && fns.ofStack[openStack[keep]] === fns.ofStack[path[keep - 1]]) keep++;
    close(keep);
    for (let d = keep - 1; d < path.length; d++) {
      if (count >= capacity) grow();
      const b = count++;
      out.start[b] = x;
      out.depth[b] = d + 1;
      out.func[b] = fns.ofStack[path[d]];
      out.parent[b] = openBox[openBox.length - 1];
      (rows[d + 1] ??= []).push(b);
      openBox.push(b);
      openStack.push(path[d]);
    }
    out.self[openBox[openBox.length - 1]] += w;
    x += w;
  }
  close(0);
  out.width[0] = x;
  out.total[0] = x;
  return finish(out, count, rows, x, x);
}
