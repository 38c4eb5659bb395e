// One trace in a real browser: the waterfall's order, timings, colours and tree
// controls; span details with attributes, exceptions, source links and links both ways;
// logs in place; the critical path; search; keyboard; export and copy.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { SpanKind, trace, context } from '@opentelemetry/api';
import type { Browser } from 'playwright-core';
import type { RunningEngine } from '../../src/engine/server.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi, type UiPage } from './support/browser.ts';
import { eventually, shownSpans, typeInto } from './support/pageQueries.ts';
import { checkout, SOURCE_FILE, type Checkout } from './support/scenarios.ts';
import { sendLogs, span, TraceRecorder } from './support/sdkTraces.ts';

let running: RunningEngine;
let browser: Browser;
let ui: UiPage;
let c: Checkout;
let traceId: string;
let refundTrace: string;
const T0 = Date.now() - 60_000;

before(async () => {
  running = await startTestEngine();
  const rec = new TraceRecorder();
  c = checkout(rec, T0, { fail: true });
  traceId = c.root.spanContext().traceId;
  // A span of this trace whose parent never arrived (the parent id names no span here).
  const lost = trace.wrapSpanContext({ traceId, spanId: 'feedfacefeedface', traceFlags: 1 });
  const tracer = rec.tracer('frontend', { 'service.version': '2.3.1', 'deployment.environment': 'dev' });
  const orphan = tracer.startSpan('late callback', { startTime: T0 + 100 }, trace.setSpan(context.active(), lost));
  orphan.end(T0 + 105);
  const refund = span(rec.tracer('refund-worker'), 'refund order', undefined, T0 + 5_000, T0 + 5_040, { kind: SpanKind.CONSUMER, links: [{ context: c.payment.spanContext(), attributes: { 'link.reason': 'refund of failed charge' } }] });
  refundTrace = refund.spanContext().traceId;
  await rec.send(running.httpUrl);
  await sendLogs(running.httpUrl, 'frontend', c.logs);
  browser = await launchBrowser();
  ui = await openUi(browser, running.httpUrl, `trace=${traceId}`);
  await ui.page.waitForSelector('.waterfall .span-row');
});

after(async () => {
  await browser?.close();
  await running?.close();
});

const names = async () => (await shownSpans(ui.page)).map((r) => r.cells[0]);
const row = (name: string) => ui.page.locator('.span-row:not([hidden])', { has: ui.page.locator('.span-name', { hasText: new RegExp(`^${name}$`) }) }).first();
// Details show once the span's attributes and events have arrived (they are fetched on opening).
const details = () => ui.page.locator('.span-details[data-loaded]');

