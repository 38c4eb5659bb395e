// `npm run screenshots`: the README's pictures of the trace list, the waterfall and the
// logs view (records and patterns), in light and dark, taken by the UI test harness. The data comes from the demo app (run
// against a fresh engine for a few seconds); without the demo, from the test scenario.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceSummary, TracesResponse } from '../../src/protocol/api.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi } from './support/browser.ts';
import { checkout } from './support/scenarios.ts';
import { sendLogs, TraceRecorder } from './support/sdkTraces.ts';
import { takeSignalsScreenshots } from './signalsScreenshots.ts';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'docs', 'screenshots');
const DEMO_SECONDS = 12;

async function runDemo(endpoint: string): Promise<boolean> {
  if (!existsSync(join(ROOT, 'demo', 'main.ts'))) return false;
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'demo', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, DEMO_SECONDS: String(DEMO_SECONDS), DEMO_USER_PORT: '0', DEMO_PROFILE_PORT: '0', DEMO_RATE: '6' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return code === 0;
}

async function scenarioData(endpoint: string): Promise<void> {
  const rec = new TraceRecorder();
  const now = Date.now();
  const logs = [];
  for (let i = 0; i < 40; i++) logs.push(...checkout(rec, now - 40_000 + i * 1000, { fail: i % 6 === 4, user: `u-${1000 + i}` }).logs);
  await rec.send(endpoint);
  await sendLogs(endpoint, 'frontend', logs);
}

/** The most telling trace to show: an error that crosses services, with the most spans. */
function pick(traces: TraceSummary[]): TraceSummary {
  const score = (t: TraceSummary) => (t.errorCount ? 1000 : 0) + t.services.length * 100 + Math.min(t.spanCount, 99);
  return [...traces].sort((a, b) => score(b) - score(a))[0];
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const running = await startTestEngine(256);
  try {
    const fromDemo = await runDemo(running.httpUrl);
    if (!fromDemo) await scenarioData(running.httpUrl);
    const { traces } = (await (await fetch(`${running.httpUrl}/api/traces?limit=200`)).json()) as TracesResponse;
    const shown = pick(traces);
    const browser = await launchBrowser();
    for (const scheme of ['light', 'dark'] as const) {
      const list = await openUi(browser, running.httpUrl, '', { colorScheme: scheme, width: 1280, height: 720 });
      await list.page.waitForSelector('.trace-rows .trace-row');
      await list.page.click('.live-toggle'); // hold still for the picture
      await list.page.screenshot({ path: join(OUT, `trace-list-${scheme}.png`) });
      await list.page.context().close();

      const trace = await openUi(browser, running.httpUrl, `trace=${shown.traceId}`, { colorScheme: scheme, width: 1280, height: 720 });
      await trace.page.waitForSelector('.span-row');
      const error = trace.page.locator('.span-row.error').last();
      await (await error.count() ? error : trace.page.locator('.span-row').first()).click();
      await trace.page.waitForTimeout(300);
      await trace.page.screenshot({ path: join(OUT, `waterfall-${scheme}.png`) });
      await trace.page.context().close();

      const logs = await openUi(browser, running.httpUrl, 'view=logs', { colorScheme: scheme, width: 1280, height: 720 });
      await logs.page.waitForSelector('.log-rows .log-row');
      await logs.page.click('.live-toggle');
      const warning = logs.page.locator('.log-rows .log-row.sev-warn:not([hidden]), .log-rows .log-row.sev-error:not([hidden])').first();
      await (await warning.count() ? warning : logs.page.locator('.log-rows .log-row:not([hidden])').first()).click();
      await logs.page.waitForSelector('.log-details');
      await logs.page.screenshot({ path: join(OUT, `logs-${scheme}.png`) });
      await logs.page.click('.mode-button[data-mode=patterns]');
      await logs.page.waitForSelector('.pattern-rows .pattern-row');
      await logs.page.screenshot({ path: join(OUT, `log-patterns-${scheme}.png`) });
      await logs.page.context().close();
      // A side-by-side editor group: the details go under the waterfall.
      const narrow = await openUi(browser, running.httpUrl, `trace=${shown.traceId}`, { colorScheme: scheme, width: 800, height: 600 });
      await narrow.page.waitForSelector('.span-row');
      const failed = narrow.page.locator('.span-row.error').last();
      await (await failed.count() ? failed : narrow.page.locator('.span-row').first()).click();
      await narrow.page.waitForSelector('.span-details[data-loaded]');
      await narrow.page.screenshot({ path: join(OUT, `waterfall-narrow-${scheme}.png`) });
      await narrow.page.context().close();
    }
    await browser.close();
    console.log(`screenshots of ${fromDemo ? 'the demo’s' : 'scenario'} data in ${OUT}`);
    await takeSignalsScreenshots();
  } finally {
    await running.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
