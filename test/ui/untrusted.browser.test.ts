// Whatever an app sends stays text: markup, script breakouts, javascript: URLs,
// right-to-left overrides, NUL, ANSI escapes and megabyte values are shown inert and
// short, with the whole value one click away; the page's CSP blocks inline script.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Browser, Page } from 'playwright-core';
import type { RunningEngine } from '../../src/engine/server.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi, type UiPage } from './support/browser.ts';
import { eventually, shownSpans, shownTraces } from './support/pageQueries.ts';
import { sendLogs, span, TraceRecorder } from './support/sdkTraces.ts';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '</script><script>window.__pwned=2</script>';
const JS_URL = 'javascript:window.__pwned=3';
const RLO = 'invoice\u202Efdp.exe';
const NUL = 'before\u0000after';
const ANSI = '\u001b[31mred alert\u001b[0m';
const MEGABYTE = 'A'.repeat(1024 * 1024 - 3) + 'END';

let running: RunningEngine;
let browser: Browser;
let ui: UiPage;
let traceId: string;

before(async () => {
  running = await startTestEngine();
  const rec = new TraceRecorder();
  const tracer = rec.tracer(IMG);
  const t0 = Date.now() - 1000;
  const root = span(tracer, SCRIPT, undefined, t0, t0 + 50, {
    attributes: { 'html': IMG, 'url.full': JS_URL, 'file': RLO, 'nul': NUL, 'ansi': ANSI, 'huge': MEGABYTE, 'code.file.path': JS_URL, 'code.line.number': 1 },
  }, (s) => {
    s.recordException({ name: IMG, message: SCRIPT, stack: `Error: ${IMG}\n    at evil (${JS_URL}:1:1)\n    at ${MEGABYTE}` });
    s.setStatus({ code: SpanStatusCode.ERROR, message: IMG });
  });
  span(tracer, MEGABYTE, root, t0 + 1, t0 + 2);
  span(tracer, RLO + NUL + ANSI, root, t0 + 3, t0 + 4);
  // A request span (last in the waterfall), so the hostile route reaches the golden signals too.
  span(tracer, IMG, root, t0 + 20, t0 + 30, { kind: SpanKind.SERVER, attributes: { 'http.route': SCRIPT, 'http.request.method': 'GET' } });
  traceId = root.spanContext().traceId;
  await rec.send(running.httpUrl);
  await sendHostileMetricAndProfile(running.httpUrl, t0);
  await sendLogs(running.httpUrl, IMG, [{ body: SCRIPT + MEGABYTE, severityNumber: 17, severityText: IMG, span: root, timeMs: t0 + 10 }]);
  browser = await launchBrowser();
  ui = await openUi(browser, running.httpUrl);
});

after(async () => {
  await browser?.close();
  await running?.close();
});

