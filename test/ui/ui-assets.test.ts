// The engine serves the UI: the page and its assets with the right types and a strict
// Content-Security-Policy, nothing outside the UI folder, and the back-links API the
// waterfall uses.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunningEngine } from '../../src/engine/server.ts';
import type { BackLinksResponse } from '../../src/protocol/api.ts';
import { getJson, startTestEngine } from '../support/engine.ts';
import { buildUi } from './support/browser.ts';
import { span, TraceRecorder } from './support/sdkTraces.ts';

let running: RunningEngine;
before(async () => {
  buildUi();
  running = await startTestEngine();
});
after(async () => { await running.close(); });

/** A GET with the path sent exactly as written (fetch would normalize `..`). */
function rawGet(path: string, method = 'GET'): Promise<{ status: number; type: string; csp: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: running.httpPort, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), csp: String(res.headers['content-security-policy'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the UI assets', () => {
  it('serve the page at / with a strict Content-Security-Policy and no inline script', async () => {
    const page = await rawGet('/');
    assert.equal(page.status, 200);
    assert.equal(page.type, 'text/html; charset=utf-8');
    assert.match(page.csp, /default-src 'none'/);
    assert.match(page.csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(page.csp, /unsafe-inline|unsafe-eval/);
    assert.match(page.body, /<script defer src="assets\/main\.js"><\/script>/);
    assert.doesNotMatch(page.body, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline <script>');
    assert.doesNotMatch(page.body, /\son[a-z]+=/i, 'no inline event handlers');
  });

  it('serve the script and stylesheet with their content types', async () => {
    const js = await rawGet('/assets/main.js');
    assert.equal(js.status, 200);
    assert.equal(js.type, 'text/javascript; charset=utf-8');
    const css = await rawGet('/assets/main.css');
    assert.equal(css.type, 'text/css; charset=utf-8');
  });

  it('answer 404 for unknown assets and for every way out of the UI folder', async () => {
    for (const path of ['/assets/nope.js', '/assets/../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json',
      '/assets/.hidden.js', '/assets/main.js%00.css', '/assets/%5c..%5cpackage.json', '/assets/', '/assets/engine.js', '/index.html/../../package.json']) {
      const res = await rawGet(path);
      assert.ok(res.status === 404, `${path} answered ${res.status}`);
      assert.doesNotMatch(res.body, /"name": "loupe"/);
    }
  });

  it('refuse other methods', async () => {
    assert.equal((await rawGet('/', 'POST')).status, 405);
  });
});

describe('back-links', () => {
  it('list the spans of other traces that link into a trace, and not its own spans', async () => {
    const rec = new TraceRecorder();
    const tracer = rec.tracer('producer');
    const t0 = Date.now() - 1000;
    const target = span(tracer, 'enqueue order', undefined, t0, t0 + 5);
    const child = span(tracer, 'write message', target, t0 + 1, t0 + 2);
    const consumer = rec.tracer('consumer');
    const linker = span(consumer, 'process order', undefined, t0 + 10, t0 + 20, { links: [{ context: child.spanContext() }] });
    span(consumer, 'unrelated', undefined, t0 + 30, t0 + 40);
    await rec.send(running.httpUrl);

    const { status, body } = await getJson<BackLinksResponse>(running.httpUrl, `/api/traces/${target.spanContext().traceId}/backlinks`);
    assert.equal(status, 200);
    assert.deepEqual(body.backlinks.map((b) => [b.traceId, b.spanId, b.name, b.service, b.linkedSpanId]), [
      [linker.spanContext().traceId, linker.spanContext().spanId, 'process order', 'consumer', child.spanContext().spanId],
    ]);
    assert.equal(body.truncated, false);
    const none = await getJson<BackLinksResponse>(running.httpUrl, `/api/traces/${linker.spanContext().traceId}/backlinks`);
    assert.deepEqual(none.body.backlinks, []);
    assert.equal((await getJson(running.httpUrl, `/api/traces/${'0'.repeat(31)}1/backlinks`)).status, 404);
  });
});
