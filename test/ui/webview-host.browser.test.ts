// The same UI as a VS Code webview: with `acquireVsCodeApi` present it speaks only the
// postMessage protocol (src/protocol/webview.ts) to its host, played here by the test,
// which relays API requests to a real engine the way the extension does.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningEngine } from '../../src/engine/server.ts';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/webview.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi, type UiPage } from './support/browser.ts';
import { eventually, shownTraces } from './support/pageQueries.ts';
import { checkout, SOURCE_FILE, type Checkout } from './support/scenarios.ts';
import { span, TraceRecorder } from './support/sdkTraces.ts';

let running: RunningEngine;
let browser: Browser;
let ui: UiPage;
let c: Checkout;
const received: WebviewToHost[] = [];
const directApiCalls: string[] = [];

/** The extension host's side: answers `ready` with `init`, relays requests to the engine. */
async function playHost(page: Page): Promise<void> {
  const send = (msg: HostToWebview) => page.evaluate((m) => window.postMessage(m, '*'), msg);
  await page.exposeBinding('__toHost', async (_source, msg: WebviewToHost) => {
    received.push(msg);
    switch (msg.type) {
      case 'ready':
        await send({ type: 'init', view: 'traces', state: { view: 'traces', state: { service: 'frontend' } }, engineUrl: running.httpUrl });
        break;
      case 'request': {
        const res = await fetch(running.httpUrl + msg.path);
        await send({ type: 'response', id: msg.id, status: res.status, body: await res.json() });
        break;
      }
      case 'requestBytes': {
        const res = await fetch(running.httpUrl + msg.path, { headers: { accept: msg.accept } });
        // VS Code hands the webview a Uint8Array; the test's page bridge carries plain numbers.
        const reply = res.ok ? { type: 'bytesResponse', id: msg.id, status: res.status, bytes: [...new Uint8Array(await res.arrayBuffer())] } : { type: 'bytesResponse', id: msg.id, status: res.status, body: await res.json() };
        await page.evaluate((m) => window.postMessage({ ...m, bytes: m.bytes && new Uint8Array(m.bytes) }, '*'), reply);
        break;
      }
    }
  });
  await page.addInitScript(() => {
    let saved: unknown;
    const host = (window as unknown as { __toHost: (m: unknown) => void }).__toHost;
    (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => host(m),
      getState: () => saved,
      setState: (s: unknown) => { saved = s; (window as unknown as { __saved: unknown }).__saved = s; },
    });
  });
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) directApiCalls.push(r.url()); });
}

before(async () => {
  running = await startTestEngine();
  const rec = new TraceRecorder();
  c = checkout(rec, Date.now() - 30_000, { fail: true });
  span(rec.tracer('other'), 'not frontend', undefined, Date.now() - 20_000, Date.now() - 19_000);
  await rec.send(running.httpUrl);
  browser = await launchBrowser();
  ui = await openUi(browser, running.httpUrl, '', { beforeLoad: playHost });
});

after(async () => {
  await browser?.close();
  await running?.close();
});

const sent = <T extends WebviewToHost['type']>(type: T) => received.filter((m): m is Extract<WebviewToHost, { type: T }> => m.type === type);
const postToPage = (msg: HostToWebview) => ui.page.evaluate((m) => window.postMessage(m, '*'), msg);

