// A large profile upload is decoded while it arrives (src/engine/profiles/bodyArrival.ts):
// the decoder thread reads a .cpuprofile's nodes from shared memory as the bytes come in.
// Proven on a real engine with uploads sent slowly in pieces: the profile is the one the
// file holds, whatever the format; an upload abandoned halfway fails alone and leaves
// the decoder ready for the next; broken files say what is wrong.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningEngine } from '../src/engine/server.ts';
import type { TopFunction } from '../src/protocol/profile.ts';
import { decodeProfile } from '../src/engine/profiles/decodeProfile.ts';
import { topFunctions } from '../src/engine/profiles/topFunctions.ts';
import { generateCpuProfile, generatePprof } from '../bench/profiles/generate.ts';
import { getJson, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(256); });
after(async () => { await running.close(); });

/** POSTs `bytes` in `pieces` writes with a pause after each; `abandonAfter`: stop there and close the connection. */
function slowUpload(bytes: Uint8Array, pieces: number, abandonAfter = pieces): Promise<{ status: number; body: { id?: string; error?: string } } | 'closed'> {
  return new Promise((resolve, reject) => {
    const req = request(`${running.httpUrl}/api/profiles?name=slow`, { method: 'POST', headers: { 'content-length': bytes.length } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as { id?: string; error?: string } }));
    });
    req.on('error', (err) => (abandonAfter < pieces ? resolve('closed') : reject(err)));
    void (async () => {
      const size = Math.ceil(bytes.length / pieces);
      for (let p = 0; p < pieces; p++) {
        if (p === abandonAfter) {
          req.destroy();
          resolve('closed');
          return;
        }
        req.write(bytes.subarray(p * size, (p + 1) * size));
        await sleep(15);
      }
      req.end();
    })();
  });
}

async function topOf(id: string): Promise<TopFunction[]> {
  const got = await getJson<TopFunction[]>(running.httpUrl, `/api/profiles/${id}/top?limit=15`);
  assert.equal(got.status, 200);
  return got.body;
}

function expectedTop(bytes: Uint8Array): { function: string; self: number; total: number }[] {
  return topFunctions(decodeProfile(bytes), 1, 15, 'self').map((f) => ({ function: f.function, self: f.self, total: f.total }));
}

describe('a large profile decoded as it arrives', () => {
  const cpu = generateCpuProfile(6 * 1024 * 1024, 3);

  it('is the profile the file holds, sent slowly in pieces', async () => {
    const res = await slowUpload(cpu, 40);
    assert.ok(res !== 'closed');
    assert.equal(res.status, 201, res.body.error);
    const top = await topOf(res.body.id!);
    assert.deepEqual(top.map((f) => ({ function: f.function, self: f.self, total: f.total })), expectedTop(cpu));
  });

  it('an upload abandoned halfway fails alone, and the next one decodes', async () => {
    assert.equal(await slowUpload(cpu, 20, 8), 'closed');
    const res = await slowUpload(cpu, 4);
    assert.ok(res !== 'closed');
    assert.equal(res.status, 201, res.body.error);
  });

  it('other large formats wait for the whole body: a raw pprof and a heap profile', async () => {
    const pprof = generatePprof(5 * 1024 * 1024, 2);
    const raw = decodeProfile(pprof);
    assert.ok(pprof[0] !== 0x1f && pprof.length > 4 * 1024 * 1024);
    const res = await slowUpload(pprof, 10);
    assert.ok(res !== 'closed');
    assert.equal(res.status, 201, res.body.error);
    assert.equal((await topOf(res.body.id!))[0].function, topFunctions(raw, raw.summary.defaultSampleType, 1, 'self')[0].function);

    const head = { callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [{ callFrame: { functionName: 'allocate', url: 'file:///a.js', lineNumber: 3, columnNumber: 1 }, selfSize: 4096, id: 2, children: [] }] };
    const heap = new TextEncoder().encode(JSON.stringify({ head, samples: Array.from({ length: 120_000 }, (_, i) => ({ size: 64, nodeId: 2, ordinal: i })) }));
    assert.ok(heap.length > 4 * 1024 * 1024);
    const heapRes = await slowUpload(heap, 6);
    assert.ok(heapRes !== 'closed');
    assert.equal(heapRes.status, 201, heapRes.body.error);
    assert.equal((await topOf(heapRes.body.id!))[0].function, 'allocate');
  });

  it('a broken large .cpuprofile says what is wrong', async () => {
    const broken = cpu.subarray(0, cpu.length - 100);
    const res = await slowUpload(broken, 8);
    assert.ok(res !== 'closed');
    assert.equal(res.status, 400);
    assert.match(res.body.error!, /cpuprofile.*does not parse.*truncated/);
  });
});
