import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeSampleRuns, type SampleRows } from './sampleRuns.ts';

/** Per stack, the summed values of each type: what every view of a profile shows. */
function totals(rows: SampleRows, types: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  rows.stacks.forEach((s, i) => {
    const sum = out.get(s) ?? new Array<number>(types).fill(0);
    for (let t = 0; t < types; t++) sum[t] += rows.values[i * types + t];
    out.set(s, sum);
  });
  return out;
}

function rows(stacks: number[], times: number[] = [], labelStart: number[] = []): SampleRows {
  return {
    stacks: Uint32Array.from(stacks),
    values: Float64Array.from(stacks.flatMap((_, i) => [1, 10 + i])),
    timesMs: Float64Array.from(times),
    labelStart: Uint32Array.from(labelStart),
  };
}

/** The stacks in time order with repeats collapsed: what the time-order chart draws as boxes. */
function sequence(r: SampleRows): number[] {
  return [...r.stacks].filter((s, i, a) => i === 0 || a[i - 1] !== s);
}

describe('runs of samples on one stack', () => {
  it('merges consecutive samples of a stack, keeping per-stack totals, the time order and the first time of each run', () => {
    const before = rows([3, 3, 3, 5, 5, 3, 7, 7], [0, 1, 2, 3, 4, 5, 6, 7]);
    const expected = totals(before, 2);
    const order = sequence(before);
    const after = mergeSampleRuns(rows([3, 3, 3, 5, 5, 3, 7, 7], [0, 1, 2, 3, 4, 5, 6, 7]), 2);
    assert.deepEqual([...after.stacks], [3, 5, 3, 7]);
    assert.deepEqual([...after.timesMs], [0, 3, 5, 6]);
    assert.deepEqual([...after.values], [3, 33, 2, 27, 1, 15, 2, 33]);
    assert.deepEqual(totals(after, 2), expected);
    assert.deepEqual(sequence(after), order);
  });

  it('keeps labelled samples as rows of their own, with their labels', () => {
    // Samples 1 and 2 carry one label each; 0, 3 and 4 none.
    const after = mergeSampleRuns(rows([4, 4, 4, 4, 4], [], [0, 0, 1, 2, 2, 2]), 2);
    assert.deepEqual([...after.stacks], [4, 4, 4, 4]);
    assert.deepEqual([...after.labelStart], [0, 0, 1, 2, 2]);
    assert.deepEqual([...after.values], [1, 10, 1, 11, 1, 12, 2, 27]);
  });

  it('leaves samples whose times are out of order as they are', () => {
    const r = rows([1, 1, 2], [5, 4, 6]);
    assert.equal(mergeSampleRuns(r, 2), r);
  });

  it('merges a profile without times by position alone', () => {
    const after = mergeSampleRuns(rows([0, 0, 0, 0]), 2);
    assert.deepEqual([...after.stacks], [0]);
    assert.deepEqual([...after.values], [4, 46]);
    assert.equal(after.timesMs.length, 0);
  });
});
