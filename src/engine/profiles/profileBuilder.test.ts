import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameKind } from '../../protocol/profile.ts';
import { ProfileBuilder } from './profileBuilder.ts';

describe('the profile builder\'s labels', () => {
  it('keeps no label starts for a profile without labels, and starts them from the first sample once one has labels', () => {
    const make = () => new ProfileBuilder({ format: 'pprof', sampleTypes: [{ type: 'samples', unit: 'count' }], defaultSampleType: 0, startTimeUnixNano: '0', durationNanos: '0' });
    const plain = make();
    const a = plain.stack(-1, plain.frame({ function: 'a', file: '', line: 0, column: 0, kind: FrameKind.Code }));
    plain.samples(Uint32Array.of(a, a), Float64Array.of(1, 2));
    plain.sample(a, [3]);
    assert.equal(plain.finish().sampleLabelStart.length, 0);

    // Unlabelled samples (one by one and in bulk), then labelled ones, then unlabelled again.
    const b = make();
    const s = b.stack(-1, b.frame({ function: 'a', file: '', line: 0, column: 0, kind: FrameKind.Code }));
    const t = b.stack(s, b.frame({ function: 'b', file: '', line: 0, column: 0, kind: FrameKind.Code }));
    b.sample(s, [1]);
    b.samples(Uint32Array.of(t), Float64Array.of(2));
    b.sample(t, [3], undefined, ['span_id', 'x', 'thread', '1']);
    b.sample(s, [4]);
    b.sample(s, [5], undefined, ['span_id', 'y']);
    b.samples(Uint32Array.of(t, s), Float64Array.of(6, 7));
    const p = b.finish();
    assert.deepEqual([...p.sampleStack], [s, t, t, s, s, t, s]);
    assert.deepEqual([...p.sampleLabelStart], [0, 0, 0, 2, 2, 3, 3, 3]);
    assert.deepEqual([...p.labelKey].map((k) => p.strings[k]), ['span_id', 'thread', 'span_id']);
    assert.deepEqual([...p.labelValue].map((v) => p.strings[v]), ['x', '1', 'y']);
  });
});
