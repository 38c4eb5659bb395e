// Consecutive samples of one stack, as a sampling profiler records a function that runs
// for a while (and `(idle)` between requests), become one row whose values are their
// sums. Every view sums values per stack, and the time-order chart draws consecutive
// samples of a stack as one box as wide as their sum, so nothing shown changes while
// the rows, what the engine keeps and sends, shrink. Samples with labels stay rows of
// their own (the label filter and its per-value sample counts read them), and so do
// samples whose times are out of order (the chart sorts by time).

export interface SampleRows {
  stacks: Uint32Array;
  values: Float64Array;
  /** Empty when the profile has no times. */
  timesMs: Float64Array;
  /** `rows + 1` entries, or empty when no sample has labels. */
  labelStart: Uint32Array;
}

/** Merges runs in place; returns views of the merged rows (the same arrays when nothing merged). */
export function mergeSampleRuns(rows: SampleRows, types: number): SampleRows {
  const { stacks, values, timesMs, labelStart } = rows;
  const n = stacks.length;
  const hasTimes = timesMs.length === n && n > 0;
  const hasLabels = labelStart.length === n + 1;
  if (hasTimes) for (let i = 1; i < n; i++) if (timesMs[i] < timesMs[i - 1]) return rows;
  let out = 0;
  // Whether the last row written has no labels (its end is not written yet).
  let lastUnlabelled = false;
  for (let i = 0; i < n; i++) {
    const unlabelled = !hasLabels || labelStart[i] === labelStart[i + 1];
    if (out > 0 && unlabelled && lastUnlabelled && stacks[i] === stacks[out - 1]) {
      for (let t = 0; t < types; t++) values[(out - 1) * types + t] += values[i * types + t];
      continue;
    }
    lastUnlabelled = unlabelled;
    if (out !== i) {
      stacks[out] = stacks[i];
      for (let t = 0; t < types; t++) values[out * types + t] = values[i * types + t];
      if (hasTimes) timesMs[out] = timesMs[i];
      if (hasLabels) labelStart[out] = labelStart[i];
    }
    out++;
  }
  if (out === n) return rows;
  if (hasLabels) labelStart[out] = labelStart[n];
  return {
    stacks: stacks.subarray(0, out),
    values: values.subarray(0, out * types),
    timesMs: hasTimes ? timesMs.subarray(0, out) : timesMs,
    labelStart: hasLabels ? labelStart.subarray(0, out + 1) : labelStart,
  };
}
