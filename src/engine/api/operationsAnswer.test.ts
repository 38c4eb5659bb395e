// The kept operations answer: gzip'd for a client that takes gzip, plain for one that does not.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { RunningEngine } from '../server.ts';
import { startTestEngine } from '../../../test/support/engine.ts';
import { tracesRequest, validSpan } from '../../../test/support/otlp.ts';
import { acceptsGzip } from './operationsAnswer.ts';

let running: RunningEngine;
before(async () => {
  running = await startTestEngine();
  await fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: tracesRequest([validSpan({ name: 'GET /gzip-me' })]) });
});
after(async () => { await running.close(); });

/** node:http, which (unlike fetch) leaves the body as it came. */
function get(path: string, acceptEncoding?: string): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${running.httpUrl}${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /api/operations', () => {
  it('sends the same JSON gzip\'d to a client that takes gzip, with its length', async () => {
    const plain = await get('/api/operations');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok((JSON.parse(plain.body.toString()) as { name: string }[]).some((op) => op.name === 'GET /gzip-me'));
    for (let ask = 0; ask < 2; ask++) {
      const zipped = await get('/api/operations', 'gzip, deflate, br');
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.equal(Number(zipped.headers['content-length']), zipped.body.length);
      assert.equal(zipped.headers.vary, 'accept-encoding');
      assert.deepEqual(gunzipSync(zipped.body), plain.body);
    }
    assert.equal((await get('/api/operations', 'br, gzip;q=0')).headers['content-encoding'], undefined);
  });

  it('reads Accept-Encoding as HTTP says', () => {
    assert.equal(acceptsGzip(undefined), false);
    assert.equal(acceptsGzip('identity'), false);
    assert.equal(acceptsGzip('gzip'), true);
    assert.equal(acceptsGzip('deflate, GZIP;q=0.5'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('gzip;q=0.0, *'), false);
    assert.equal(acceptsGzip('*'), true);
    assert.equal(acceptsGzip('*;q=0'), false);
  });
});
