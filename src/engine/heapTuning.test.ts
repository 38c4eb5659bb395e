import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heapGrowingPercent } from './heapTuning.ts';

const MIB = 1048576;

describe("V8's heap growth, set from what the heap holds", () => {
  it('leaves about 24 MiB of slack: 20% of a small heap at most, 3% of a large one at least', () => {
    assert.equal(heapGrowingPercent(10 * MIB), 20);
    assert.equal(heapGrowingPercent(240 * MIB), 10);
    assert.equal(heapGrowingPercent(480 * MIB), 5);
    assert.equal(heapGrowingPercent(4096 * MIB), 3);
    assert.equal(heapGrowingPercent(0), 20);
  });
});
