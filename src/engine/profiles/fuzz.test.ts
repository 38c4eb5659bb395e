// Truncated and mutated profiles, a bounded number of each per format: every decoder
// either returns a usable profile or throws ProfileDecodeError; nothing else escapes and
// nothing hangs.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { mutate, random } from '../otlp/testSupport/mutation.ts';
import { encodeCompactProfile } from '../../shared/profile/codec.ts';
import { decodeProfile } from './decodeProfile.ts';
import { ProfileDecodeError } from './profileError.ts';
import { topFunctions } from './topFunctions.ts';

const goCpu = readFileSync(join(__dirname, 'fixtures', 'go-cpu.pb.gz'));

const cpuprofile = JSON.stringify({
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [2, 3, 4] },
    { id: 2, callFrame: { functionName: 'main', url: 'file:///app.js', lineNumber: 3, columnNumber: 9 }, hitCount: 3, children: [5] },
    { id: 3, callFrame: { functionName: '(idle)', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 2 },
    { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 1 },
    { id: 5, callFrame: { functionName: '', url: 'file:///app.js', lineNumber: 10, columnNumber: 2 }, hitCount: 4 },
  ],
  startTime: 1000, endTime: 2000, samples: [2, 5, 5, 3, 4, 5, 2, 3], timeDeltas: [10, 100, -5, 200, 50, 100, 100, 100],
});

const heapprofile = JSON.stringify({
  head: {
    callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1,
    children: [{ callFrame: { functionName: 'alloc', url: 'file:///a.js', lineNumber: 0, columnNumber: 0 }, selfSize: 4096, id: 2, children: [] }],
  },
  samples: [{ size: 4096, nodeId: 2, ordinal: 1 }],
});

const folded = 'main;a;b 10\nmain;a;c 5\nmain;d 1\n';

const INPUTS: [string, Buffer][] = [
  ['pprof gzip', goCpu],
  ['pprof raw', gunzipSync(goCpu)],
  ['cpuprofile', Buffer.from(cpuprofile)],
  ['heapprofile', Buffer.from(heapprofile)],
  ['folded', Buffer.from(folded)],
];

function tryDecode(bytes: Buffer, what: string): void {
  try {
    const p = decodeProfile(bytes);
    // Whatever decodes must also be usable.
    topFunctions(p, p.summary.defaultSampleType, 10);
    encodeCompactProfile(p);
  } catch (err) {
    if (!(err instanceof ProfileDecodeError)) assert.fail(`${what}: ${(err as Error).stack}`);
    assert.ok(err.message.length > 10, `${what}: a message that says something`);
  }
}

describe('profile decoders against damaged input', () => {
  for (const [name, bytes] of INPUTS) {
    it(`${name}: the original decodes`, () => {
      assert.ok(decodeProfile(bytes).summary.sampleCount > 0);
    });

    it(`${name}: every truncation fails cleanly or decodes`, () => {
      const step = Math.max(1, Math.floor(bytes.length / 300));
      for (let end = 0; end < bytes.length; end += step) tryDecode(bytes.subarray(0, end), `${name} cut at ${end}`);
    });

    it(`${name}: 500 random mutations fail cleanly or decode`, () => {
      const rand = random(name.length * 7919);
      for (let round = 0; round < 500; round++) tryDecode(mutate(bytes, rand), `${name} round ${round}`);
    });
  }

  it('a cpuprofile with negative deltas keeps time moving forward', () => {
    const p = decodeProfile(Buffer.from(cpuprofile));
    for (let i = 1; i < p.sampleTimeMs.length; i++) assert.ok(p.sampleTimeMs[i] >= p.sampleTimeMs[i - 1]);
    assert.ok([...p.sampleValues].every((v) => v >= 0));
  });
});