describe('the waterfall', () => {
  it('shows the span tree in start order, with the orphan under the root and marked', async () => {
    assert.deepEqual(await names(), ['GET /checkout', 'auth.verify', 'POST /cart/total', 'POST /cart/total', 'SELECT cart_items', 'GET prices', 'POST /charge', 'late callback', 'render checkout']);
    const rows = await shownSpans(ui.page);
    assert.deepEqual(rows.map((r) => r.cells[1]), ['frontend', 'frontend', 'frontend', 'cart-service', 'cart-service', 'cart-service', 'payment-service', 'frontend', 'frontend']);
    const orphan = rows[7];
    assert.ok(orphan.classes.includes('orphan'));
    assert.match(orphan.cells[2], /parent not in trace/);
    const levels = await ui.page.$$eval('.span-row:not([hidden])', (els) => els.map((e) => [e.querySelector('.span-name')!.textContent, e.getAttribute('aria-level')]));
    assert.deepEqual(Object.fromEntries(levels), { 'GET /checkout': '1', 'auth.verify': '2', 'POST /cart/total': '3', 'SELECT cart_items': '4', 'GET prices': '4', 'POST /charge': '2', 'late callback': '2', 'render checkout': '2' });
  });

  it('places each bar at its offset with its duration, on a time axis with ticks', async () => {
    // Where it is drawn, as a share of the bar cell's width (in percent).
    const bar = await row('SELECT cart_items').locator('.span-bar').evaluate((b) => {
      const cell = b.parentElement!.getBoundingClientRect();
      const r = b.getBoundingClientRect();
      return [((r.left - cell.left) / cell.width) * 100, (r.width / cell.width) * 100];
    });
    assert.deepEqual(bar.map((v) => v.toFixed(1)), [((15 / 120) * 100).toFixed(1), ((25 / 120) * 100).toFixed(1)]);
    assert.equal(await row('SELECT cart_items').locator('.span-duration').textContent(), '25.0 ms');
    assert.deepEqual(await ui.page.locator('.axis .tick').allTextContents(), ['0', '20 ms', '40 ms', '60 ms', '80 ms', '100 ms', '120 ms']);
  });

  it('colours bars by service and makes errors stand out', async () => {
    const classes = await ui.page.$$eval('.span-row:not([hidden])', (els) => els.map((e) => [e.querySelector('.span-service')!.textContent, e.querySelector('.span-bar')!.className, e.classList.contains('error')]));
    const byService = new Map<string, Set<string>>();
    for (const [svc, cls] of classes) byService.set(svc as string, (byService.get(svc as string) ?? new Set()).add(cls as string));
    assert.ok([...byService.values()].every((s) => s.size === 1), 'one colour per service');
    assert.equal(new Set([...byService.values()].map((s) => [...s][0])).size, 3, 'three services, three colours');
    assert.deepEqual(classes.filter(([, , err]) => err).map(([svc]) => svc), ['frontend', 'payment-service']);
    assert.match((await shownSpans(ui.page))[6].cells[2], /⚠/);
  });

  it('gives the row under the pointer its tooltips, and takes them off when the row shows another span', async () => {
    const title = (r: ReturnType<typeof row>, part: string) => r.locator(part).getAttribute('title');
    await row('POST /charge').hover();
    assert.equal(await title(row('POST /charge'), '.span-name'), 'POST /charge');
    assert.equal(await title(row('POST /charge'), '.span-badges'), 'error status, 1 log record');
    await row('GET /checkout').locator('.toggle').hover();
    const kids = /^Collapse \((\d+) children\)$/.exec(await title(row('GET /checkout'), '.toggle') ?? '')?.[1];
    assert.ok(kids, 'the toggle says what it does');
    // Collapsing the root refills the rows below it with other spans (or hides them).
    await row('GET /checkout').locator('.toggle').click();
    assert.equal(await title(row('GET /checkout'), '.toggle'), `Expand (${kids} children)`);
    assert.deepEqual(await ui.page.$$eval('.span-row:not([hidden]) .span-name[title]', (els) => els.map((e) => e.getAttribute('title'))).then((t) => t.filter(Boolean)), ['GET /checkout']);
    await row('GET /checkout').locator('.toggle').click();
    await ui.page.mouse.move(0, 0);
  });

  it('collapses and expands one span, and all', async () => {
    await row('POST /cart/total').locator('.toggle').click();
    assert.deepEqual(await names(), ['GET /checkout', 'auth.verify', 'POST /cart/total', 'POST /charge', 'late callback', 'render checkout']);
    await row('POST /cart/total').locator('.toggle').click();
    assert.equal((await names()).length, 9);
    await ui.page.getByRole('button', { name: 'Show only the top level' }).click();
    assert.deepEqual(await names(), ['GET /checkout']);
    await ui.page.getByRole('button', { name: 'Expand every span' }).click();
    assert.equal((await names()).length, 9);
  });

  it('moves with the keyboard: up/down, left/right to collapse/expand, Enter for details', async () => {
    await row('GET /checkout').click();
    await ui.page.keyboard.press('ArrowDown');
    await ui.page.keyboard.press('ArrowDown');
    const focused = () => ui.page.locator('.span-row.focused .span-name').textContent();
    assert.equal(await focused(), 'POST /cart/total');
    await ui.page.keyboard.press('ArrowLeft');
    assert.equal((await names()).length, 6);
    await ui.page.keyboard.press('ArrowRight');
    assert.equal((await names()).length, 9);
    await ui.page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'POST /cart/total');
    assert.equal(await ui.page.locator('.span-row.focused .span-service').textContent(), 'cart-service');
    const service = () => ui.page.locator('.span-row.focused .span-service').textContent();
    await ui.page.keyboard.press('ArrowLeft');
    assert.equal((await names()).length, 7, 'left collapses an expanded span');
    await ui.page.keyboard.press('ArrowLeft');
    assert.equal(await service(), 'frontend', 'left on a collapsed span goes to its parent');
    await ui.page.keyboard.press('ArrowLeft');
    await ui.page.keyboard.press('ArrowLeft');
    assert.equal(await focused(), 'GET /checkout');
    await ui.page.keyboard.press('Enter');
    assert.equal(await details().locator('.details-title').textContent(), 'GET /checkout');
    await ui.page.getByRole('button', { name: 'Expand every span' }).click();
  });
});

