// A web app served on localhost exports OTLP to the engine from a real browser, as a
// browser SDK does (JSON over fetch, with a CORS preflight); a page from another site
// cannot, and neither can one that reaches the engine under another name (DNS
// rebinding). The browser resolves evil.test to this machine, as a rebinding attacker's
// DNS would.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningEngine } from '../../src/engine/server.ts';
import { getJson, startTestEngine } from '../support/engine.ts';
import { launchBrowser } from './support/browser.ts';

let running: RunningEngine;
let browser: Browser;
let app: Server;
let appPort: number;

before(async () => {
  running = await startTestEngine();
  app = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>web app</title><p>a web app</p>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appPort = (app.address() as AddressInfo).port;
  browser = await launchBrowser(['--host-resolver-rules=MAP evil.test 127.0.0.1']);
});

after(async () => {
  await browser?.close();
  app?.close();
  await running?.close();
});

/** Runs a JSON OTLP export in a page served from `pageOrigin`; returns the status or the fetch error. */
async function exportFrom(pageOrigin: string, traceId: string): Promise<number | string> {
  const page = await browser.newPage();
  try {
    await page.goto(`${pageOrigin}/`);
    const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web-frontend' } }] }, scopeSpans: [{ spans: [{ traceId, spanId: '1'.repeat(16), name: 'click checkout', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000' }] }] }] });
    return await page.evaluate(async ([url, b]) => {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
        return res.status;
      } catch (err) {
        return String(err);
      }
    }, [`${running.httpUrl}/v1/traces`, body] as const);
  } finally {
    await page.close();
  }
}

describe('OTLP from a web page', () => {
  it('is accepted from a web app served on localhost', async () => {
    const traceId = 'c0ffee'.padEnd(32, '1');
    assert.equal(await exportFrom(`http://localhost:${appPort}`, traceId), 200);
    assert.equal((await getJson(running.httpUrl, `/api/traces/${traceId}`)).status, 200);
  });

  it('is refused from a page of another site', async () => {
    const traceId = 'badbad'.padEnd(32, '2');
    const result = await exportFrom(`http://evil.test:${appPort}`, traceId);
    assert.match(String(result), /Failed to fetch/);
    assert.equal((await getJson(running.httpUrl, `/api/traces/${traceId}`)).status, 404);
  });

  it('is refused, like every request, when the page reached the engine under another name', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`http://evil.test:${running.httpPort}/api/status`);
    assert.equal(res?.status(), 403);
    assert.match(await page.content(), /loopback only/);
    await page.close();
  });
});
