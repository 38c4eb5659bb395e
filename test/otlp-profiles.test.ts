// OTLP profiles end to end: /v1development/profiles over HTTP (protobuf and JSON) and
// ProfilesService/Export over gRPC into the store, the API and /api/status; errors as
// the OTLP specification says.

import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { after, before, describe, it } from 'node:test';
import { profilesRequestProtobuf, sampleProfilesRequest } from '../src/engine/otlp/testSupport/profilesRequest.ts';
import { WireReader } from '../src/engine/otlp/protobuf/wire.ts';
import type { RunningEngine } from '../src/engine/server.ts';
import type { StatusResponse } from '../src/protocol/api.ts';
import type { ProfileSummary, TopFunction } from '../src/protocol/profile.ts';
import { getJson, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => { await running.close(); });

const TRACE = 'a'.repeat(32);

function post(body: Uint8Array | string, contentType: string): Promise<Response> {
  return fetch(`${running.httpUrl}/v1development/profiles`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

/** ExportProfilesServiceResponse { partial_success = 1 { rejected_profiles = 1; error_message = 2 } }. */
function partialSuccess(bytes: Buffer): { rejected: number; message: string } {
  const out = { rejected: 0, message: '' };
  const outer = WireReader.of(bytes);
  while (!outer.done) {
    outer.tag();
    const r = new WireReader(outer.buf, outer.pos + 1, outer.delimitedEnd());
    outer.pos = r.end;
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === 8) out.rejected = r.uint32();
      else if (tag === 18) out.message = r.string();
      else r.skip(tag & 7);
    }
  }
  return out;
}

async function otlpProfiles(): Promise<ProfileSummary[]> {
  return (await getJson<ProfileSummary[]>(running.httpUrl, '/api/profiles')).body.filter((p) => p.source === 'otlp');
}

describe('OTLP profiles receivers', () => {
  it('takes protobuf over HTTP: stores the good profile, rejects the bad one in partial_success', async () => {
    const res = await post(profilesRequestProtobuf(sampleProfilesRequest()), 'application/x-protobuf');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
    const partial = partialSuccess(Buffer.from(await res.arrayBuffer()));
    assert.equal(partial.rejected, 1);
    assert.match(partial.message, /1 profiles rejected: 1 × sample 0 names stack 99/);
    const [summary] = await otlpProfiles();
    assert.equal(summary.format, 'otlp');
    assert.equal(summary.service, 'checkout');
    assert.equal(summary.startTimeUnixNano, '1700000000000000000');
    assert.match(summary.name, /^checkout cpu 2023-11-14T22:13:20/);
    const top = await getJson<TopFunction[]>(running.httpUrl, `/api/profiles/${summary.id}/top`);
    assert.deepEqual(top.body.map((r) => [r.function, r.self, r.total]), [
      ['inlinedHelper', 50, 51], ['handle', 10, 61], ['libc.so.6 0x1234', 1, 1], ['main', 0, 61], ['parse', 0, 51],
    ]);
  });

  it('takes JSON over HTTP and answers partial_success in JSON', async () => {
    const res = await post(JSON.stringify(sampleProfilesRequest()), 'application/json');
    assert.equal(res.status, 200);
    const body = (await res.json()) as { partialSuccess: { rejectedProfiles: string; errorMessage: string } };
    assert.equal(body.partialSuccess.rejectedProfiles, '1');
    assert.equal((await otlpProfiles()).length, 2);
  });

  it('lists the profiles whose samples are linked to a trace', async () => {
    const { body } = await getJson<ProfileSummary[]>(running.httpUrl, `/api/profiles?traceId=${TRACE}`);
    assert.equal(body.length, 2);
    assert.ok(body.every((p) => p.traceIds.includes(TRACE)));
  });

  it('takes ProfilesService/Export over gRPC, and answers bad bytes with INVALID_ARGUMENT', async () => {
    const client = new grpc.Client(running.grpcAddress, grpc.credentials.createInsecure());
    const identity = (b: Buffer) => b;
    const call = (body: Buffer) => new Promise<{ err: grpc.ServiceError | null; response?: Buffer }>((resolve) =>
      client.makeUnaryRequest('/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export', identity, identity, body,
        (err, response) => resolve({ err, response })));
    const ok = await call(profilesRequestProtobuf(sampleProfilesRequest()));
    assert.equal(ok.err, null);
    assert.equal(partialSuccess(ok.response!).rejected, 1);
    assert.equal((await otlpProfiles()).length, 3);
    const bad = await call(Buffer.from([0x12, 0x05, 0x2a]));
    assert.equal(bad.err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(bad.err!.details, /cannot decode the OTLP profiles request/);
    client.close();
  });

  it('answers 400 for undecodable bodies and 415 for other content types', async () => {
    const garbage = await post(Buffer.from([0x12, 0xff, 0x01]), 'application/x-protobuf');
    assert.equal(garbage.status, 400);
    const badJson = await post('{"resourceProfiles": [{"scopeProfiles": 3}]}', 'application/json');
    assert.equal(badJson.status, 400);
    assert.match(((await badJson.json()) as { message: string }).message, /resourceProfiles\[0\]\.scopeProfiles: expected an array/);
    const text = await post('hello', 'text/plain');
    assert.equal(text.status, 415);
  });

  it('counts profiles in /api/status and in the memory budget', async () => {
    const { body } = await getJson<StatusResponse>(running.httpUrl, '/api/status');
    assert.equal(body.counts.profiles, 3);
    assert.equal(running.engine.profiles.memoryBytes > 0, true);
    assert.ok(body.memoryBytes >= running.engine.profiles.memoryBytes);
  });
});