describe('span details', () => {
  it('show kind, service, status, times, self time and searchable attributes of every level', async () => {
    await row('SELECT cart_items').click();
    // The span's attributes arrive when it is opened: wait for them.
    await details().locator('.details-title', { hasText: 'SELECT cart_items' }).waitFor();
    await details().locator('.facts dt', { hasText: 'Service' }).first().waitFor();
    const facts = Object.fromEntries(await details().locator('.facts dt').evaluateAll((dts) => dts.map((dt) => [dt.textContent, (dt.nextElementSibling as HTMLElement).innerText.trim()])));
    assert.equal(facts.Service, 'cart-service');
    assert.equal(facts.Kind, 'Client');
    assert.equal(facts.Status, 'Unset');
    assert.equal(facts.Duration, '25.0 ms');
    assert.equal(facts['Self time'], '25.0 ms');
    assert.match(facts.Start, /\(\+15\.0 ms\)$/);
    assert.equal(facts.Parent, 'POST /cart/total');
    const text = await details().innerText();
    assert.match(text, /db\.system\s+postgresql/);
    assert.match(text, /service\.version\s+1\.0\.4/);
    await typeInto(ui.page, '.attribute-search', 'QUERY.TEXT');
    assert.deepEqual(await details().locator('.attribute-table tr:not([hidden]) th').allTextContents(), ['db.query.text']);
    await row('POST /cart/total').click();
    const selfTime = details().locator('.facts dt', { hasText: 'Self time' }).locator('xpath=following-sibling::dd[1]');
    assert.equal(await selfTime.textContent(), '4.00 ms', 'the client call took 60 ms, the server it waited for 56 ms');
  });

  it('show exception events as stack traces whose frames link to the source', async () => {
    await row('POST /charge').click();
    const facts = await details().locator('.facts').innerText();
    assert.match(facts, /Status\s+Error: card declined/);
    const exception = details().locator('.event.exception');
    assert.match(await exception.innerText(), /Error: card declined by issuer/);
    assert.equal(await exception.locator('.frame').count(), 4);
    assert.deepEqual(await exception.locator('.frame.has-source .source-link').allTextContents(), ['charge.ts:42', 'routes.ts:18'], 'node:internal frames are not links');
    const link = exception.locator('.frame.has-source a.source-link').first();
    assert.equal(await link.getAttribute('href'), `vscode://file${SOURCE_FILE}:42:13`);
    assert.equal(await link.textContent(), 'charge.ts:42');
    await exception.locator('.frame.has-source .copy-button').first().click();
    assert.equal(await ui.page.evaluate(() => navigator.clipboard.readText()), `${SOURCE_FILE}:42:13`);
  });

  it('link a span to its source from its code.* attributes', async () => {
    await row('GET /checkout').click();
    const link = details().locator('.details-head a.source-link');
    assert.equal(await link.getAttribute('href'), 'vscode://file/home/dev/shop/src/routes/checkout.ts:27');
  });

  it('show the trace’s logs with the spans and in place on the span they belong to', async () => {
    await eventually(() => ui.page.locator('.trace-logs summary').textContent(), (t) => t === 'Logs of this trace (3)');
    assert.deepEqual(await ui.page.locator('.trace-logs .log-body').allInnerTexts(), ['checkout started', 'cart total computed: 129.90', 'charge failed: card declined by issuer']);
    assert.match((await shownSpans(ui.page))[6].cells[2], /☰ 1/);
    assert.equal(await row('POST /charge').locator('.log-mark').count(), 1);
    await ui.page.locator('.trace-logs .log-span', { hasText: 'POST /charge' }).click();
    assert.equal(await details().locator('.details-title').textContent(), 'POST /charge');
    const spanLog = details().locator('.log-record');
    assert.match(await spanLog.innerText(), /ERROR\s+charge failed: card declined by issuer/);
    assert.equal(await spanLog.locator('a.source-link').getAttribute('href'), `vscode://file${SOURCE_FILE}:44`);
  });

  it('list back-links from other traces, and follow links both ways', async () => {
    await row('POST /charge').click();
    const incoming = details().locator('.links-in .trace-link');
    await eventually(() => incoming.count(), (n) => n === 1);
    assert.equal(await incoming.textContent(), 'refund-worker: refund order');
    await incoming.click();
    await eventually(() => ui.page.locator('.trace-title').textContent(), (t) => t === 'refund-worker: refund order');
    assert.match(ui.page.url(), new RegExp(`trace=${refundTrace}`));
    await row('refund order').click();
    const out = details().locator('.links-out .trace-link');
    assert.match(await out.textContent() ?? '', new RegExp(`trace ${traceId} · span ${c.payment.spanContext().spanId}`));
    await out.click();
    await eventually(() => details().locator('.details-title').textContent().catch(() => ''), (t) => t === 'POST /charge');
    assert.match(ui.page.url(), new RegExp(`trace=${traceId}&span=${c.payment.spanContext().spanId}`));
  });
});

