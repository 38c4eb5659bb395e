// OTLP profiles: the same request decoded from protobuf and from JSON gives the same
// model, and that model becomes the compact profile with links as trace/span labels.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameKind } from '../../protocol/profile.ts';
import { compactOtlpProfile, InvalidProfileError } from '../profiles/otlpProfile.ts';
import { topFunctions } from '../profiles/topFunctions.ts';
import { decodeProfilesJson } from './json/profiles.ts';
import { decodeProfilesRequest } from './protobuf/profiles.ts';
import { DecodeError } from './protobuf/wire.ts';
import type { ProfilesData } from './profilesData.ts';
import { mutate, random } from './testSupport/mutation.ts';
import { profilesRequestProtobuf, sampleProfilesRequest } from './testSupport/profilesRequest.ts';

const request = sampleProfilesRequest();
const fromProtobuf = decodeProfilesRequest(profilesRequestProtobuf(request));
const fromJson = decodeProfilesJson(JSON.stringify(request));

describe('OTLP profiles decoding', () => {
  it('decodes protobuf and JSON to the same model', () => {
    assert.deepEqual(fromProtobuf, fromJson);
  });

  it('reads the dictionary tables and the samples as sent', () => {
    const d = fromProtobuf.dictionary!;
    assert.equal(d.stringTable[10], 'inlinedHelper');
    assert.deepEqual(d.stackTable[2], [3, 2, 1]);
    assert.deepEqual(d.locationTable[3].lines.map((l) => l.functionIndex), [4, 3]);
    assert.equal(d.locationTable[4].address, '4660');
    assert.deepEqual(d.linkTable[1], { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
    const p = fromProtobuf.resourceProfiles![0].scopeProfiles![0].profiles![0];
    assert.equal(p.timeUnixNano, '1700000000000000000');
    assert.equal(p.period, 10_000_000);
    assert.equal(p.profileId, '0102030405060708090a0b0c0d0e0f10');
    assert.deepEqual(p.samples[1], { stackIndex: 2, attributeIndices: [1], linkIndex: 1, values: [30, 20], timestampsUnixNano: [1700000000100000000, 1700000000200000000] });
  });

  it('builds the compact profile: inlined frames, native frames, labels from attributes and links', () => {
    const p = fromProtobuf.resourceProfiles![0].scopeProfiles![0].profiles![0];
    const c = compactOtlpProfile(p, fromProtobuf.dictionary!, fromProtobuf.resourceProfiles![0].resource!);
    assert.equal(c.summary.service, 'checkout');
    assert.deepEqual(c.summary.sampleTypes, [{ type: 'cpu', unit: 'nanoseconds' }]);
    assert.deepEqual(c.summary.traceIds, ['a'.repeat(32)]);
    assert.equal(c.summary.sampleCount, 4, 'one sample per value/timestamp');
    const rows = new Map(topFunctions(c, 0, 100).map((r) => [r.function, [r.self, r.total]]));
    assert.deepEqual(Object.fromEntries(rows), {
      main: [0, 61], handle: [10, 61], parse: [0, 51], inlinedHelper: [50, 51], 'libc.so.6 0x1234': [1, 1],
    });
    const native = c.strings.indexOf('libc.so.6 0x1234');
    const f = [...c.frameFunction].indexOf(native);
    assert.equal(c.frameKind[f], FrameKind.Native);
    assert.equal(c.strings[c.frameFile[f]], '/lib/libc.so.6');
    const labels = (i: number) => Object.fromEntries(Array.from({ length: c.sampleLabelStart[i + 1] - c.sampleLabelStart[i] }, (_, k) => {
      const j = c.sampleLabelStart[i] + k;
      return [c.strings[c.labelKey[j]], c.strings[c.labelValue[j]]];
    }));
    assert.deepEqual(labels(1), { 'thread.name': 'worker-1', trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) });
    assert.deepEqual(labels(0), {});
  });

  it('rejects a profile whose indices point outside the dictionary', () => {
    const p = fromProtobuf.resourceProfiles![0].scopeProfiles![0].profiles![1];
    assert.throws(() => compactOtlpProfile(p, fromProtobuf.dictionary!, {}), (e: Error) => e instanceof InvalidProfileError && /stack 99.*stack table has 4/.test(e.message));
  });

  it('fails with DecodeError on damaged bytes and bad JSON fields, naming the field', () => {
    const bytes = profilesRequestProtobuf(request);
    assert.throws(() => decodeProfilesRequest(bytes.subarray(0, bytes.length - 3)), DecodeError);
    const bad = sampleProfilesRequest();
    bad.dictionary.stackTable[1].locationIndices = ['x'];
    assert.throws(() => decodeProfilesJson(JSON.stringify(bad)), /dictionary\.stackTable\[1\]\.locationIndices\[0\]: expected an integer/);
  });

  it('survives 1000 mutated requests in each encoding: a DecodeError or InvalidProfileError, nothing else', () => {
    const rand = random(20261202);
    const protobuf = profilesRequestProtobuf(request);
    const json = Buffer.from(JSON.stringify(request));
    for (let round = 0; round < 1000; round++) {
      for (const [name, bytes, decode] of [
        ['protobuf', protobuf, decodeProfilesRequest],
        ['json', json, (b: Buffer) => decodeProfilesJson(b.toString('utf8'))],
      ] as const) {
        let data: ProfilesData;
        try {
          data = decode(mutate(bytes, rand));
        } catch (err) {
          assert.ok(err instanceof DecodeError, `${name} round ${round}: ${(err as Error).stack}`);
          continue;
        }
        for (const rp of data.resourceProfiles ?? []) for (const sp of rp.scopeProfiles ?? []) for (const p of sp.profiles ?? []) {
          try {
            compactOtlpProfile(p, data.dictionary ?? fromProtobuf.dictionary!, rp.resource ?? {});
          } catch (err) {
            assert.ok(err instanceof InvalidProfileError, `${name} round ${round}: ${(err as Error).stack}`);
          }
        }
      }
    }
  });
});
