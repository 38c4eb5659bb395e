// The logs view in a real browser: records newest first, every filter (done by the
// engine) surviving a reload, a record's details, the patterns toggle and a click on a
// pattern, the hop from a record to its trace with its span selected, live and paused,
// paging without repeats, and hostile bodies shown as text.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningEngine } from '../../src/engine/server.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi, type UiPage } from './support/browser.ts';
import { sendLogScenario, WORKER_SOURCE, type LogScenario } from './support/logScenario.ts';
import { choose, eventually, typeInto } from './support/pageQueries.ts';
import { sendLogs } from './support/sdkTraces.ts';

let running: RunningEngine;
let browser: Browser;
let ui: UiPage;
let scenario: LogScenario;
let total = 0;
const T0 = Date.now() - 5 * 60_000;

before(async () => {
  running = await startTestEngine();
  scenario = await sendLogScenario(running.httpUrl, T0);
  total = scenario.counts.frontend + scenario.counts.worker;
  browser = await launchBrowser();
  ui = await openUi(browser, running.httpUrl, 'view=logs');
});

after(async () => {
  await browser?.close();
  await running?.close();
});

interface ShownLog { time: string; severity: string; service: string; body: string; classes: string[] }

/** Log rows on screen, top to bottom. */
function shownLogs(page: Page): Promise<ShownLog[]> {
  return page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.log-rows .log-row:not([hidden])')]
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
    .map((r) => {
      const [time, severity, service, body] = [...r.children].map((c) => (c as HTMLElement).innerText.trim());
      return { time, severity, service, body, classes: [...r.classList] };
    }));
}

const rowCount = (n: number) => eventually(() => shownLogs(ui.page), (rows) => rows.length === n);
const bodies = (rows: ShownLog[]) => rows.map((r) => r.body);