async function sendHostileMetricAndProfile(url: string, t0: number): Promise<void> {
  const attrs = [{ key: 'service.name', value: { stringValue: IMG } }];
  const metric = { name: IMG, description: SCRIPT, unit: RLO, gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: `${t0}000000`, attributes: [{ key: 'html', value: { stringValue: SCRIPT } }] }] } };
  const metrics = await fetch(`${url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceMetrics: [{ resource: { attributes: attrs }, scopeMetrics: [{ metrics: [metric] }] }] }) });
  assert.equal(metrics.status, 200);
  const folded = `main;${IMG};${SCRIPT} 10\nmain;${RLO} 5\nmain;${JS_URL} 1\n`;
  const profile = await fetch(`${url}/api/profiles?name=${encodeURIComponent(IMG)}`, { method: 'POST', body: folded });
  assert.equal(profile.status, 201);
}

async function nothingRan(page: Page = ui.page): Promise<void> {
  const state = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: number }).__pwned,
    images: document.querySelectorAll('img').length,
    scripts: document.querySelectorAll('script').length,
    jsLinks: [...document.querySelectorAll('a')].filter((a) => !a.href.startsWith('vscode://file/')).length,
  }));
  assert.deepEqual(state, { pwned: undefined, images: 0, scripts: 1, jsLinks: 0 });
}

describe('untrusted telemetry', () => {
  it('shows markup in the trace list as text', async () => {
    const rows = await eventually(() => shownTraces(ui.page), (r) => r.length === 1);
    assert.equal(rows[0].cells[1], IMG);
    assert.equal(rows[0].cells[2], SCRIPT);
    await nothingRan();
  });

  it('shows every hostile value inert and short in the waterfall and span details', async () => {
    const started = Date.now();
    await ui.page.locator('.trace-rows .trace-row').first().click();
    await ui.page.locator('.span-row').first().click();
    await ui.page.waitForSelector('.span-details[data-loaded]');
    const names = (await shownSpans(ui.page)).map((r) => r.cells[0]);
    assert.equal(names[0], SCRIPT);
    assert.ok(names[1].startsWith('AAAA') && names[1].length <= 201, 'a megabyte name is cut');
    assert.equal(names[2], 'invoice<U+202E>fdp.exe' + 'before\u2400after' + 'red alert');
    const text = await ui.page.locator('.span-details[data-loaded]').innerText();
    console.log(`# opening the trace with 1 MB values took ${Date.now() - started} ms`);
    assert.match(text, /html\s+<img src=x onerror="window.__pwned=1">/);
    assert.match(text, /url\.full\s+javascript:window\.__pwned=3/);
    assert.match(text, /file\s+invoice<U\+202E>fdp\.exe/);
    assert.match(text, /nul\s+before\u2400after/);
    assert.match(text, /ansi\s+red alert/);
    assert.ok(text.length < 20_000, `details stay short (${text.length} characters)`);
    assert.doesNotMatch(text, /\u202E|\u0000|\u001b/);
    await nothingRan();
  });

  it('never links anywhere but into VS Code, whatever the telemetry’s path says', async () => {
    const hrefs = await ui.page.$$eval('a', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length > 0);
    for (const href of hrefs) assert.match(href ?? '', /^vscode:\/\/file\//);
  });

  it('offers the whole megabyte in a dialog, as text', async () => {
    const row = ui.page.locator('.attribute-table tr', { has: ui.page.locator('th', { hasText: /^huge$/ }) });
    assert.equal(await row.locator('.show-all').textContent(), 'show all (1.0 MB)');
    await row.locator('.show-all').click();
    const area = ui.page.locator('dialog[open] textarea.full-value');
    const value = await area.inputValue();
    assert.equal(value.length, MEGABYTE.length);
    assert.ok(value.endsWith('END'));
    await ui.page.locator('dialog[open] vscode-button', { hasText: 'Close' }).click();
    assert.equal(await ui.page.locator('dialog[open]').count(), 0);
  });

  it('keeps the page responsive while searching through megabyte values', async () => {
    const t = Date.now();
    await ui.page.locator('.trace-search input').fill('END');
    await eventually(() => ui.page.locator('.match-count').textContent(), (v) => v === '2 matches');
    console.log(`# searching 1 MB values took ${Date.now() - t} ms (including a 150 ms typing pause)`);
    await nothingRan();
  });

  it('blocks inline script through the Content-Security-Policy', async () => {
    await ui.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
      s.remove();
    });
    assert.equal(await ui.page.evaluate(() => (window as unknown as { __inline?: number }).__inline), undefined);
    assert.ok(ui.problems.some((p) => p.includes("CSP violation: script-src")), 'the violation was reported');
    assert.deepEqual(ui.problems.filter((p) => !/CSP violation: script-src|Executing inline script violates/.test(p)), []);
  });
});

describe('untrusted telemetry in every other view', () => {
  /** Opens a view, waits until it shows the hostile text (as text), and checks nothing ran. */
  async function holds(query: string, ready: (page: Page) => Promise<unknown>, shown: string[]): Promise<void> {
    const view = await openUi(browser, running.httpUrl, query);
    try {
      await ready(view.page);
      const text = await eventually(() => view.page.locator('body').innerText(), (t) => shown.every((s) => t.includes(s)));
      for (const s of shown) assert.ok(text.includes(s), `${query}: shows ${s.slice(0, 40)} as text`);
      assert.doesNotMatch(text, /\u202E|\u0000|\u001b/, `${query}: no bidi override, NUL or escape reaches the screen`);
      await nothingRan(view.page);
      assert.deepEqual(view.problems.filter((p) => /CSP violation|page error/.test(p)), [], `${query}: no blocked script, no page error`);
    } finally {
      await view.page.context().close();
    }
  }

  it('logs: bodies and severities stay text', async () => {
    await holds('view=logs', (p) => p.waitForSelector('.log-rows .log-row'), [IMG, '</script><script>window.__pwned=2</script>']);
  });

  it('log patterns: templates and examples stay text', async () => {
    await holds('view=logs', async (p) => {
      await p.waitForSelector('.log-rows .log-row');
      await p.click('.mode-button[data-mode=patterns]');
      await p.waitForSelector('.pattern-rows .pattern-row');
    }, ['</script><script>']);
  });

  it('golden signals: services and routes stay text', async () => {
    await holds('view=signals', (p) => p.waitForSelector('.route-table .route-name'), [SCRIPT]);
  });

  it('metrics: names, descriptions, units and attributes stay text', async () => {
    await holds(`view=signals&tab=metrics&metric=${encodeURIComponent(IMG)}`, (p) => p.waitForSelector('.metric-detail .metric-name'), [IMG, SCRIPT, 'html=']);
  });

  it('profiles: profile names and function names stay text', async () => {
    await holds('view=profiles', async (p) => {
      await p.waitForSelector('.profile-table tbody tr');
      await p.locator('.profile-table tbody tr').first().click();
      // The flame graph draws on a canvas; the Top table lists the functions as text.
      await p.getByText('Top', { exact: true }).click();
    }, [IMG, SCRIPT, JS_URL]);
  });
});
