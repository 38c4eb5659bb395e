// A V8 .cpuprofile's samples merged by stack, handed over before the per-sample rows are
// made (what the browser page draws first): the same form, to the last bit, as the one
// `samplesByStack` makes of the finished profile, so swapping one for the other changes
// nothing a view shows.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateCpuProfile } from '../../../bench/profiles/generate.ts';
import type { CompactProfile } from '../../protocol/profile.ts';
import { decodeProfile } from './decodeProfile.ts';
import { samplesByStack } from './samplesByStack.ts';

function decodeBoth(bytes: Uint8Array): { first: CompactProfile; final: CompactProfile } {
  let first: CompactProfile | undefined;
  const final = decodeProfile(bytes, undefined, (p) => { first = p; });
  assert.ok(first, 'the merged form came first');
  return { first, final };
}

function plain(p: CompactProfile): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v]));
}

/** Per sample type, the sum over all rows. */
function totals(p: CompactProfile): number[] {
  const types = p.summary.sampleTypes.length;
  const out = new Array<number>(types).fill(0);
  p.sampleValues.forEach((v, i) => { out[i % types] += v; });
  return out;
}

describe('a .cpuprofile merged by stack before its samples are laid out', () => {
  it('is the form samplesByStack makes of the finished profile, totals and all', () => {
    const { first, final } = decodeBoth(generateCpuProfile(2 * 1024 * 1024));
    const merged = samplesByStack(final);
    assert.deepEqual(plain(first), plain(merged));
    assert.deepEqual(totals(first), totals(final));
    assert.ok(first.sampleStack.length < final.sampleStack.length / 5, 'a fraction of the rows');
    assert.equal(first.summary.hasSampleTimes, true);
  });

  it('agrees to the bit with fractional and negative deltas, runs of a stack, a sample on the root alone, two nodes of one path', () => {
    const frame = (functionName: string, lineNumber = 1) => ({ functionName, scriptId: '1', url: 'file:///a.js', lineNumber, columnNumber: 2 });
    const doc = {
      nodes: [
        { id: 1, callFrame: frame('(root)', -1), children: [2, 3, 5] },
        { id: 2, callFrame: frame('main'), children: [4] },
        { id: 3, callFrame: frame('main') },
        { id: 4, callFrame: frame('work', 7) },
        { id: 5, callFrame: frame('(garbage collector)', -1) },
      ],
      startTime: 100.25,
      endTime: 900.5,
      samples: [4, 4, 4, 2, 3, 1, 5, 4, 3, 3, 2, 4],
      timeDeltas: [0.1, 10.3, 0.7, -3, 5.55, 1e-9, 12, 0.3, 7.77, 1 / 3, 2, 4.4],
    };
    const { first, final } = decodeBoth(Buffer.from(JSON.stringify(doc)));
    assert.deepEqual(plain(first), plain(samplesByStack(final)));
    // Summed row by row instead of per stack, fractions may differ in the last bit.
    totals(final).forEach((t, i) => assert.ok(Math.abs(totals(first)[i] - t) < 1e-9 * t, `type ${i}: ${totals(first)[i]} against ${t}`));
  });

  it('is not made when the file is malformed: the error is the same as without it', () => {
    const bad = Buffer.from(JSON.stringify({ nodes: [{ id: 1, callFrame: { functionName: '(root)' } }], samples: [1, 9], timeDeltas: [1, 1] }));
    let called = false;
    assert.throws(() => decodeProfile(bad, undefined, () => { called = true; }), /sample 1 refers to node 9/);
    assert.equal(called, false);
  });
});
