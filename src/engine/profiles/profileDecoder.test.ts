// Decoding on the worker thread: the same profile as in-thread decoding, errors with the
// same messages, and the event loop free meanwhile.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateCpuProfile } from '../../../bench/profiles/generate.ts';
import { decodeProfile } from './decodeProfile.ts';
import { decodeProfileOffThread } from './profileDecoder.ts';
import { ProfileDecodeError } from './profileError.ts';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

describe('the profile decoder thread', () => {
  it('gives the same compact profile as decoding in-thread', async () => {
    const bytes = fixture('go-cpu.pb.gz');
    const expected = decodeProfile(bytes);
    const got = await decodeProfileOffThread(new Uint8Array(bytes), 1 << 30);
    assert.deepEqual(got.summary, expected.summary);
    assert.deepEqual(got.strings, expected.strings);
    assert.deepEqual([...got.stackParent], [...expected.stackParent]);
    assert.deepEqual([...got.sampleStack], [...expected.sampleStack]);
    assert.deepEqual([...got.sampleValues], [...expected.sampleValues]);
    assert.deepEqual([...got.labelValue], [...expected.labelValue]);
  });

  it('reports a damaged file as a ProfileDecodeError that names the format', async () => {
    await assert.rejects(decodeProfileOffThread(new Uint8Array(fixture('go-cpu.pb.gz').subarray(0, 300)), 1 << 30), (err: Error) => {
      assert.ok(err instanceof ProfileDecodeError);
      assert.match(err.message, /not a valid pprof profile.*gzip stream is damaged or truncated/);
      return true;
    });
  });

  it('leaves the event loop free while a large profile decodes', async () => {
    const bytes = generateCpuProfile(8 * 1024 * 1024);
    let turns = 0;
    let decoding = true;
    const spin = () => { if (decoding) { turns++; setImmediate(spin); } };
    spin();
    const profile = await decodeProfileOffThread(new Uint8Array(bytes), 1 << 30);
    decoding = false;
    assert.ok(profile.summary.sampleCount > 100_000);
    // Decoding in-thread would give the loop no turn until it returned.
    assert.ok(turns > 20, `the event loop turned ${turns} times while decoding`);
  });
});
