// Telemetry files dropped on the browser page open in the usual views, from the file's
// own store: the live data stays as it was until "Import into Loupe".

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { StatusResponse } from '../../src/protocol/api.ts';
import { openUi } from './support/browser.ts';
import { useEngineAndBrowser } from './support/engineAndBrowser.ts';
import { eventually, shownTraces } from './support/pageQueries.ts';

const session = useEngineAndBrowser();

/** Drops a file with these bytes on `selector`, as a user dragging it from the desktop. */
async function dropFile(page: Page, name: string, bytes: Buffer, selector = 'main'): Promise<void> {
  const dataTransfer = await page.evaluateHandle(([fileName, base64]) => {
    const dt = new DataTransfer();
    const binary = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    dt.items.add(new File([binary], fileName));
    return dt;
  }, [name, bytes.toString('base64')] as const);
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

async function liveSpans(): Promise<number> {
  return ((await (await fetch(`${session.engine.httpUrl}/api/status`)).json()) as StatusResponse).counts.spans;
}

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'files', name));

describe('a telemetry file dropped on the page', () => {
  it('opens in the trace list and waterfall from its own store, and imports only when asked', async () => {
    const ui = await openUi(session.browser, session.engine.httpUrl, 'view=traces');
    await dropFile(ui.page, 'checkout.otlp.jsonl.gz', fixture('checkout.otlp.jsonl.gz'));
    await ui.page.waitForURL(/[?&]file=/);
    await ui.page.waitForSelector('.file-bar .file-held');
    assert.equal(await ui.page.locator('.file-bar .file-name').innerText(), 'checkout.otlp.jsonl.gz');
    assert.match(await ui.page.locator('.file-bar .file-held').first().innerText(), /OTLP\/JSON Lines \(gzip\) · 1 traces \(2 spans\) · 2 logs · \d+ metric points/);
    const rows = await eventually(() => shownTraces(ui.page), (r) => r.length === 1);
    assert.match(rows[0].cells.join(' '), /POST \/checkout/);
    assert.match(await ui.page.locator('.app-counts').innerText(), /1 traces · 2 spans · 2 logs/);
    assert.equal(await liveSpans(), 0, 'the live store is untouched');

    await ui.page.locator('.nav-item', { hasText: 'Logs' }).click();
    await eventually(() => ui.page.locator('main').innerText(), (t) => t.includes('card declined for order 1234'));
    assert.match(ui.page.url(), /[?&]file=/, 'moving between views stays in the file');

    // The file's requests are older than the signals' default window: the view opens on the file's time span.
    await ui.page.locator('.nav-item', { hasText: 'Golden Signals' }).click();
    await ui.page.locator('.route-row[data-route="/checkout"]').waitFor({ timeout: 15_000 });
    assert.match(ui.page.url(), /range=custom/);

    await ui.page.locator('.file-action.primary', { hasText: 'Import into Loupe' }).click();
    await eventually(() => ui.page.locator('.file-message').innerText(), (t) => /^Imported 2 spans, 2 logs/.test(t));
    assert.equal(await liveSpans(), 2);
    await ui.page.locator('.file-action', { hasText: 'Back to live data' }).click();
    await ui.page.waitForURL((url) => !url.search.includes('file='));
    assert.equal(await ui.page.locator('.file-bar').count(), 0);
    assert.deepEqual(ui.problems, []);
    await ui.page.context().close();
  });

  it('opens a Jaeger export dropped on the profiles view, and says what is wrong with a file that is not telemetry', async () => {
    const ui = await openUi(session.browser, session.engine.httpUrl, 'view=profiles');
    await ui.page.waitForSelector('.profile-list');
    await dropFile(ui.page, 'trace.json', Buffer.from('{"name": "my-app", "version": "1.0.0"}'), '.profile-list');
    const notice = ui.page.locator('.drop-notice.error');
    await notice.waitFor();
    assert.match(await notice.innerText(), /trace\.json: the file is JSON but not telemetry: an object with "name", "version"\. Loupe opens OTLP\/JSON/);
    await dropFile(ui.page, 'jaeger-export.json', fixture('jaeger-export.json'), '.profile-list');
    await ui.page.waitForURL(/[?&]file=/);
    const rows = await eventually(() => shownTraces(ui.page), (r) => r.length === 1);
    assert.match(rows[0].cells.join(' '), /frontend/);
    assert.match(await ui.page.locator('.file-bar').innerText(), /Jaeger JSON · 1 traces \(3 spans\)/);
    await ui.page.context().close();
  });
});
