// A profile's samples merged by stack: what the flame graph, sandwich, top table, diff
// and label filter read, without the per-sample rows only the time-order chart needs.
// A 50 MB .cpuprofile holds 3.2 M samples on 110 k stacks: the page that opens it
// fetched, unpacked and summed every one of them before its first paint. Here the
// unlabelled samples of a stack become one row holding their sums, and labelled samples
// stay rows of their own (the label filter and its per-value counts read them), so
// every total is the same while the rows shrink to about the number of stacks.

import type { CompactProfile } from '../../protocol/profile.ts';

/** The form sent for `GET /api/profiles/{id}?samples=by-stack`; the labels and every table are shared with `p`, not copied. */
export function samplesByStack(p: CompactProfile): CompactProfile {
  const n = p.sampleStack.length;
  const types = Math.max(1, p.summary.sampleTypes.length);
  const starts = p.sampleLabelStart;
  const hasLabels = starts.length === n + 1;
  const timed = p.sampleTimeMs.length === n && n > 0;
  const { sampleStack: stackOf, sampleValues: valueOf } = p;

  // Rows: the stacks that have unlabelled samples, in stack order, then each labelled sample.
  const rowOfStack = new Int32Array(p.stackParent.length).fill(-1);
  let labelledCount = 0;
  for (let i = 0; i < n; i++) {
    if (hasLabels && starts[i] !== starts[i + 1]) labelledCount++;
    else rowOfStack[stackOf[i]] = 0;
  }
  let rows = 0;
  for (let s = 0; s < rowOfStack.length; s++) if (rowOfStack[s] === 0) rowOfStack[s] = rows++;
  const unlabelledRows = rows;
  rows += labelledCount;

  const sampleStack = new Uint32Array(rows);
  const sampleValues = new Float64Array(rows * types);
  for (let s = 0; s < rowOfStack.length; s++) if (rowOfStack[s] >= 0) sampleStack[rowOfStack[s]] = s;
  // Labelled samples keep their order, so their label ranges stay consecutive in the
  // shared label arrays: unlabelled rows get empty ranges at 0.
  const sampleLabelStart = labelledCount > 0 ? new Uint32Array(rows + 1) : new Uint32Array(0);
  let next = unlabelledRows;
  for (let i = 0; i < n; i++) {
    let row: number;
    if (hasLabels && starts[i] !== starts[i + 1]) {
      row = next++;
      sampleStack[row] = stackOf[i];
      sampleLabelStart[row] = starts[i];
    } else row = rowOfStack[stackOf[i]];
    for (let t = 0, from = i * types, to = row * types; t < types; t++) sampleValues[to + t] += valueOf[from + t];
  }
  if (labelledCount > 0) sampleLabelStart[rows] = p.labelKey.length;
  return {
    ...p,
    summary: { ...p.summary, hasSampleTimes: timed },
    sampleStack,
    sampleValues,
    sampleTimeMs: new Float64Array(0),
    sampleLabelStart,
    labelKey: labelledCount > 0 ? p.labelKey : new Uint32Array(0),
    labelValue: labelledCount > 0 ? p.labelValue : new Uint32Array(0),
  };
}
