// The profile API end to end on a real engine: import files, list (and filter by
// trace), the top table, the compact profile as JSON and as binary, merge, and the 4xx
// answers for bad input.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { MIN_PROFILE_UPLOAD_BYTES } from '../src/engine/api/profileRoutes.ts';
import { after, before, describe, it } from 'node:test';
import type { RunningEngine } from '../src/engine/server.ts';
import type { StatusResponse } from '../src/protocol/api.ts';
import type { ProfileSummary, TopFunction } from '../src/protocol/profile.ts';
import { decodeCompactProfile, PROFILE_MEDIA_TYPE } from '../src/shared/profile/codec.ts';
import { decodeProfile } from '../src/engine/profiles/decodeProfile.ts';
import { decoderTestSeam } from '../src/engine/profiles/profileDecoder.ts';
import { samplesByStack } from '../src/engine/profiles/samplesByStack.ts';
import { generateCpuProfile } from '../bench/profiles/generate.ts';
import { getJson, startTestEngine } from './support/engine.ts';

const fixture = (name: string) => readFileSync(join(__dirname, '../src/engine/profiles/fixtures', name));

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => { await running.close(); });

/** A POST that declares `length` bytes and sends none: the limit is checked before reading. */
function declaredUpload(length: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${running.httpUrl}/api/profiles`, { method: 'POST', headers: { 'content-length': length } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => {
        resolve({ status: res.statusCode!, body });
        req.destroy();
      });
    });
    req.on('error', (err) => { if (!req.destroyed) reject(err); });
    req.flushHeaders();
  });
}

async function importProfile(body: Uint8Array | string, query = ''): Promise<{ status: number; body: { id?: string; error?: string } }> {
  const res = await fetch(`${running.httpUrl}/api/profiles${query}`, { method: 'POST', body });
  return { status: res.status, body: (await res.json()) as { id?: string; error?: string } };
}

describe('the profile API', () => {
  let cpuId = '';
  let foldedId = '';

  it('imports a pprof file and lists it with its summary', async () => {
    const res = await importProfile(fixture('go-cpu.pb.gz'), '?name=go-cpu.pb.gz');
    assert.equal(res.status, 201);
    cpuId = res.body.id!;
    const { body } = await getJson<ProfileSummary[]>(running.httpUrl, '/api/profiles');
    const summary = body.find((p) => p.id === cpuId)!;
    assert.equal(summary.name, 'go-cpu.pb.gz');
    assert.equal(summary.source, 'import');
    assert.equal(summary.format, 'pprof');
    assert.equal(summary.sampleTypes[summary.defaultSampleType].type, 'cpu');
    const status = await getJson<StatusResponse>(running.httpUrl, '/api/status');
    assert.equal(status.body.counts.profiles, body.length);
  });

  it('filters the list by a trace id that samples carry', async () => {
    foldedId = (await importProfile('main;work 3\nmain;idle 1\n', '?name=plain.folded')).body.id!;
    const { body } = await getJson<ProfileSummary[]>(running.httpUrl, '/api/profiles?traceId=4BF92F3577B34DA6A3CE929D0E0E4736');
    assert.deepEqual(body.map((p) => p.id), [cpuId]);
    const none = await getJson<ProfileSummary[]>(running.httpUrl, `/api/profiles?traceId=${'0'.repeat(31)}1`);
    assert.deepEqual(none.body, []);
  });

  it('answers the top table for a sample type by name or index, sorted and limited', async () => {
    const bySelf = await getJson<TopFunction[]>(running.httpUrl, `/api/profiles/${cpuId}/top?sampleType=cpu&limit=3`);
    assert.equal(bySelf.status, 200);
    assert.equal(bySelf.body.length, 3);
    assert.ok(bySelf.body[0].self >= bySelf.body[1].self && bySelf.body[1].self >= bySelf.body[2].self);
    const byTotal = await getJson<TopFunction[]>(running.httpUrl, `/api/profiles/${cpuId}/top?sampleType=0&sort=total&limit=3`);
    const main = byTotal.body.find((r) => r.function === 'runtime.main')!;
    assert.equal(main.total, byTotal.body[0].total);
    assert.ok(Math.abs(main.totalShare - (await shareHolding('runtime.main'))) < 1e-12);
    const folded = await getJson<TopFunction[]>(running.httpUrl, `/api/profiles/${foldedId}/top`);
    assert.deepEqual(folded.body.map((r) => [r.function, r.self, r.total, r.selfShare, r.totalShare]), [
      ['work', 3, 3, 0.75, 0.75], ['idle', 1, 1, 0.25, 0.25], ['main', 0, 4, 0, 1],
    ]);
  });

  /** The share of the sample count (type 0) whose stacks hold `fn`, computed from the compact profile, not by /top. */
  async function shareHolding(fn: string): Promise<number> {
    const res = await fetch(`${running.httpUrl}/api/profiles/${cpuId}?format=binary`);
    const p = decodeCompactProfile(new Uint8Array(await res.arrayBuffer()));
    let holding = 0;
    let all = 0;
    for (let i = 0; i < p.sampleStack.length; i++) {
      const count = p.sampleValues[i * 2];
      all += count;
      for (let s = p.sampleStack[i]; s >= 0; s = p.stackParent[s]) {
        if (p.strings[p.frameFunction[p.stackFrame[s]]] === fn) {
          holding += count;
          break;
        }
      }
    }
    return holding / all;
  }

  it('sends the compact profile as binary on request and as JSON otherwise, with the same content', async () => {
    const binary = await fetch(`${running.httpUrl}/api/profiles/${cpuId}`, { headers: { accept: PROFILE_MEDIA_TYPE } });
    assert.equal(binary.headers.get('content-type'), PROFILE_MEDIA_TYPE);
    const fromBinary = decodeCompactProfile(new Uint8Array(await binary.arrayBuffer()));
    const json = await getJson<Record<string, unknown>>(running.httpUrl, `/api/profiles/${cpuId}`);
    assert.deepEqual(json.body.summary, fromBinary.summary);
    assert.deepEqual(json.body.strings, fromBinary.strings);
    assert.deepEqual(json.body.sampleValues, Array.from(fromBinary.sampleValues));
    assert.deepEqual(json.body.stackParent, Array.from(fromBinary.stackParent));
    assert.equal(fromBinary.summary.id, cpuId);
  });

  it('sends the samples merged by stack on request: fewer rows, the same weight per stack', async () => {
    // main and work take turns, so no two samples in a row share a stack.
    const frame = (functionName: string) => ({ functionName, scriptId: '1', url: 'file:///app.js', lineNumber: 3, columnNumber: 0 });
    const cpuprofile = JSON.stringify({
      nodes: [{ id: 1, callFrame: frame('(root)'), children: [2] }, { id: 2, callFrame: frame('main'), children: [3] }, { id: 3, callFrame: frame('work') }],
      startTime: 0, endTime: 700, samples: [2, 3, 2, 3, 3, 2, 3], timeDeltas: [100, 100, 120, 80, 100, 100, 100],
    });
    const id = (await importProfile(cpuprofile, '?name=turns.cpuprofile')).body.id!;
    const get = async (q: string) => decodeCompactProfile(new Uint8Array(await (await fetch(`${running.httpUrl}/api/profiles/${id}?format=binary${q}`)).arrayBuffer()));
    const [all, byStack] = [await get('&samples=all'), await get('&samples=by-stack')];
    const weights = (p: typeof all) => {
      const w = new Float64Array(p.stackParent.length);
      const types = p.summary.sampleTypes.length;
      p.sampleStack.forEach((s, i) => { w[s] += p.sampleValues[i * types + p.summary.defaultSampleType]; });
      return [...w];
    };
    assert.ok(byStack.sampleStack.length < all.sampleStack.length, `${byStack.sampleStack.length} rows by stack, ${all.sampleStack.length} in all`);
    assert.deepEqual(weights(byStack), weights(all));
    assert.equal(byStack.summary.sampleCount, all.summary.sampleCount);
    assert.equal(byStack.sampleTimeMs.length, 0);
    assert.equal(byStack.summary.hasSampleTimes, true);
    const bad = await getJson<{ error: string }>(running.httpUrl, `/api/profiles/${id}?samples=some`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /samples: expected "all".*"by-stack"/);
  });

  it('answers a .cpuprofile import once its samples merged by stack are known; reads that need more wait for the whole profile', async () => {
    const bytes = generateCpuProfile(3 * 1024 * 1024);
    const expected = decodeProfile(bytes);
    const id = (await importProfile(bytes, '?name=early.cpuprofile')).body.id!;
    // Asked at once, while the decoder may still be making the per-sample rows.
    const get = async (q: string) => decodeCompactProfile(new Uint8Array(await (await fetch(`${running.httpUrl}/api/profiles/${id}?format=binary${q}`)).arrayBuffer()));
    const [byStack, all, list, top] = await Promise.all([
      get('&samples=by-stack'), get('&samples=all'),
      getJson<ProfileSummary[]>(running.httpUrl, '/api/profiles'),
      getJson<TopFunction[]>(running.httpUrl, `/api/profiles/${id}/top?limit=3`),
    ]);
    const merged = samplesByStack(expected);
    assert.deepEqual([...byStack.sampleStack], [...merged.sampleStack]);
    assert.deepEqual([...byStack.sampleValues], [...merged.sampleValues]);
    assert.deepEqual(byStack.strings, expected.strings);
    assert.equal(byStack.summary.name, 'early.cpuprofile');
    assert.equal(byStack.summary.hasSampleTimes, true);
    assert.deepEqual([...all.sampleStack], [...expected.sampleStack]);
    assert.deepEqual([...all.sampleTimeMs], [...expected.sampleTimeMs]);
    assert.equal(list.body.find((p) => p.id === id)?.sampleCount, expected.summary.sampleCount);
    assert.equal(top.status, 200);
    assert.equal(top.body.length, 3);
    const again = await get('&samples=by-stack');
    assert.deepEqual(again.summary, byStack.summary);
    assert.deepEqual([...again.sampleValues], [...byStack.sampleValues]);
  });

  it('says why a profile answered early is missing when its whole decode then failed, and what to do', async () => {
    decoderTestSeam.failAfterByStack = 'decoding it ran out of memory (test)';
    let id = '';
    try {
      const res = await importProfile(generateCpuProfile(256 * 1024), '?name=doomed.cpuprofile');
      assert.equal(res.status, 201);
      id = res.body.id!;
    } finally {
      delete decoderTestSeam.failAfterByStack;
    }
    for (const path of [`/api/profiles/${id}`, `/api/profiles/${id}?samples=by-stack`, `/api/profiles/${id}/top`]) {
      const got = await getJson<{ error: string }>(running.httpUrl, path);
      assert.equal(got.status, 422, path);
      assert.match(got.body.error, new RegExp(`^profile ${id}'s import failed after its first view: decoding it ran out of memory \\(test\\)\\. .*import the file again.*--memory-budget-mb`));
    }
    const merge = await fetch(`${running.httpUrl}/api/profiles/merge`, { method: 'POST', body: JSON.stringify({ ids: [id] }) });
    assert.equal(merge.status, 422);
    assert.match(((await merge.json()) as { error: string }).error, /^merge: profile .* import failed after its first view/);
    const list = await getJson<ProfileSummary[]>(running.httpUrl, '/api/profiles');
    assert.equal(list.body.some((p) => p.id === id), false);
    // The decoder starts afresh for the next import.
    assert.equal((await importProfile('main;work 1\n')).status, 201);
  });

  it('merges profiles into a new one whose totals are the sums', async () => {
    const other = (await importProfile('main;work 5\nother 2\n')).body.id!;
    const res = await fetch(`${running.httpUrl}/api/profiles/merge`, { method: 'POST', body: JSON.stringify({ ids: [foldedId, other] }) });
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    const top = await getJson<TopFunction[]>(running.httpUrl, `/api/profiles/${id}/top?sort=total`);
    assert.deepEqual(top.body.map((r) => [r.function, r.self, r.total]), [['main', 0, 9], ['work', 8, 8], ['other', 2, 2], ['idle', 1, 1]]);
    const list = await getJson<ProfileSummary[]>(running.httpUrl, '/api/profiles');
    assert.match(list.body.find((p) => p.id === id)!.name, /^merged: plain\.folded \+ /);
  });

  it('says which format was expected and what went wrong for a bad file', async () => {
    const truncated = await importProfile(fixture('go-cpu.pb.gz').subarray(0, 500));
    assert.equal(truncated.status, 400);
    assert.match(truncated.body.error!, /pprof.*gzip stream is damaged or truncated/);
    const badJson = await importProfile('{"nodes": [1, 2');
    assert.equal(badJson.status, 400);
    assert.match(badJson.body.error!, /V8 \.cpuprofile.*does not parse/);
    const garbage = await importProfile(Buffer.from([0x08, 0x96, 0x01, 0xff, 0xff, 0x00, 0x13]));
    assert.equal(garbage.status, 400);
    assert.match(garbage.body.error!, /unrecognized profile/);
    const empty = await importProfile('');
    assert.equal(empty.status, 400);
    assert.match(empty.body.error!, /empty/);
  });

  it('answers 404, 400, 405 and 413 with clear messages', async () => {
    const missing = await getJson<{ error: string }>(running.httpUrl, '/api/profiles/999999/top');
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, /not in the store/);
    const badType = await getJson<{ error: string }>(running.httpUrl, `/api/profiles/${cpuId}/top?sampleType=wall`);
    assert.equal(badType.status, 400);
    assert.match(badType.body.error, /sampleType: this profile has 0 \(samples, count\), 1 \(cpu, nanoseconds\)/);
    const badMerge = await fetch(`${running.httpUrl}/api/profiles/merge`, { method: 'POST', body: '{"ids": []}' });
    assert.equal(badMerge.status, 400);
    const unknownMerge = await fetch(`${running.httpUrl}/api/profiles/merge`, { method: 'POST', body: JSON.stringify({ ids: [cpuId, 'nope'] }) });
    assert.equal(unknownMerge.status, 404);
    const wrongMethod = await fetch(`${running.httpUrl}/api/profiles/${cpuId}`, { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    const tooLarge = await declaredUpload(MIN_PROFILE_UPLOAD_BYTES + 1);
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.body, /larger than the limit of 536870912 bytes/);
  });

  it('refuses, with the figures, a profile larger than the whole memory budget instead of storing and evicting it', async () => {
    const small = await startTestEngine(0.002);
    try {
      const res = await fetch(`${small.httpUrl}/api/profiles`, { method: 'POST', body: fixture('go-cpu.pb.gz') });
      assert.equal(res.status, 413);
      const { error } = (await res.json()) as { error: string };
      assert.match(error, /the decoded profile needs \d+ MiB \([\d,]+ samples\), more than the engine's whole memory budget of 0 MiB.*loupe\.memoryBudgetMB/);
      const list = await getJson<ProfileSummary[]>(small.httpUrl, '/api/profiles');
      assert.deepEqual(list.body, []);
    } finally {
      await small.close();
    }
  });
});
