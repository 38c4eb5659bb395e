// The trace list in a real browser: newest first with its columns, every filter (done by
// the engine), filters surviving a reload, live updates and pausing.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningEngine } from '../../src/engine/server.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi, type UiPage } from './support/browser.ts';
import { choose, eventually, shownTraces, typeInto } from './support/pageQueries.ts';
import { checkout } from './support/scenarios.ts';
import { span, TraceRecorder } from './support/sdkTraces.ts';

let running: RunningEngine;
let browser: Browser;
let ui: UiPage;
const T0 = Date.now() - 10 * 60_000;
const ids: Record<string, string> = {};
const starts: Record<string, number> = {};

before(async () => {
  running = await startTestEngine();
  const rec = new TraceRecorder();
  for (let i = 0; i < 6; i++) {
    const c = checkout(rec, T0 + i * 10_000, { fail: i % 3 === 1, user: `u-${i}` });
    ids[`checkout${i}`] = c.root.spanContext().traceId;
    starts[`checkout${i}`] = T0 + i * 10_000;
  }
  const inventory = rec.tracer('inventory');
  for (let i = 0; i < 3; i++) {
    starts[`health${i}`] = T0 + 5_000 + i * 10_000;
    ids[`health${i}`] = span(inventory, 'GET /health', undefined, starts[`health${i}`], starts[`health${i}`] + 1).spanContext().traceId;
  }
  starts.report = T0 + 70_000;
  ids.report = span(rec.tracer('reports'), 'nightly report', undefined, T0 + 70_000, T0 + 70_900, { attributes: { 'report.kind': 'sales' } }).spanContext().traceId;
  await rec.send(running.httpUrl);
  browser = await launchBrowser();
  ui = await openUi(browser, running.httpUrl);
});

after(async () => {
  await browser?.close();
  await running?.close();
});

const rowsMatching = (n: number) => eventually(() => shownTraces(ui.page), (rows) => rows.length === n);

