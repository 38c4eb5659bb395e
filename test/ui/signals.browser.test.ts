// The Golden Signals view in a real browser: the charts and route table of a service,
// compare against a pinned baseline with its deltas, sorting, the brush that narrows every
// chart, and the way from a row or a chart point to the traces behind it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Browser } from 'playwright-core';
import type { RunningEngine } from '../../src/engine/server.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi, type UiPage } from './support/browser.ts';
import { eventually, shownTraces } from './support/pageQueries.ts';
import { span, TraceRecorder } from './support/sdkTraces.ts';

let running: RunningEngine;
let browser: Browser;
const MINUTE = 60_000;
/** Baseline: [B0, B0+5 min); current: [B0+5 min, B0+10 min). */
const B0 = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;
const C0 = B0 + 5 * MINUTE;
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);

before(async () => {
  running = await startTestEngine();
  const rec = new TraceRecorder();
  const shop = rec.tracer('shop');
  const request = (route: string, at: number, ms: number, error = false) => span(shop, `GET ${route}`, undefined, at, at + ms, {
    kind: SpanKind.SERVER, attributes: { 'http.route': route, 'http.response.status_code': error ? 500 : 200 },
  }, (s) => { if (error) s.setStatus({ code: SpanStatusCode.ERROR }); });
  // Baseline: /checkout at 10 ms with one error; current: at 30 ms with three errors.
  for (let i = 0; i < 60; i++) request('/checkout', B0 + i * 5000, 10, i === 0);
  for (let i = 0; i < 60; i++) request('/checkout', C0 + i * 5000, 30, i < 3);
  // /health: more traffic, always fast, in both windows.
  for (let i = 0; i < 100; i++) request('/health', B0 + i * 3000, 1);
  for (let i = 0; i < 100; i++) request('/health', C0 + i * 3000, 1);
  await rec.send(running.httpUrl);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await running?.close();
});

const compareQuery = `view=signals&service=shop&range=custom&from=${ns(C0)}&to=${ns(C0 + 5 * MINUTE)}&compare=pinned&pinFrom=${ns(B0)}&pinTo=${ns(B0 + 5 * MINUTE)}`;

async function routeRows(ui: UiPage): Promise<{ route: string; cells: string[] }[]> {
  return ui.page.$$eval('.route-row', (rows) => rows.map((r) => ({
    route: (r as HTMLElement).dataset.route ?? '',
    cells: [...r.querySelectorAll('td')].map((td) => td.textContent ?? ''),
  })));
}

/** Opens the view with `query` once its route table has both routes, runs `check`, and closes the page. */
async function withSignals(query: string, check: (ui: UiPage) => Promise<void>): Promise<void> {
  const ui = await openUi(browser, running.httpUrl, query);
  try {
    await eventually(() => routeRows(ui), (r) => r.length === 2);
    await check(ui);
    assert.deepEqual(ui.problems, []);
  } finally {
    await ui.page.context().close();
  }
}

/** The plotting area of the n-th chart, on screen. */
async function plotBox(ui: UiPage, n: number): Promise<{ x: number; y: number; width: number; height: number }> {
  return (await ui.page.locator('.signal-chart').nth(n).locator('.u-over').boundingBox())!;
}

const summaries = (ui: UiPage) => ui.page.$$eval('.signal-chart', (charts) => charts.map((c) => `${c.querySelector('.chart-title')?.textContent}: ${c.querySelector('.chart-summary')?.textContent}`));

