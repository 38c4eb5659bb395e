import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompactProfile } from '../../protocol/profile.ts';
import { decodeCompactProfile, encodeCompactProfile } from './codec.ts';

function tiny(): CompactProfile {
  return {
    summary: {
      id: 'p1', name: 'cpu.pprof', source: 'file', format: 'pprof', sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }],
      defaultSampleType: 1, startTimeUnixNano: '1700000000000000000', durationNanos: '1000000000', service: '', sampleCount: 2, traceIds: [],
    },
    strings: ['', 'main', 'work', 'main.go'],
    frameFunction: Uint32Array.of(1, 2), frameFile: Uint32Array.of(3, 3), frameLine: Uint32Array.of(10, 20), frameColumn: Uint32Array.of(0, 0),
    frameKind: Uint8Array.of(0, 0), stackParent: Int32Array.of(-1, 0), stackFrame: Uint32Array.of(0, 1), sampleStack: Uint32Array.of(1, 0),
    sampleValues: Float64Array.of(3, 30e6, 1, 10e6), sampleTimeMs: new Float64Array(0), sampleLabelStart: new Uint32Array(0),
    labelKey: new Uint32Array(0), labelValue: new Uint32Array(0),
  };
}

describe('compact profile codec', () => {
  it('round-trips every array and the header', () => {
    const p = tiny();
    const back = decodeCompactProfile(encodeCompactProfile(p));
    assert.deepEqual(back, p);
  });

  it('reads from an unaligned copy, and refuses truncated or foreign bytes', () => {
    const bytes = encodeCompactProfile(tiny());
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    assert.deepEqual(decodeCompactProfile(shifted.subarray(3)).sampleValues, tiny().sampleValues);
    assert.throws(() => decodeCompactProfile(bytes.subarray(0, bytes.length - 16)), /truncated/);
    assert.throws(() => decodeCompactProfile(new TextEncoder().encode('{"not":"a profile"}')), /bad magic/);
  });
});
