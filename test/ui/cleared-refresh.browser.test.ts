// A list refreshed live while it reloads after the data was cleared (or a new engine
// appeared) must not merge the old data back in: the traces list and the logs list,
// each with its reload held in the network long enough for a live refresh to start
// meanwhile (the race that brought old records back).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { openUi } from './support/browser.ts';
import { useEngineAndBrowser } from './support/engineAndBrowser.ts';
import { eventually, shownTraces } from './support/pageQueries.ts';
import { sendLogs, span, TraceRecorder } from './support/sdkTraces.ts';

const session = useEngineAndBrowser();

async function sendTrace(name: string, atMs: number): Promise<void> {
  const rec = new TraceRecorder();
  span(rec.tracer('web'), name, undefined, atMs, atMs + 10);
  await rec.send(session.engine.httpUrl);
}

const logBodies = (page: Page) => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.log-rows .log-row:not([hidden]) .log-body')].map((b) => b.innerText.trim()).sort());
/** The operation column (the third) of each trace row. */
const traceNames = async (page: Page) => (await shownTraces(page)).map((r) => r.cells[2]).sort();

/** Clears the store while the list's requests to `api` take 2.5 s, and sends new data during the reload. */
async function clearWhileSlow(page: Page, api: string, sendNew: () => Promise<void>): Promise<void> {
  await page.route(`**${api}?*`, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await route.continue().catch(() => undefined);
  });
  const res = await fetch(`${session.engine.httpUrl}/api/data`, { method: 'DELETE' });
  assert.equal(res.status, 200);
  // After the clear's own event (events go out at most every 250 ms), so that the new
  // data's event comes while the reload is still on its way.
  await new Promise((resolve) => setTimeout(resolve, 800));
  await sendNew();
  // Long enough for the reload and a live refresh that started during it to both answer.
  await page.waitForTimeout(7000);
}

describe('a list reloaded after the data is cleared', () => {
  it('logs: shows only the records that arrived after the clear', async () => {
    const now = Date.now();
    await sendLogs(session.engine.httpUrl, 'svc', [
      { body: 'old record 1', severityNumber: 9, severityText: 'INFO', timeMs: now - 20_000 },
      { body: 'old record 2', severityNumber: 9, severityText: 'INFO', timeMs: now - 19_000 },
    ]);
    const { page } = await openUi(session.browser, session.engine.httpUrl, 'view=logs');
    await eventually(() => logBodies(page), (b) => b.length === 2);
    await clearWhileSlow(page, '/api/logs', () => sendLogs(session.engine.httpUrl, 'svc', [{ body: 'new record', severityNumber: 9, severityText: 'INFO', timeMs: now - 10_000 }]));
    assert.deepEqual(await eventually(() => logBodies(page), (b) => b.includes('new record')), ['new record']);
    await page.context().close();
  });

  it('traces: shows only the traces that arrived after the clear', async () => {
    const now = Date.now();
    await sendTrace('GET /old-1', now - 20_000);
    await sendTrace('GET /old-2', now - 19_000);
    const { page } = await openUi(session.browser, session.engine.httpUrl);
    await eventually(() => traceNames(page), (n) => n.length === 2);
    await clearWhileSlow(page, '/api/traces', () => sendTrace('GET /new', now - 10_000));
    assert.deepEqual(await eventually(() => traceNames(page), (n) => n.includes('GET /new')), ['GET /new']);
    await page.context().close();
  });
});
