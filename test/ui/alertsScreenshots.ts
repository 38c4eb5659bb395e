// The README's pictures of alerts on the Golden Signals view (`tsx test/ui/alertsScreenshots.ts`):
// half an hour of steady traffic, then a route whose p99 more than doubled, evaluated as
// the engine does every 5 s, so the built-in rule fired and its window is marked; and a
// service that only exports request metrics, with where its figures come from.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { addTraffic, seeded } from '../../src/engine/alerts/syntheticTraffic.ts';
import { startEngine } from '../../src/engine/server.ts';
import { launchBrowser, openUi } from './support/browser.ts';

const OUT = join(__dirname, '..', '..', 'docs', 'screenshots');
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

export async function takeAlertsScreenshots(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 256 << 20, maxBodyBytes: 20 << 20 });
  try {
    const e = running.engine;
    e.alerts.stop();
    const now = Date.now();
    const start = now - 40 * 60_000;
    const random = seeded(3);
    const routes = [{ route: '/users/:id', medianMs: 35 }, { route: '/cart', medianMs: 12 }, { route: '/checkout', medianMs: 80 }];
    for (let t = start; t < now; t += 5000) {
      const regressed = t > now - 6 * 60_000;
      for (const r of routes) {
        addTraffic(e.signals, { service: 'shop', route: r.route, perSecond: 12, medianMs: regressed && r.route === '/users/:id' ? r.medianMs * 4 : r.medianMs, errorRate: 0.01 }, t * 1e6, 5, random);
      }
      e.alerts.evaluate((t + 5000) * 1e6);
    }
    // A service with request metrics only.
    const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${running.httpUrl}/v1/metrics`, temporalityPreference: AggregationTemporality.DELTA }), exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'billing' }), readers: [reader] });
    const h = provider.getMeter('screens').createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] } });
    for (let i = 0; i < 400; i++) h.record(0.01 + random() * 0.2, { 'http.route': i % 3 ? '/invoices/:id' : '/invoices', 'http.response.status_code': random() < 0.03 ? 500 : 200 });
    await reader.forceFlush();
    await provider.shutdown();

    const browser = await launchBrowser();
    const window = `range=custom&from=${ns(now - 30 * 60_000)}&to=${ns(now)}`;
    for (const scheme of ['light', 'dark'] as const) {
      const ui = await openUi(browser, running.httpUrl, `view=signals&service=shop&${window}`, { colorScheme: scheme, width: 1400, height: 900 });
      await ui.page.waitForSelector('.alert-chip');
      await ui.page.waitForTimeout(1000);
      await ui.page.screenshot({ path: join(OUT, `alerts-${scheme}.png`) });
      await ui.page.context().close();
    }
    const metrics = await openUi(browser, running.httpUrl, `view=signals&service=billing&range=15m`, { colorScheme: 'dark', width: 1400, height: 900 });
    await metrics.page.waitForSelector('.source-badge');
    await metrics.page.waitForTimeout(1000);
    await metrics.page.screenshot({ path: join(OUT, 'signals-from-metrics-dark.png') });
    await browser.close();
    console.log(`Alert screenshots in ${OUT}`);
  } finally {
    await running.close();
  }
}

if (require.main === module) void takeAlertsScreenshots();
