// Scale, in a real browser: a 10,000-span trace (first screen after the data arrives,
// scroll frames), a 100,000-span trace (opens and scrolls without freezing) and 100,000
// traces in the store (the list pages and filters through the engine). The timings are
// printed, not asserted: machines differ; what is asserted is what must hold anywhere.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningEngine } from '../../src/engine/server.ts';
import { startTestEngine } from '../support/engine.ts';
import { manyTraces, wideTrace } from './support/bigTraces.ts';
import { launchBrowser, openUi, type UiPage } from './support/browser.ts';
import { scrollFrames } from './support/frames.ts';
import { eventually, shownSpans, shownTraces, typeInto } from './support/pageQueries.ts';
import { TraceRecorder } from './support/sdkTraces.ts';

let running: RunningEngine;
let browser: Browser;
let trace10k: string;
let trace100k: string;
const figures: string[] = [];

function report(line: string): void {
  figures.push(line);
  console.log(`# ${line}`);
}

before(async () => {
  running = await startTestEngine(1024);
  const rec = new TraceRecorder();
  const now = Date.now();
  trace10k = wideTrace(rec, now - 50_000, 10_000, 99);
  trace100k = wideTrace(rec, now - 40_000, 100_000, 999);
  await rec.send(running.httpUrl);
  manyTraces(rec, now - 60_000, 100_000);
  await rec.send(running.httpUrl);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await running?.close();
  console.log(`# UI performance figures (headless Chromium, this machine):\n${figures.map((f) => `#   ${f}`).join('\n')}`);
});

interface OpenTimes { fetchMs: number; dataToFirstScreenMs: number; responseEndToFirstScreenMs: number }

/** Opens a trace by URL and reads the page's own marks. */
async function openTrace(traceId: string): Promise<{ ui: UiPage; times: OpenTimes }> {
  const ui = await openUi(browser, running.httpUrl, `trace=${traceId}`);
  await ui.page.waitForFunction(() => performance.getEntriesByName('loupe:trace-first-screen').length > 0, null, { timeout: 60_000 });
  const times = await ui.page.evaluate((id) => {
    const mark = (name: string) => performance.getEntriesByName(name)[0].startTime;
    const res = performance.getEntriesByType('resource').find((r) => r.name.endsWith(`/api/traces/${id}`)) as PerformanceResourceTiming;
    return {
      fetchMs: res.responseEnd - res.startTime,
      dataToFirstScreenMs: mark('loupe:trace-first-screen') - mark('loupe:trace-data'),
      responseEndToFirstScreenMs: mark('loupe:trace-first-screen') - res.responseEnd,
    };
  }, traceId);
  return { ui, times };
}

describe('at scale', () => {
  it('renders the first screen of a 10,000-span trace and scrolls it', async () => {
    const { ui, times } = await openTrace(trace10k);
    report(`10,000-span trace: fetch+parse ${times.fetchMs.toFixed(0)} ms; data → first screen ${times.dataToFirstScreenMs.toFixed(1)} ms (response end → first screen ${times.responseEndToFirstScreenMs.toFixed(1)} ms)`);
    assert.equal((await shownSpans(ui.page))[0].cells[0], 'POST /batch');
    assert.match(await ui.page.locator('.trace-summary').innerText(), /10,000 spans/);
    const domRows = await ui.page.locator('.span-row').count();
    assert.ok(domRows < 120, `only the rows in view are in the DOM (${domRows})`);
    const scroll = await scrollFrames(ui.page, '.waterfall-rows', 180, 240);
    report(`10,000-span trace: scrolling, work per frame ${scroll.work}; frame interval ${scroll.interval}; long tasks ${scroll.longTasks}`);
    const last = await eventually(() => shownSpans(ui.page), (rows) => rows.length > 0);
    assert.notEqual(last[0].cells[0], 'POST /batch', 'the view moved');
    await ui.page.context().close();
  });

  it('opens and scrolls a 100,000-span trace without freezing', async () => {
    const { ui, times } = await openTrace(trace100k);
    report(`100,000-span trace: fetch+parse ${times.fetchMs.toFixed(0)} ms; data → first screen ${times.dataToFirstScreenMs.toFixed(1)} ms`);
    assert.match(await ui.page.locator('.trace-summary').innerText(), /100,000 spans/);
    const scroll = await scrollFrames(ui.page, '.waterfall-rows', 120, 2400);
    report(`100,000-span trace: scrolling, work per frame ${scroll.work}; frame interval ${scroll.interval}; long tasks ${scroll.longTasks}`);
    // Every span has its row (24 px each), and the very end can be reached.
    assert.equal(await ui.page.locator('.waterfall-rows').evaluate((el) => el.scrollHeight), 100_000 * 24);
    await ui.page.locator('.waterfall-rows').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await eventually(() => shownSpans(ui.page), (rows) => rows.length > 10 && rows.every((r) => r.cells[1] !== 'gateway' || !r.cells[0].startsWith('POST')));
    let t = Date.now();
    await ui.page.getByRole('button', { name: 'Show only the top level' }).click();
    assert.equal((await shownSpans(ui.page)).length, 1);
    await ui.page.getByRole('button', { name: 'Expand every span' }).click();
    report(`100,000-span trace: collapse all + expand all ${Date.now() - t} ms`);
    t = Date.now();
    await ui.page.getByRole('button', { name: /Highlight the chain of spans/ }).click();
    await ui.page.waitForSelector('.show-critical');
    report(`100,000-span trace: critical path ${Date.now() - t} ms`);
    t = Date.now();
    await ui.page.locator('.trace-search input').fill('deadlock');
    await eventually(() => ui.page.locator('.match-count').textContent(), (v) => /\d+ match/.test(v ?? ''));
    report(`100,000-span trace: search (incl. 150 ms typing pause) ${Date.now() - t} ms → ${await ui.page.locator('.match-count').textContent()}`);
    const pingStart = Date.now();
    assert.equal(await ui.page.evaluate(() => 1 + 1), 2);
    report(`100,000-span trace: page answers in ${Date.now() - pingStart} ms after all that`);
    assert.deepEqual(ui.problems, []);
    await ui.page.context().close();
  });

  it('lists, pages and filters 100,000 traces through the engine', async () => {
    let t = Date.now();
    const ui = await openUi(browser, running.httpUrl);
    await eventually(() => shownTraces(ui.page), (rows) => rows.length > 10);
    report(`100,000 traces: first list screen ${Date.now() - t} ms after navigation`);
    assert.match(await ui.page.locator('.list-status').textContent() ?? '', /^200\+ traces/);
    // Scrolling to the end asks the engine for the next page.
    t = Date.now();
    const loaded = async () => Number(/^([\d,]+)/.exec(await ui.page.locator('.list-status').textContent() ?? '')![1].replace(/,/g, ''));
    for (let i = 0; i < 3; i++) {
      const before = await loaded();
      await ui.page.locator('.trace-rows').evaluate((el) => { el.scrollTop = el.scrollHeight; });
      await eventually(loaded, (n) => n > before + 100);
    }
    assert.ok(await loaded() > 700);
    report(`100,000 traces: three more pages on scrolling ${Date.now() - t} ms`);
    const scroll = await scrollFrames(ui.page, '.trace-rows', 60, -300);
    report(`100,000 traces: list scrolling, work per frame ${scroll.work}; frame interval ${scroll.interval}`);
    t = Date.now();
    await ui.page.locator('.filter-attr input').fill('req.n=31337');
    await ui.page.press('.filter-attr input', 'Enter');
    const rows = await eventually(() => shownTraces(ui.page), (r) => r.length === 1);
    report(`100,000 traces: attribute filter → 1 trace in ${Date.now() - t} ms`);
    assert.equal(rows[0].cells[2], 'GET /item/37');
    await ui.page.click('.chip-remove');
    t = Date.now();
    await typeInto(ui.page, '.filter-q', 'item/42');
    await eventually(() => shownTraces(ui.page), (r) => r.length > 0 && r.every((x) => x.cells[2] === 'GET /item/42'));
    report(`100,000 traces: text search (incl. 350 ms typing pause) ${Date.now() - t} ms`);
    assert.deepEqual(ui.problems, []);
    await ui.page.context().close();
  });
});