describe('the UI in a webview', () => {
  it('says ready, takes its state from init, and asks for everything through the host', async () => {
    const rows = await eventually(() => shownTraces(ui.page), (r) => r.length === 1);
    assert.equal(rows[0].id, c.root.spanContext().traceId, 'the saved service filter applies');
    assert.equal(received[0].type, 'ready');
    assert.ok(sent('request').some((m) => m.path.startsWith('/api/traces?service=frontend')));
    assert.deepEqual(directApiCalls, []);
  });

  it('keeps its state with setState and tells the host', async () => {
    await ui.page.locator('.filter-q input').fill('checkout');
    const state = await eventually(() => Promise.resolve(sent('state').at(-1)?.state), (s) => JSON.stringify(s ?? null).includes('checkout'));
    assert.deepEqual(state, { view: 'traces', state: { service: 'frontend', q: 'checkout' } });
    assert.deepEqual(await ui.page.evaluate(() => (window as unknown as { __saved: unknown }).__saved), state);
  });

  it('refreshes on the host’s change events', async () => {
    const rec = new TraceRecorder();
    const late = span(rec.tracer('frontend'), 'GET /checkout again', undefined, Date.now(), Date.now() + 2).spanContext().traceId;
    await rec.send(running.httpUrl);
    await ui.page.locator('.filter-q input').fill('');
    await eventually(() => shownTraces(ui.page), (r) => r.length === 1);
    await postToPage({ type: 'event', event: { newTraces: 1, spans: 1, logs: 0, metricPoints: 0, counts: { spans: 11, traces: 3, logs: 0, metricPoints: 0, profiles: 0 }, dropped: { spans: 0, traces: 0, logs: 0, metricPoints: 0, rejected: 0 }, instanceId: 'engine-a' } });
    await eventually(() => shownTraces(ui.page), (r) => r[0]?.id === late);
    assert.equal(await ui.page.textContent('.app-counts'), '3 traces · 11 spans · 0 logs');
  });

  it('opens what the host navigates to', async () => {
    await postToPage({ type: 'navigate', view: 'traces', traceId: c.root.spanContext().traceId, spanId: c.payment.spanContext().spanId });
    await eventually(() => ui.page.locator('.span-details .details-title').textContent().catch(() => ''), (t) => t === 'POST /charge');
  });

  it('asks the host to open source, copy and save, instead of doing it itself', async () => {
    const frame = ui.page.locator('.frame.has-source .source-link').first();
    assert.equal(await frame.evaluate((el) => el.tagName), 'BUTTON', 'no vscode:// link inside VS Code');
    await frame.click();
    assert.deepEqual(sent('openSource').at(-1)?.location, { path: SOURCE_FILE, line: 42, column: 13, function: 'chargeCard' });
    await ui.page.locator('.trace-id .copy-button').click();
    assert.equal(sent('copy').at(-1)?.text, c.root.spanContext().traceId);
    await ui.page.getByRole('button', { name: /Save this trace as OTLP\/JSON/ }).click();
    // The page fetches the trace as OTLP/JSON (through the host) before it asks to save it.
    const save = (await eventually(async () => sent('saveFile').at(-1), (m) => m !== undefined))!;
    assert.equal(save.suggestedName, `trace-${c.root.spanContext().traceId}.json`);
    assert.equal(JSON.parse(save.content).resourceSpans.length, 3);
    assert.deepEqual(directApiCalls, []);
    assert.deepEqual(ui.problems, []);
  });

  it('reloads when the host reaches a new engine (a restart), even with nothing new to say', async () => {
    await ui.page.locator('.back-button').click();
    await eventually(() => shownTraces(ui.page), (r) => r.length > 0);
    const old = running;
    running = await startTestEngine();
    const rec = new TraceRecorder();
    const fresh = span(rec.tracer('frontend'), 'GET /after-restart', undefined, Date.now(), Date.now() + 2).spanContext().traceId;
    await rec.send(running.httpUrl);
    await old.close();
    const zero = { spans: 0, traces: 0, logs: 0, metricPoints: 0 };
    await postToPage({ type: 'event', event: { newTraces: 0, spans: 0, logs: 0, metricPoints: 0, counts: { ...zero, spans: 1, traces: 1, profiles: 0 }, dropped: { ...zero, rejected: 0 }, instanceId: 'engine-b' } });
    await eventually(() => shownTraces(ui.page), (r) => r.length === 1 && r[0].id === fresh);
  });
});