describe('the Golden Signals view', () => {
  it('charts latency, traffic and errors with the change against a pinned baseline, and lists the routes with deltas', () => withSignals(compareQuery, async (ui) => {
    const rows = await routeRows(ui);
    // Sorted by traffic: /health (100 requests) before /checkout (60).
    assert.deepEqual(rows.map((r) => r.route), ['/health', '/checkout']);
    const checkout = rows[1].cells;
    assert.match(checkout[2], /^3×3$/, `errors cell "${checkout[2]}": 3, three times the baseline's 1`);
    assert.match(checkout[6], /^30\.\d ms\+\d+ %$/, `p99 cell "${checkout[6]}"`);
    assert.match(checkout[6], /\+(19\d|20\d) %$/, 'p99 rose about 200 %');
    assert.match(rows[0].cells[1], /±0 %|\+0 %|−0 %|[+−]\d(\.\d)? %/, 'traffic of /health is unchanged');

    const heads = await eventually(() => summaries(ui), (s) => s.length >= 3 && s[0].includes('p99'));
    assert.match(heads[0], /^Latency: .*p99 30\.\d ms.*p99 \+/);
    // The service as a whole: 3 errors now against 1 in the baseline.
    assert.match(heads[2], /^Errors: 3 \(1\.9 %\)errors ×3$/, heads[2]);
    assert.equal(await ui.page.locator('.signal-chart canvas').count() >= 3, true, 'three uPlot canvases');

    // Sorting by p99 puts the slow route first; again reverses it.
    await ui.page.click('button.sort[data-sort="p99Ms"]');
    assert.deepEqual((await routeRows(ui)).map((r) => r.route), ['/checkout', '/health']);
    await ui.page.click('button.sort[data-sort="p99Ms"]');
    assert.deepEqual((await routeRows(ui)).map((r) => r.route), ['/health', '/checkout']);
  }));

  it('narrows every chart to a brushed range, kept in the URL', () => withSignals(compareQuery, async (ui) => {
    const box = await plotBox(ui, 0);
    await ui.page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await ui.page.mouse.down();
    await ui.page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
    await ui.page.mouse.up();
    const url = await eventually(async () => new URL(ui.page.url()), (u) => u.searchParams.get('from') !== ns(C0));
    const from = Number(BigInt(url.searchParams.get('from')!) / 1_000_000n);
    const to = Number(BigInt(url.searchParams.get('to')!) / 1_000_000n);
    assert.ok(from > C0 + 30_000 && to < C0 + 5 * MINUTE - 60_000 && to - from > 60_000, `brushed ${new Date(from).toISOString()} – ${new Date(to).toISOString()}`);
    // Every chart's x axis now spans the brushed range: their first tick labels agree.
    const firstTicks = await eventually(() => ui.page.$$eval('.signal-chart', (charts) => charts.map((c) => c.querySelector('.u-axis')?.textContent ?? '')), (t) => t.length >= 3 && new Set(t.slice(0, 3)).size === 1);
    assert.equal(new Set(firstTicks.slice(0, 3)).size, 1);
    // The table follows: /checkout's three errors were in the window's first 15 s, outside the brushed range.
    await eventually(() => routeRows(ui), (r) => r.find((x) => x.route === '/checkout')?.cells[2].startsWith('0') === true);
    await ui.page.goBack();
    await eventually(async () => new URL(ui.page.url()).searchParams.get('from'), (f) => f === ns(C0));
  }));

  it('opens the traces of a route from its row, and of a step from a chart point', () => withSignals(compareQuery, async (ui) => {
    await ui.page.click('.route-row[data-route="/checkout"] td.col-errors');
    const url = await eventually(async () => new URL(ui.page.url()), (u) => u.searchParams.get('view') === 'traces');
    assert.equal(url.searchParams.get('service'), 'shop');
    assert.deepEqual(url.searchParams.getAll('attr'), ['http.route=/checkout']);
    // The list is virtual: the rows on screen are all the route's, newest (last in the window) first.
    const traces = await eventually(() => shownTraces(ui.page), (t) => t.length >= 10);
    assert.ok(traces.every((t) => t.cells[2] === 'GET /checkout' && t.cells[1] === 'shop'));
    const newest = new Date(C0 + 59 * 5000);
    assert.equal(traces[0].cells[0], `${String(newest.getHours()).padStart(2, '0')}:${String(newest.getMinutes()).padStart(2, '0')}:${String(newest.getSeconds()).padStart(2, '0')}.000`);
    assert.match(await ui.page.textContent('.list-status') ?? '', /\b60 traces\b|\b60\b/);

    await ui.page.goBack();
    await eventually(() => routeRows(ui), (r) => r.length === 2);
    // A point in the middle of the traffic chart: the traces of that 10 s step (or so).
    const box = await plotBox(ui, 1);
    await ui.page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const step = await eventually(async () => new URL(ui.page.url()), (u) => u.searchParams.get('view') === 'traces');
    const from = Date.parse(step.searchParams.get('from')!);
    const to = Date.parse(step.searchParams.get('to')!);
    assert.ok(to - from <= 12_000 && from >= C0 && to <= C0 + 5 * MINUTE + 1000, `a step's window: ${step.searchParams.get('from')} – ${step.searchParams.get('to')}`);
    const inStep = await eventually(() => shownTraces(ui.page), (t) => t.length > 0);
    assert.ok(inStep.length <= 8, `${inStep.length} traces in one step`);
  }));

  it('says when there are no metrics, then lists them with their series; an exemplar opens its trace', async () => {
    const empty = await startTestEngine();
    const blank = await openUi(browser, empty.httpUrl, 'view=signals&tab=metrics');
    try {
      await eventually(() => blank.page.textContent('.metric-detail'), (t) => !!t && /No metrics yet/.test(t));
    } finally {
      await blank.page.context().close();
      await empty.close();
    }

    const t = C0 + 2 * MINUTE;
    const traceId = (await (await fetch(`${running.httpUrl}/api/traces?service=shop&limit=1`)).json() as { traces: { traceId: string }[] }).traces[0].traceId;
    const point = (route: string, count: number) => ({
      attributes: [{ key: 'http.route', value: { stringValue: route } }],
      startTimeUnixNano: ns(t - 10_000), timeUnixNano: ns(t), count: String(count), sum: count * 5, bucketCounts: [String(count), '0'], explicitBounds: [10],
      ...(route === '/checkout' ? { exemplars: [{ timeUnixNano: ns(t), asDouble: 900, traceId, spanId: '00f067aa0ba902b7' }] } : {}),
    });
    const body = { resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] }, scopeMetrics: [{ metrics: [
      { name: 'http.server.request.duration', unit: 'ms', histogram: { aggregationTemporality: 1, dataPoints: [point('/checkout', 4), point('/health', 9)] } },
      { name: 'queue.depth', gauge: { dataPoints: [{ timeUnixNano: ns(t), asDouble: 7 }] } },
    ] }] }] };
    assert.equal((await fetch(`${running.httpUrl}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status, 200);

    const ui = await openUi(browser, running.httpUrl, `view=signals&tab=metrics&metric=http.server.request.duration&range=custom&from=${ns(t - MINUTE)}&to=${ns(t + MINUTE)}`);
    try {
      const names = await eventually(() => ui.page.$$eval('.metric-item', (items) => items.map((i) => (i as HTMLElement).dataset.metric)), (n) => n.length === 2);
      assert.deepEqual(names, ['http.server.request.duration', 'queue.depth']);
      const series = await eventually(() => ui.page.$$eval('.series-table tbody tr', (rows) => rows.map((r) => r.textContent)), (r) => r.length === 2);
      assert.match(series.join('|'), /http\.route=\/checkout/);
      assert.match(await ui.page.textContent('.metric-about') ?? '', /histogram · unit ms · a histogram, shown as percentiles/);
      // The exemplar is the point at 900 ms in the middle of the window.
      const over = ui.page.locator('.metric-detail .u-over');
      const box = (await over.boundingBox())!;
      await ui.page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.1);
      const url = await eventually(async () => new URL(ui.page.url()), (u) => u.searchParams.get('view') === 'traces');
      assert.equal(url.searchParams.get('trace'), traceId);
      assert.deepEqual(ui.problems, []);
    } finally {
      await ui.page.context().close();
    }
  });
});