describe('the trace list', () => {
  it('lists every trace newest first, with service, operation, start, duration, spans, errors and services', async () => {
    const rows = await rowsMatching(10);
    assert.deepEqual(rows.map((r) => r.id), [ids.report, ids.checkout5, ids.checkout4, ids.checkout3, ids.health2, ids.checkout2, ids.health1, ids.checkout1, ids.health0, ids.checkout0]);
    const failed = rows.find((r) => r.id === ids.checkout4)!;
    const [start, service, operation, duration, spans, errors, services] = failed.cells;
    assert.match(start, /^\d\d:\d\d:\d\d\.\d{3}$/);
    assert.equal(service, 'frontend');
    assert.equal(operation, 'GET /checkout');
    assert.equal(duration, '120 ms');
    assert.equal(spans, '8');
    assert.equal(errors, '2');
    assert.equal(services, 'frontend, cart-service, payment-service');
    assert.ok(failed.classes.includes('has-error'));
  });

  it('draws durations relative to the slowest trace shown', async () => {
    const widths = await ui.page.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLElement>('.trace-rows .trace-row:not([hidden])')]
      .map((r) => [r.dataset.traceId, (r.querySelector('.duration-bar') as HTMLElement).style.width])));
    assert.equal(widths[ids.report], '100%');
    assert.equal(parseFloat(widths[ids.checkout0]).toFixed(2), ((120 / 900) * 100).toFixed(2));
  });

  it('filters by service, chosen from the list of services', async () => {
    await ui.page.click('vscode-single-select.filter-service');
    await ui.page.locator('vscode-single-select.filter-service').getByRole('option', { name: 'inventory' }).click();
    const rows = await rowsMatching(3);
    assert.ok(rows.every((r) => r.cells[1] === 'inventory'));
    await choose(ui.page, 'vscode-single-select.filter-service', '');
    await rowsMatching(10);
  });

  it('filters by status, duration, operation, attribute, text and time range', async () => {
    const check = async (apply: () => Promise<void>, expected: string[], reset: () => Promise<void>) => {
      await apply();
      const rows = await eventually(() => shownTraces(ui.page), (r) => r.length === expected.length && expected.every((id) => r.some((x) => x.id === id)));
      assert.equal(rows.length, expected.length);
      await reset();
      await rowsMatching(10);
    };
    await check(() => choose(ui.page, 'vscode-single-select.filter-status', 'error'), [ids.checkout1, ids.checkout4], () => choose(ui.page, 'vscode-single-select.filter-status', ''));
    await check(() => typeInto(ui.page, '.filter-min', '500'), [ids.report], () => typeInto(ui.page, '.filter-min', ''));
    await check(() => typeInto(ui.page, '.filter-max', '2'), [ids.health0, ids.health1, ids.health2], () => typeInto(ui.page, '.filter-max', ''));
    await check(() => typeInto(ui.page, '.filter-operation', 'nightly report'), [ids.report], () => typeInto(ui.page, '.filter-operation', ''));
    await check(async () => {
      await typeInto(ui.page, '.filter-attr', 'user.id=u-2');
      await ui.page.press('.filter-attr input', 'Enter');
    }, [ids.checkout2], () => ui.page.click('.chip-remove'));
    await check(() => typeInto(ui.page, '.filter-q', 'SALES'), [ids.report], () => typeInto(ui.page, '.filter-q', ''));
    // A custom range (minute precision, local time, as the inputs take it) from before the
    // first trace to a minute boundary within the first 65 seconds.
    const local = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const to = local(T0 + 65_000);
    const inRange = Object.keys(starts).filter((k) => starts[k] <= Date.parse(to)).map((k) => ids[k]);
    assert.ok(inRange.length >= 2 && inRange.length < 10);
    await check(async () => {
      await choose(ui.page, 'vscode-single-select.filter-range', 'custom');
      await typeInto(ui.page, '.filter-from', local(T0 - 60_000));
      await typeInto(ui.page, '.filter-to', to);
    }, inRange, () => choose(ui.page, 'vscode-single-select.filter-range', ''));
  });

  it('combines attribute filters, and keeps every filter across a reload', async () => {
    await typeInto(ui.page, '.filter-attr', 'http.route=/checkout');
    await ui.page.press('.filter-attr input', 'Enter');
    await typeInto(ui.page, '.filter-attr', 'http.response.status_code=502');
    await ui.page.press('.filter-attr input', 'Enter');
    await choose(ui.page, 'vscode-single-select.filter-service', 'frontend');
    await eventually(() => shownTraces(ui.page), (r) => r.length === 2);
    assert.match(ui.page.url(), /attr=http\.route%3D%2Fcheckout&attr=http\.response\.status_code%3D502/);

    await ui.page.reload();
    const rows = await eventually(() => shownTraces(ui.page), (r) => r.length === 2);
    assert.deepEqual(rows.map((r) => r.id).sort(), [ids.checkout1, ids.checkout4].sort());
    assert.deepEqual(await ui.page.locator('.chip-label').allTextContents(), ['http.route=/checkout', 'http.response.status_code=502']);
    assert.equal(await ui.page.locator('vscode-single-select.filter-service').evaluate((el) => (el as HTMLElement & { value: string }).value), 'frontend');
    await ui.page.getByText('Clear filters').first().click();
    await rowsMatching(10);
  });

  it('shows new traces as they arrive, holds still while paused, and says what arrived', async () => {
    const rec = new TraceRecorder();
    const first = span(rec.tracer('late'), 'first late', undefined, Date.now(), Date.now() + 3).spanContext().traceId;
    await rec.send(running.httpUrl);
    await eventually(() => shownTraces(ui.page), (r) => r[0]?.id === first);

    await ui.page.click('.live-toggle');
    assert.equal(await ui.page.textContent('.live-toggle'), '❚❚ Paused');
    const second = span(rec.tracer('late'), 'second late', undefined, Date.now(), Date.now() + 3).spanContext().traceId;
    await rec.send(running.httpUrl);
    await eventually(() => ui.page.textContent('.list-status'), (t) => /1 new since/.test(t ?? ''));
    assert.equal((await shownTraces(ui.page))[0].id, first);

    await ui.page.click('.live-toggle');
    await eventually(() => shownTraces(ui.page), (r) => r[0]?.id === second);
    assert.equal(await ui.page.textContent('.live-toggle'), '● Live');
  });

  it('opens a trace on click and comes back with the browser’s Back', async () => {
    await ui.page.locator(`.trace-row[data-trace-id="${ids.checkout3}"]`).click();
    await ui.page.waitForSelector('.waterfall .span-row');
    assert.match(ui.page.url(), new RegExp(`trace=${ids.checkout3}`));
    await ui.page.goBack();
    await ui.page.waitForSelector('.trace-rows .trace-row');
    assert.doesNotMatch(ui.page.url(), /trace=/);
    assert.deepEqual(ui.problems, []);
  });
});
