// pprof files written by Go's runtime/pprof (fixtures from scripts/make-test-profiles.sh):
// decoded fully, and the top table checked against `go tool pprof -top -cum` on the same
// file (recorded next to it, and run live when Go is installed).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { FrameKind } from '../../protocol/profile.ts';
import { decodeProfile } from './decodeProfile.ts';
import { topFunctions } from './topFunctions.ts';
import { independentTotals, parsePprofTop, runGoPprofTop, type PprofRow } from './testSupport/pprofTop.ts';

const FIXTURES = join(__dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

function assertMatchesPprof(file: string, sampleType: string, rows: PprofRow[]): void {
  const profile = decodeProfile(fixture(file));
  const index = profile.summary.sampleTypes.findIndex((t) => t.type === sampleType);
  const top = new Map(topFunctions(profile, index, 1e6).map((r) => [r.function, r]));
  assert.ok(rows.length >= 10, `pprof listed ${rows.length} functions`);
  for (const row of rows) {
    const ours = top.get(row.function);
    assert.ok(ours, `${row.function} is missing from /top`);
    // pprof prints percentages rounded to 2 decimals (3 significant digits below 1%).
    assert.ok(Math.abs(ours.selfShare * 100 - row.flatPercent) <= 0.01, `${row.function} self ${ours.selfShare * 100}% vs pprof ${row.flatPercent}%`);
    assert.ok(Math.abs(ours.totalShare * 100 - row.cumPercent) <= 0.01, `${row.function} total ${ours.totalShare * 100}% vs pprof ${row.cumPercent}%`);
  }
  assert.equal(top.size, rows.length, 'the same functions as pprof lists');
}

describe('pprof from Go runtime/pprof', () => {
  it('decodes the CPU profile: sample types, period, time, labels, inlined frames', () => {
    const p = decodeProfile(fixture('go-cpu.pb.gz'));
    assert.equal(p.summary.format, 'pprof');
    assert.deepEqual(p.summary.sampleTypes, [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }]);
    assert.equal(p.summary.defaultSampleType, 1);
    assert.deepEqual(p.summary.periodType, { type: 'cpu', unit: 'nanoseconds' });
    assert.equal(p.summary.period, 10_000_000);
    assert.ok(BigInt(p.summary.startTimeUnixNano) > 1_600_000_000_000_000_000n);
    assert.ok(Number(p.summary.durationNanos) > 1e9);
    assert.deepEqual(new Set(p.summary.traceIds), new Set(['4bf92f3577b34da6a3ce929d0e0e4736', '0af7651916cd43dd8448eb211c80319c']));
    const raw = Profile.decode(gunzipSync(fixture('go-cpu.pb.gz')));
    assert.equal(p.summary.sampleCount, raw.sample.length);
    // Values kept per sample and per type, in order.
    raw.sample.forEach((s, i) => assert.deepEqual([p.sampleValues[2 * i], p.sampleValues[2 * i + 1]], s.value.map(Number)));
    // main.square is inlined into main.sumSquares: one location, two frames, the inlined one innermost.
    const name = (f: number) => p.strings[p.frameFunction[f]];
    const parentFrames = new Set<string>();
    for (let s = 0; s < p.stackParent.length; s++) {
      if (name(p.stackFrame[s]) === 'main.sumSquares' && p.stackParent[s] >= 0) parentFrames.add(name(p.stackFrame[p.stackParent[s]]));
    }
    assert.ok(parentFrames.has('main.main.func2.1'), `sumSquares is called from ${[...parentFrames].join(', ')}`);
    const fib = [...p.frameFunction.keys()].find((f) => name(f) === 'main.fib')!;
    assert.match(p.strings[p.frameFile[fib]], /main\.go$/);
    assert.ok(p.frameLine[fib] >= 19 && p.frameLine[fib] <= 24);
    assert.equal(p.frameKind[fib], FrameKind.Code);
  });

  it('keeps span and trace labels per sample', () => {
    const p = decodeProfile(fixture('go-cpu.pb.gz'));
    const fibSamples = new Set<string>();
    for (let i = 0; i < p.sampleStack.length; i++) {
      const labels: Record<string, string> = {};
      for (let j = p.sampleLabelStart[i]; j < p.sampleLabelStart[i + 1]; j++) labels[p.strings[p.labelKey[j]]] = p.strings[p.labelValue[j]];
      let s = p.sampleStack[i];
      let inFib = false;
      for (; s >= 0; s = p.stackParent[s]) if (p.strings[p.frameFunction[p.stackFrame[s]]] === 'main.fib') inFib = true;
      if (inFib) fibSamples.add(`${labels.trace_id}/${labels.span_id}`);
    }
    assert.deepEqual([...fibSamples], ['4bf92f3577b34da6a3ce929d0e0e4736/00f067aa0ba902b7']);
  });

  it('decodes the allocation profile with all four sample types, alloc_space by default', () => {
    const p = decodeProfile(fixture('go-allocs.pb.gz'));
    assert.deepEqual(p.summary.sampleTypes.map((t) => `${t.type}/${t.unit}`), ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes']);
    assert.equal(p.summary.sampleTypes[p.summary.defaultSampleType].type, 'alloc_space');
  });

  for (const [file, sampleType, recorded] of [
    ['go-cpu.pb.gz', 'cpu', 'go-cpu.top.txt'],
    ['go-allocs.pb.gz', 'alloc_space', 'go-allocs.alloc_space.top.txt'],
    ['go-allocs.pb.gz', 'alloc_objects', 'go-allocs.alloc_objects.top.txt'],
  ] as const) {
    it(`${file} ${sampleType}: self and total shares match the recorded go tool pprof -top -cum to 0.01`, () => {
      assertMatchesPprof(file, sampleType, parsePprofTop(fixture(recorded).toString('utf8')));
    });

    it(`${file} ${sampleType}: match go tool pprof run now (when Go is installed)`, (t) => {
      const live = runGoPprofTop(join(FIXTURES, file), sampleType === 'cpu' ? undefined : sampleType);
      if (live === undefined) return t.skip('go is not installed');
      assertMatchesPprof(file, sampleType, parsePprofTop(live));
    });

    it(`${file} ${sampleType}: self and total equal figures computed independently from the protobuf`, () => {
      const p = decodeProfile(fixture(file));
      const index = p.summary.sampleTypes.findIndex((t) => t.type === sampleType);
      const expected = independentTotals(fixture(file), index);
      const rows = topFunctions(p, index, 1e6);
      assert.equal(rows.length, expected.total.size);
      for (const r of rows) {
        assert.equal(r.self, expected.self.get(r.function) ?? 0, `self of ${r.function}`);
        assert.equal(r.total, expected.total.get(r.function), `total of ${r.function}`);
        assert.equal(r.totalShare, r.total / expected.grand);
      }
    });
  }
});