describe('the logs view', () => {
  it('lists records newest first with time, severity by name and colour, service and body', async () => {
    // The list holds every record, but only the rows in view are in the page.
    await ui.page.setViewportSize({ width: 1400, height: 2400 });
    const rows = await rowCount(total);
    assert.equal(rows[0].body, 'payment sync failed: upstream returned 503');
    assert.equal(rows[0].severity, 'ERROR');
    assert.ok(rows[0].classes.includes('sev-error'));
    assert.equal(rows[0].service, 'worker');
    assert.match(rows[0].time, /^\d\d:\d\d:\d\d\.\d{3}$/);
    const warn = rows.find((r) => r.body.startsWith('retrying job'))!;
    assert.equal(warn.severity, 'WARN');
    assert.ok(warn.classes.includes('sev-warn'));
    assert.equal(rows.at(-1)!.body, 'checkout started');
    assert.match(await ui.page.textContent('.list-status') ?? '', new RegExp(`^${total} records`));
    await ui.page.setViewportSize({ width: 1400, height: 900 });
  });

  it('filters by service, minimum severity, text, attribute and trace id, in the engine', async () => {
    const check = async (apply: () => Promise<void>, expected: (rows: ShownLog[]) => boolean, reset: () => Promise<void>) => {
      await apply();
      await eventually(() => shownLogs(ui.page), expected);
      await reset();
      await eventually(() => shownLogs(ui.page), (r) => r.length > 30);
    };
    await check(() => choose(ui.page, 'vscode-single-select.filter-service', 'frontend'),
      (r) => r.length === scenario.counts.frontend && r.every((x) => x.service === 'frontend'),
      () => choose(ui.page, 'vscode-single-select.filter-service', ''));
    await check(() => choose(ui.page, 'vscode-single-select.filter-severity', 'error'),
      (r) => r.length === 2 && r.every((x) => x.severity === 'ERROR'),
      () => choose(ui.page, 'vscode-single-select.filter-severity', ''));
    await check(() => choose(ui.page, 'vscode-single-select.filter-severity', 'warn'),
      (r) => r.length === 8 && r.every((x) => ['WARN', 'ERROR'].includes(x.severity)),
      () => choose(ui.page, 'vscode-single-select.filter-severity', ''));
    await check(() => typeInto(ui.page, '.filter-q', 'CARD DECLINED'),
      (r) => r.length === 1 && r[0].body === 'charge failed: card declined by issuer',
      () => typeInto(ui.page, '.filter-q', ''));
    await check(async () => {
      await typeInto(ui.page, '.filter-attr', 'retry.count=2');
      await ui.page.press('.filter-attr input', 'Enter');
    }, (r) => r.length === 2 && r.every((x) => x.body.startsWith('retrying job')), () => ui.page.click('.chip-remove'));
    const traceId = scenario.checkouts[2].root.spanContext().traceId;
    await check(() => typeInto(ui.page, '.filter-trace', traceId),
      (r) => r.length === 3 && r.every((x) => x.service === 'frontend'),
      () => typeInto(ui.page, '.filter-trace', ''));
  });

  it('says what is wrong with a filter it cannot use', async () => {
    await typeInto(ui.page, '.filter-trace', 'not-a-trace');
    await eventually(() => ui.page.textContent('.filter-problems'), (t) => /Trace ID: 32 hex digits/.test(t ?? ''));
    await typeInto(ui.page, '.filter-trace', '');
    await eventually(() => ui.page.textContent('.filter-problems'), (t) => !t);
  });

  it('keeps its filters across a reload', async () => {
    await choose(ui.page, 'vscode-single-select.filter-service', 'worker');
    await choose(ui.page, 'vscode-single-select.filter-severity', 'warn');
    await typeInto(ui.page, '.filter-q', 'timeout from');
    await eventually(() => shownLogs(ui.page), (r) => r.length === 6);
    assert.match(ui.page.url(), /view=logs/);
    await ui.page.reload();
    const rows = await eventually(() => shownLogs(ui.page), (r) => r.length === 6);
    assert.ok(rows.every((r) => r.severity === 'WARN' && r.body.startsWith('retrying job')));
    assert.equal(await ui.page.locator('vscode-single-select.filter-severity').evaluate((el) => (el as HTMLElement & { value: string }).value), 'warn');
    assert.equal(await ui.page.locator('vscode-single-select.filter-service').evaluate((el) => (el as HTMLElement & { value: string }).value), 'worker');
    await ui.page.getByText('Clear filters').first().click();
    await eventually(() => shownLogs(ui.page), (r) => r.length > 30);
  });

  it('shows a record whole: structured body pretty-printed, attributes, resource, scope and its source', async () => {
    await ui.page.locator('.log-row:not([hidden])', { hasText: 'invoice batch settled' }).click();
    const details = ui.page.locator('.log-details');
    await details.waitFor();
    const body = await details.locator('.log-body-full').innerText();
    assert.deepEqual(JSON.parse(body), { message: 'invoice batch settled', batch: { id: 'b-311', invoices: 42, total: 1234.5 }, tags: ['eu', 'monthly'] });
    assert.match(body, /\n {2}"batch": \{\n {4}"id"/, 'indented');
    const headings = await details.locator('.detail-section h3').allInnerTexts();
    assert.ok(headings.some((t) => /^ATTRIBUTES/i.test(t)) && headings.some((t) => /^RESOURCE/i.test(t)) && headings.some((t) => /^SCOPE LOUPE-UI-TEST/i.test(t)), headings.join(' | '));
    assert.equal(await details.locator('.source-link').first().getAttribute('href'), `vscode://file${WORKER_SOURCE}:88`);
    await ui.page.keyboard.press('Escape');
    await eventually(() => ui.page.locator('.log-details').count(), (n) => n === 0);

    await ui.page.locator('.log-row:not([hidden])', { hasText: 'payment sync failed' }).click();
    const frames = ui.page.locator('.log-details .stack-frames .frame.has-source .source-link');
    assert.deepEqual(await frames.evaluateAll((links) => links.map((a) => a.getAttribute('href'))), [
      'vscode://file/home/dev/shop/src/payment/charge.ts:61:11', `vscode://file${WORKER_SOURCE}:120:5`]);
  });

  it('groups records by pattern, and a click on a pattern lists its records', async () => {
    await ui.page.click('.mode-button[data-mode=patterns]');
    const patterns = await eventually(() => ui.page.$$eval('.pattern-rows .pattern-row', (rows) => rows.map((r) => ({
      count: r.querySelector('.pattern-count')!.textContent, pattern: r.querySelector('.pattern-template')!.textContent,
      service: r.querySelector('.pattern-service')!.textContent, example: r.querySelector('.pattern-example')!.textContent,
      severity: r.querySelector('.severity-top')!.textContent, points: r.querySelectorAll('polyline').length,
    }))), (rows) => rows.length > 0);
    assert.deepEqual(patterns[0], { count: '24', pattern: 'job <num> done in <duration>', service: 'worker', example: 'job 7023 done in 91ms', severity: 'INFO', points: 1 });
    assert.ok(patterns.some((p) => p.pattern === 'retrying job <num> after timeout from <ip>' && p.count === '6' && p.severity === 'WARN'));
    assert.ok(patterns.some((p) => p.pattern === 'invoice batch settled'), 'a structured body by its message');
    assert.equal(patterns.reduce((n, p) => n + Number(p.count), 0), total);
    assert.match(ui.page.url(), /mode=patterns/);

    await ui.page.locator('.pattern-row', { hasText: 'retrying job' }).click();
    const rows = await eventually(() => shownLogs(ui.page), (r) => r.length === 6);
    assert.ok(rows.every((r) => r.body.startsWith('retrying job')));
    assert.match(await ui.page.locator('.chip-label').first().innerText(), /^pattern #\d+$/);
    await ui.page.goBack();
    await ui.page.waitForSelector('.pattern-rows .pattern-row');
    assert.equal(await ui.page.locator('.chip').count(), 0, 'Back returns to the patterns as they were');
    await ui.page.click('.mode-button[data-mode=list]');
    await eventually(() => shownLogs(ui.page), (r) => r.length > 30);
  });

  it('opens a record’s trace with its span selected', async () => {
    const failed = scenario.checkouts[2];
    await ui.page.locator('.log-row:not([hidden])', { hasText: 'charge failed: card declined' }).click();
    await ui.page.locator('.log-details .open-trace').click();
    await ui.page.waitForSelector('.waterfall .span-row.selected');
    assert.match(ui.page.url(), new RegExp(`view=traces.*trace=${failed.root.spanContext().traceId}`));
    assert.equal(await ui.page.locator('.span-row.selected').getAttribute('data-span-id'), failed.payment.spanContext().spanId);
    await ui.page.waitForSelector(`.span-details[data-span-id="${failed.payment.spanContext().spanId}"]`);
    await ui.page.goBack();
    await ui.page.waitForSelector('.log-rows .log-row');
  });

  it('shows new records live, holds still while paused, and says what arrived', async () => {
    await sendLogs(running.httpUrl, 'late', [{ body: 'first late record', severityNumber: 9, severityText: 'INFO', timeMs: Date.now() }]);
    await eventually(() => shownLogs(ui.page), (r) => r[0]?.body === 'first late record');
    await ui.page.click('.live-toggle');
    await sendLogs(running.httpUrl, 'late', [{ body: 'second late record', severityNumber: 13, severityText: 'WARN', timeMs: Date.now() }]);
    await eventually(() => ui.page.textContent('.list-status'), (t) => /paused — 1 new since/.test(t ?? ''));
    assert.equal((await shownLogs(ui.page))[0].body, 'first late record');
    await ui.page.click('.live-toggle');
    await eventually(() => shownLogs(ui.page), (r) => r[0]?.body === 'second late record');
  });

  it('pages through more records than a page holds, showing each once', async () => {
    // Three pages of 300; the engine keeps times as doubles, so a page can start at the
    // time the one before ended.
    const t0 = Date.now() - 3_600_000;
    await sendLogs(running.httpUrl, 'pager', Array.from({ length: 700 }, (_, i) => ({ body: `paged record ${i}`, severityNumber: 9, severityText: 'INFO', timeMs: t0 + i * 1000 })));
    const pager = await openUi(browser, running.httpUrl, 'view=logs&service=pager');
    await pager.page.waitForSelector('.log-rows .log-row');
    const status = await eventually(async () => {
      await pager.page.evaluate(() => { const list = document.querySelector('.log-rows')!; list.scrollTop = list.scrollHeight; });
      return pager.page.textContent('.list-status');
    }, (t) => /^\d+ records match/.test(t ?? ''));
    assert.match(status ?? '', /^700 records match/);
    // The count arrives with the first page; the last pages come as the list scrolls to them.
    const shown = await eventually(async () => {
      await pager.page.evaluate(() => { const list = document.querySelector('.log-rows')!; list.scrollTop = list.scrollHeight; });
      return shownLogs(pager.page);
    }, (r) => r.at(-1)?.body === 'paged record 0');
    assert.equal(shown.at(-1)!.body, 'paged record 0');
    await pager.page.context().close();
  });

  it('shows hostile bodies and attributes as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> \u202Egnp.exe \x1b[31mred\x1b[0m';
    await sendLogs(running.httpUrl, 'hostile<b>svc</b>', [{ body: hostile, severityNumber: 17, severityText: '<i>ERR</i>', timeMs: Date.now(), attributes: { '<key onclick=x>': '<a href="javascript:alert(1)">x</a>' } }]);
    const row = await eventually(() => shownLogs(ui.page), (r) => r[0]?.body.includes('onerror'));
    assert.equal(row[0].body, '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> <U+202E>gnp.exe red');
    assert.equal(row[0].service, 'hostile<b>svc</b>');
    await ui.page.locator('.log-row:not([hidden])').filter({ hasText: 'onerror' }).first().click();
    await ui.page.locator('.log-details').waitFor();
    assert.equal(await ui.page.locator('.logs-view img, .logs-view script, .logs-view i, .logs-view b, .log-details a[href^="javascript"]').count(), 0);
    assert.equal(await ui.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.match(await ui.page.locator('.log-details .attribute-table').first().innerText(), /<key onclick=x>\s+<a href="javascript:alert\(1\)">x<\/a>/);
    assert.deepEqual(ui.problems, []);
  });
});
