// A new engine behind an open page (restarted on the same port): the page notices the
// new instance id on its event stream and drops what it showed, the list and an open
// trace alike, instead of offering traces the new engine never held.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startEngine, type RunningEngine } from '../../src/engine/server.ts';
import type { StatusResponse } from '../../src/protocol/api.ts';
import { getJson, startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi } from './support/browser.ts';
import { eventually, shownTraces } from './support/pageQueries.ts';
import { span, TraceRecorder } from './support/sdkTraces.ts';

let running: RunningEngine;
let browser: Browser;

before(async () => {
  running = await startTestEngine();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await running?.close();
});

async function sendTrace(name: string): Promise<string> {
  const rec = new TraceRecorder();
  const id = span(rec.tracer('web'), name, undefined, Date.now() - 1000, Date.now() - 990).spanContext().traceId;
  await rec.send(running.httpUrl);
  return id;
}

describe('after the engine restarts', () => {
  it('the list and an open trace show the new engine’s data', async () => {
    const before = await sendTrace('GET /before');
    const first = (await getJson<StatusResponse>(running.httpUrl, '/api/status')).body.instanceId;
    const list = await openUi(browser, running.httpUrl);
    const trace = await openUi(browser, running.httpUrl, `trace=${before}`);
    await eventually(() => shownTraces(list.page), (r) => r.length === 1 && r[0].id === before);
    await trace.page.waitForSelector('.span-row');

    const port = running.httpPort;
    await running.close();
    running = await startEngine({ host: '127.0.0.1', httpPort: port, grpcPort: 0, memoryBudgetBytes: 64 << 20, maxBodyBytes: 20 << 20 });
    const second = (await getJson<StatusResponse>(running.httpUrl, '/api/status')).body.instanceId;
    assert.notEqual(second, first, 'each engine has its own instance id');
    const after = await sendTrace('GET /after');

    // The event stream reconnects within its 2 s retry and says which engine it reached.
    await eventually(() => shownTraces(list.page), (r) => r.length === 1 && r[0].id === after, 15_000);
    await eventually(() => trace.page.locator('.trace-body').innerText(), (t) => /is not in the store/.test(t), 15_000);
    await list.page.context().close();
    await trace.page.context().close();
  });
});
