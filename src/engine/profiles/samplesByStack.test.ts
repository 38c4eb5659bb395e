import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CompactProfile } from '../../protocol/profile.ts';
import { FrameKind } from '../../protocol/profile.ts';
import { decodeCompactProfile, encodeCompactProfile } from '../../shared/profile/codec.ts';
import { decodeProfile } from './decodeProfile.ts';
import { ProfileBuilder } from './profileBuilder.ts';
import { samplesByStack } from './samplesByStack.ts';

/** Per stack and type, the sum of the sample values: what every view but the time order shows. */
function stackTotals(p: CompactProfile): number[][] {
  const types = p.summary.sampleTypes.length;
  const out = Array.from({ length: p.stackParent.length }, () => new Array<number>(types).fill(0));
  p.sampleStack.forEach((s, i) => { for (let t = 0; t < types; t++) out[s][t] += p.sampleValues[i * types + t]; });
  return out;
}

/** Each labelled sample as "stack|key=value,…|values", sorted. */
function labelledSamples(p: CompactProfile): string[] {
  const types = p.summary.sampleTypes.length;
  const out: string[] = [];
  for (let i = 0; i < p.sampleStack.length; i++) {
    const from = p.sampleLabelStart[i] ?? 0, to = p.sampleLabelStart[i + 1] ?? 0;
    if (from === to) continue;
    const labels = [];
    for (let j = from; j < to; j++) labels.push(`${p.strings[p.labelKey[j]]}=${p.strings[p.labelValue[j]]}`);
    out.push(`${p.sampleStack[i]}|${labels.join(',')}|${[...p.sampleValues.subarray(i * types, (i + 1) * types)].join(',')}`);
  }
  return out.sort();
}

describe('samples merged by stack', () => {
  it('keeps every stack\'s totals and each labelled sample with its labels (a Go CPU profile with span labels)', () => {
    const p = decodeProfile(readFileSync(join(__dirname, 'fixtures', 'go-cpu.pb.gz')));
    const merged = samplesByStack(p);
    assert.ok(labelledSamples(p).length > 0, 'the fixture has labelled samples');
    assert.deepEqual(stackTotals(merged), stackTotals(p));
    assert.deepEqual(labelledSamples(merged), labelledSamples(p));
    const unlabelled = new Set<number>();
    p.sampleStack.forEach((s, i) => { if (p.sampleLabelStart[i] === p.sampleLabelStart[i + 1]) unlabelled.add(s); });
    assert.equal(merged.sampleStack.length, unlabelled.size + labelledSamples(p).length);
    assert.equal(merged.summary.hasSampleTimes, false);
    // The tables are the profile's own, and the form goes through the binary codec.
    assert.equal(merged.stackParent, p.stackParent);
    assert.deepEqual(stackTotals(decodeCompactProfile(encodeCompactProfile(merged))), stackTotals(p));
  });

  it('turns a timed profile\'s samples into one row per stack, without times, saying the whole one has them', () => {
    const b = new ProfileBuilder({ format: 'cpuprofile', sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'microseconds' }], defaultSampleType: 1, startTimeUnixNano: '0', durationNanos: '0' });
    const frame = (name: string) => b.frame({ function: name, file: 'a.js', line: 1, column: 1, kind: FrameKind.Code });
    const main = b.stack(-1, frame('main'));
    const work = b.stack(main, frame('work'));
    const idle = b.stack(-1, frame('(idle)'));
    // Alternating stacks: no consecutive runs for the decoder's own merge to take.
    const order = [work, main, work, idle, work, main, idle, work];
    order.forEach((s, i) => b.sample(s, [1, 100 + i], i));
    const p = b.finish();
    assert.equal(p.sampleStack.length, order.length);
    const merged = samplesByStack(p);
    assert.deepEqual([...merged.sampleStack], [main, work, idle]);
    assert.deepEqual([...merged.sampleValues], [2, 101 + 105, 4, 100 + 102 + 104 + 107, 2, 103 + 106]);
    assert.equal(merged.sampleTimeMs.length, 0);
    assert.equal(merged.sampleLabelStart.length, 0);
    assert.equal(merged.summary.hasSampleTimes, true);
    assert.equal(merged.summary.sampleCount, order.length);
  });
});
