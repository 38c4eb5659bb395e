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

describe('compact profile codec: packed sample columns', () => {
  const times = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  function cpuLike(n: number, timeOf: (i: number) => number, valueOf: (i: number) => number): CompactProfile {
    const p = tiny();
    p.summary = { ...p.summary, sampleCount: n };
    p.sampleStack = Uint32Array.from({ length: n }, (_, i) => i % 2);
    p.sampleValues = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) { p.sampleValues[2 * i] = 1; p.sampleValues[2 * i + 1] = valueOf(i); }
    p.sampleTimeMs = times(n, timeOf);
    return p;
  }

  it('gives back the same values, times and totals for whole-number, fractional and constant columns', () => {
    const cases = [
      cpuLike(1000, (i) => (i * 1000 + (i % 7)) / 1000, (i) => 1000 + (i % 7)),
      cpuLike(1000, (i) => 1.7e12 + i * 0.125, (i) => i * 0.5),
      cpuLike(1000, (i) => Math.sqrt(i), () => -3),
      cpuLike(500, (i) => 500 - i, (i) => 2 ** 33 + i),
      cpuLike(0, () => 0, () => 0),
      cpuLike(300, (i) => i / 1000, (i) => i % 200),
      cpuLike(300, (i) => (i * 70_000) / 1000, (i) => 2 ** 20 + i),
    ];
    for (const p of cases) {
      const back = decodeCompactProfile(encodeCompactProfile(p));
      assert.deepEqual(back, p);
      const total = (q: CompactProfile, t: number) => q.sampleValues.reduce((sum, v, i) => (i % 2 === t ? sum + v : sum), 0);
      assert.equal(total(back, 0), total(p, 0));
      assert.equal(total(back, 1), total(p, 1));
    }
  });

  it('packs a .cpuprofile-like profile to well under its in-memory size', () => {
    const p = cpuLike(100_000, (i) => (i * 1037) / 1000, (i) => 1000 + (i % 90));
    const held = p.sampleStack.byteLength + p.sampleValues.byteLength + p.sampleTimeMs.byteLength;
    const sent = encodeCompactProfile(p).byteLength;
    assert.ok(sent < held / 2, `${sent} bytes sent for ${held} held`);
    assert.deepEqual(decodeCompactProfile(encodeCompactProfile(p)).sampleTimeMs, p.sampleTimeMs);
  });

  it('refuses a header whose column codings are missing or unknown', () => {
    const bytes = encodeCompactProfile(tiny());
    const view = new DataView(bytes.buffer);
    const headerLength = view.getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as Record<string, unknown>;
    for (const broken of [{ ...header, values: undefined }, { ...header, times: { kind: 'zip' } }, { ...header, values: [{ kind: 'delta', base: 0.5, bytes: 4 }, { kind: 'uint', bytes: 4 }] }, { ...header, values: [{ kind: 'uint', bytes: 3 }, { kind: 'uint', bytes: 4 }] }]) {
      const text = new TextEncoder().encode(JSON.stringify(broken));
      const out = new Uint8Array(12 + text.length);
      out.set(bytes.subarray(0, 12));
      new DataView(out.buffer).setUint32(8, text.length, true);
      out.set(text, 12);
      assert.throws(() => decodeCompactProfile(out), /column codings/);
    }
  });
});

describe('compact profile codec: values that do not fit the sample types', () => {
  it('still round-trips them, and stays stable when decoded and encoded again', () => {
    const p = tiny();
    p.sampleValues = Float64Array.of(1, 2, 3);
    const once = encodeCompactProfile(p);
    assert.deepEqual(decodeCompactProfile(once).sampleValues, p.sampleValues);
    assert.deepEqual(encodeCompactProfile(decodeCompactProfile(once)), once);
  });
});
