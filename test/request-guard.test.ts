// Web pages cannot use the browser to reach the engine: DNS-rebinding host names are
// refused, and other sites cannot change data. Tools, SDKs and the UI itself can.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

let running: RunningEngine;
before(async () => {
  running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 16 * 1048576, maxBodyBytes: 1048576, allowedHosts: ['devbox.example'] });
});
after(async () => { await running.close(); });

/** A raw request, so the Host and Origin headers are exactly what a browser would send. */
function send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: running.httpPort, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the engine, listening on loopback', () => {
  const port = () => running.httpPort;

  it('answers requests naming 127.0.0.1, localhost or an allowed host', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `devbox.example:${port()}`, `app.localhost:${port()}`]) {
      assert.equal((await send('GET', '/api/status', { host })).status, 200, host);
    }
  });

  it('refuses a host name that could come from DNS rebinding, for the API and for OTLP', async () => {
    const host = `attacker.example:${port()}`;
    const status = await send('GET', '/api/status', { host });
    assert.equal(status.status, 403);
    assert.match(status.text, /loopback only.*--allowed-hosts/);
    const otlp = await send('POST', '/v1/traces', { host, 'content-type': 'application/x-protobuf' }, tracesRequest([validSpan()]));
    assert.equal(otlp.status, 403);
  });

  it('refuses changes requested by another site, and allows the UI’s own', async () => {
    const host = `127.0.0.1:${port()}`;
    assert.equal((await send('DELETE', '/api/data', { host, origin: 'https://evil.example' })).status, 403);
    assert.equal((await send('POST', '/api/shutdown', { host, origin: 'https://evil.example' })).status, 403);
    assert.equal((await send('DELETE', '/api/data', { host, origin: `http://${host}` })).status, 200);
    // Reads too: what is stored may hold secrets, and a no-cors GET still has effects (an SSE client kept).
    assert.equal((await send('GET', '/api/status', { host, origin: 'https://evil.example' })).status, 403);
  });

  it('lets web apps served on localhost send OTLP, with CORS answers', async () => {
    const host = `127.0.0.1:${port()}`;
    const origin = 'http://localhost:3000';
    const preflight = await send('OPTIONS', '/v1/traces', { host, origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    assert.equal(preflight.status, 204);
    const sent = await sendWithHeaders('POST', '/v1/traces', { host, origin, 'content-type': 'application/x-protobuf' }, tracesRequest([validSpan()]));
    assert.equal(sent.status, 200);
    assert.equal(sent.headers['access-control-allow-origin'], origin);
    const foreign = await send('POST', '/v1/traces', { host, origin: 'https://evil.example', 'content-type': 'application/x-protobuf' }, tracesRequest([validSpan()]));
    assert.equal(foreign.status, 403);
    assert.match(foreign.text, /served on localhost/);
    assert.equal((await send('OPTIONS', '/v1/traces', { host, origin: 'https://evil.example' })).status, 403);
  });
});

function sendWithHeaders(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: running.httpPort, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
