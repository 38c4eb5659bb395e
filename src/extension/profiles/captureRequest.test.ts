// Capturing from a pprof endpoint: the URL as typed, the wait bounded by `seconds`,
// cancel, and the failures a user meets (nothing listening, 404, an empty answer).

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { captureTarget, fetchProfile } from './captureRequest.ts';

let server: Server;
let base: string;
const seen: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/debug/pprof/profile') {
      // Answers after the capture, as Go's handler does.
      const wait = Number(url.searchParams.get('seconds') ?? 30) * 1000;
      setTimeout(() => { res.writeHead(200, { 'content-type': 'application/octet-stream' }); res.end(Buffer.from([0x1f, 0x8b, 8, 0])); }, Math.min(wait, 300));
    } else if (url.pathname === '/empty') res.end();
    else { res.writeHead(404); res.end('404 page not found'); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

describe('capture targets', () => {
  it('reads seconds, completes the path, and refuses what cannot work', () => {
    assert.deepEqual(captureTarget('localhost:6060').url.href, 'http://localhost:6060/debug/pprof/profile');
    assert.equal(captureTarget('localhost:6060').seconds, 30);
    assert.equal(captureTarget('http://a:1/debug/pprof/profile?seconds=5').seconds, 5);
    assert.throws(() => captureTarget('ftp://a/x'), /http or https/);
    assert.throws(() => captureTarget('http://a/x?seconds=-1'), /1 to 3600/);
    assert.throws(() => captureTarget('http://[bad'), /not a URL/);
  });
});

describe('fetching a profile', () => {
  it('returns the bytes the endpoint sends after the capture', async () => {
    const { url, seconds } = captureTarget(`${base}/debug/pprof/profile?seconds=1`);
    assert.deepEqual(Array.from(await fetchProfile(url, seconds)), [0x1f, 0x8b, 8, 0]);
    assert.ok(seen.includes('/debug/pprof/profile?seconds=1'));
  });

  it('says what went wrong: 404, empty, nothing listening, cancelled', async () => {
    await assert.rejects(fetchProfile(new URL(`${base}/nope`), 1), /answered 404 Not Found: 404 page not found\. Is net\/http\/pprof imported/);
    await assert.rejects(fetchProfile(new URL(`${base}/empty`), 1), /sent an empty profile/);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await assert.rejects(fetchProfile(new URL(`http://127.0.0.1:${port}/debug/pprof/profile`), 1), /Nothing listens at 127\.0\.0\.1:\d+/);
    const cancel = new AbortController();
    const pending = fetchProfile(new URL(`${base}/debug/pprof/profile?seconds=30`), 30, cancel.signal);
    cancel.abort();
    await assert.rejects(pending, /Capture cancelled/);
  });
});
