// Alerts and metrics-derived signals in the browser page: a firing alert above the
// charts with its window shaded on them, a click that charts the alert's route, and a
// metrics-only service whose view says where its figures come from and how precise its
// percentiles are.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { Browser } from 'playwright-core';
import { addTraffic, seeded } from '../../src/engine/alerts/syntheticTraffic.ts';
import type { RunningEngine } from '../../src/engine/server.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi } from './support/browser.ts';
import { eventually } from './support/pageQueries.ts';

let running: RunningEngine;
let browser: Browser;
const MINUTE = 60_000;
const NOW = Date.now();
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

before(async () => {
  running = await startTestEngine();
  const e = running.engine;
  e.alerts.stop();
  // Forty minutes of steady traffic; /users/:id four times slower for the last six, the
  // alerts evaluated every 5 s along the way as the engine does.
  const random = seeded(11);
  for (let t = NOW - 40 * MINUTE; t < NOW; t += 5000) {
    for (const route of ['/users/:id', '/cart']) {
      const slow = route === '/users/:id' && t > NOW - 6 * MINUTE;
      addTraffic(e.signals, { service: 'shop', route, perSecond: 10, medianMs: slow ? 160 : 40, errorRate: 0.01 }, t * 1e6, 5, random);
    }
    e.alerts.evaluate((t + 5000) * 1e6);
  }
  const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${running.httpUrl}/v1/metrics`, temporalityPreference: AggregationTemporality.DELTA }), exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'billing' }), readers: [reader] });
  const h = provider.getMeter('browser-test').createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.05, 0.1, 0.25, 0.5] } });
  for (let i = 0; i < 100; i++) h.record(i < 90 ? 0.07 : 0.3, { 'http.route': '/invoices/:id', 'http.response.status_code': 200 });
  await reader.forceFlush();
  await provider.shutdown();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await running?.close();
});

describe('alerts on the Golden Signals view', () => {
  it('shows the firing alert, shades its window on every chart, and charts its route on click', async () => {
    const ui = await openUi(browser, running.httpUrl, `view=signals&service=shop&range=custom&from=${ns(NOW - 30 * MINUTE)}&to=${ns(NOW)}`);
    try {
      const chip = await ui.page.waitForSelector('.alert-chip[data-state="firing"]');
      assert.match((await chip.textContent()) ?? '', /route-p99-doubled.*p99 of \/users\/:id \(shop\) is .*× its baseline/);
      const marks = await eventually(() => ui.page.$$eval('.signal-chart', (charts) => charts.map((c) => (c as HTMLElement).dataset.marks ?? '0')), (m) => m.length === 3 && m.every((x) => x === '1'));
      assert.deepEqual(marks, ['1', '1', '1']);
      assert.match((await ui.page.textContent('.signal-source')) ?? '', /From spans/);
      await chip.click();
      await eventually(() => ui.page.evaluate(() => location.hash + location.search), (url) => decodeURIComponent(url).includes('route=/users/:id'));
      assert.deepEqual(ui.problems, []);
    } finally {
      await ui.page.context().close();
    }
  });

  it('says a metrics-only service comes from OTLP metrics, with the buckets its percentiles fell in', async () => {
    const ui = await openUi(browser, running.httpUrl, 'view=signals&service=billing&range=15m');
    try {
      const badge = await ui.page.waitForSelector('.source-badge[data-source="otlp-metrics"]');
      assert.equal(await badge.textContent(), 'OTLP metrics');
      const note = (await ui.page.textContent('.signal-source')) ?? '';
      assert.match(note, /explicit histogram buckets: the true p50 lies in 50\.0 ms–100 ms/);
      assert.match(note, /p99 in 250 ms–500 ms/);
      assert.equal(await ui.page.$$eval('.route-row', (rows) => rows.map((r) => (r as HTMLElement).dataset.route).join()), '/invoices/:id');
      assert.equal(await ui.page.$('.alert-chip'), null);
      assert.deepEqual(ui.problems, []);
    } finally {
      await ui.page.context().close();
    }
  });
});
