import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { decodeProfile } from './decodeProfile.ts';
import { NumberScanThread } from './numberScan.ts';
import { decoderScript } from './threadScript.ts';

const scan = new NumberScanThread(decoderScript(__dirname)!);
after(() => scan.stop());

/** A .cpuprofile of `n` samples over a small tree, large enough (> 4 MiB) to be read on two threads. */
function cpuprofile(n: number, sampleText = (ids: number[]) => ids.join(',')): Uint8Array {
  const nodes = [{ id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [2, 3] }];
  for (let id = 2; id <= 40; id++) nodes.push({ id, callFrame: { functionName: `f${id}`, url: `file:///src/m${id % 7}.js`, lineNumber: id, columnNumber: 2 }, children: id * 2 + 2 <= 40 ? [id * 2, id * 2 + 1].filter((c) => c <= 40 && c !== 3) : [] });
  const ids = Array.from({ length: n }, (_, i) => 2 + ((i * 7919) % 39));
  const deltas = Array.from({ length: n }, (_, i) => 90 + (i % 37));
  return new TextEncoder().encode(`{"nodes":${JSON.stringify(nodes)},"startTime":0,"endTime":${n * 120},"samples":[${sampleText(ids)}],"timeDeltas":[${deltas.join(',')}]}`);
}

test('a large .cpuprofile decodes to the same profile with its numbers read on the second thread', () => {
  const bytes = cpuprofile(700_000);
  assert.ok(bytes.length > 4 * 1024 * 1024);
  let early = 0;
  const apart = decodeProfile(bytes, undefined, () => early++, scan);
  assert.equal(early, 1);
  assert.deepEqual(apart, decodeProfile(bytes));
  assert.equal(apart.summary.sampleCount, 700_000);
});

test('an array that is not all numbers (a string with a "]") is read again in one thread, with the same answer', () => {
  const bytes = cpuprofile(700_000, (ids) => `${ids.slice(0, -1).join(',')},"x]",${ids.at(-1)}`);
  assert.throws(() => decodeProfile(bytes, undefined, undefined, scan), /sample \d+ is not a node id/);
  assert.throws(() => decodeProfile(bytes), /sample \d+ is not a node id/);
});

test('a large heap profile keeps its "samples" objects', () => {
  const head = { callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [{ callFrame: { functionName: 'alloc', url: 'file:///a.js', lineNumber: 3, columnNumber: 1 }, selfSize: 4096, id: 2, children: [] }] };
  const samples = Array.from({ length: 120_000 }, (_, i) => ({ size: 64, nodeId: 2, ordinal: i }));
  const bytes = new TextEncoder().encode(JSON.stringify({ head, samples }));
  assert.ok(bytes.length > 4 * 1024 * 1024);
  assert.deepEqual(decodeProfile(bytes, undefined, undefined, scan), decodeProfile(bytes));
});

test('truncated JSON says so, read on two threads or one', () => {
  const whole = cpuprofile(700_000);
  for (const cut of [whole.length - 1, whole.length - 1000, Math.floor(whole.length * 0.6)]) {
    assert.throws(() => decodeProfile(whole.subarray(0, cut), undefined, undefined, scan), /does not parse|truncated/, `cut at ${cut}`);
  }
});