describe('trace tools', () => {
  it('highlight the critical path on demand', async () => {
    assert.equal(await ui.page.locator('.span-row.critical').count(), 0);
    await ui.page.getByRole('button', { name: /Highlight the chain of spans/ }).click();
    const critical = (await shownSpans(ui.page)).filter((r) => r.classes.includes('critical')).map((r) => r.cells[0]);
    assert.deepEqual(critical, ['GET /checkout', 'auth.verify', 'POST /cart/total', 'POST /cart/total', 'SELECT cart_items', 'GET prices', 'POST /charge', 'render checkout']);
    assert.ok(await row('GET /checkout').locator('.critical-segment').count() > 0);
    await ui.page.getByRole('button', { name: /Highlight the chain of spans/ }).click();
    assert.equal(await ui.page.locator('.span-row.critical').count(), 0);
  });

  it('search within the trace, highlighting matches and stepping through them', async () => {
    await typeInto(ui.page, '.trace-search', 'cart');
    await eventually(() => ui.page.locator('.match-count').textContent(), (t) => t === '4 matches');
    const matches = (await shownSpans(ui.page)).filter((r) => r.classes.includes('match')).map((r) => r.cells[0]);
    assert.deepEqual(matches, ['POST /cart/total', 'POST /cart/total', 'SELECT cart_items', 'GET prices']);
    await ui.page.press('.trace-search input', 'Enter');
    await ui.page.press('.trace-search input', 'Enter');
    assert.equal(await ui.page.locator('.match-count').textContent(), '2 of 4');
    assert.equal(await details().locator('.details-title').textContent(), 'POST /cart/total');
    await typeInto(ui.page, '.trace-search', 'postgresql');
    await eventually(() => ui.page.locator('.match-count').textContent(), (t) => t === '1 match');
    await typeInto(ui.page, '.trace-search', '');
    await eventually(() => ui.page.locator('.span-row.match').count(), (n) => n === 0);
  });

  it('export the trace as OTLP/JSON and copy its id', async () => {
    const [download] = await Promise.all([ui.page.waitForEvent('download'), ui.page.getByRole('button', { name: /Save this trace as OTLP\/JSON/ }).click()]);
    assert.equal(download.suggestedFilename(), `trace-${traceId}.json`);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
    const spans = exported.resourceSpans.flatMap((rs: any) => rs.scopeSpans.flatMap((ss: any) => ss.spans));
    assert.equal(spans.length, 9);
    assert.ok(spans.every((s: any) => s.traceId === traceId));
    await ui.page.locator('.trace-id .copy-button').click();
    assert.equal(await ui.page.evaluate(() => navigator.clipboard.readText()), traceId);
    await row('SELECT cart_items').click();
    await details().locator('.facts .copy-button').click();
    assert.equal(await ui.page.evaluate(() => navigator.clipboard.readText()), c.query.spanContext().spanId);
  });

  it('reopen the trace and the selected span after a reload', async () => {
    await ui.page.reload();
    await ui.page.waitForSelector('.span-details');
    assert.equal(await details().locator('.details-title').textContent(), 'SELECT cart_items');
    assert.deepEqual(ui.problems, []);
  });

  it('say so when the data is cleared, instead of showing a trace that is gone', async () => {
    assert.equal((await fetch(`${running.httpUrl}/api/data`, { method: 'DELETE' })).status, 200);
    await ui.page.waitForSelector('text=/is not in the store/');
    assert.equal(await ui.page.locator('.span-row').count(), 0);
  });
});
