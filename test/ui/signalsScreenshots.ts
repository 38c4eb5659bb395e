// `npm run screenshots` (also alone: `tsx test/ui/signalsScreenshots.ts`): the README's
// pictures of the Golden Signals view, light and dark, comparing the demo before and
// after `DEMO_SLOW=1`, and of the metrics explorer. The engine scrapes the demo's
// Prometheus endpoint as a user's `loupe.scrapeTargets` would have it.

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startEngine } from '../../src/engine/server.ts';
import { launchBrowser, openUi } from './support/browser.ts';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'docs', 'screenshots');
const PHASE_SECONDS = Number(process.env.PHASE_SECONDS ?? 150);
const WARM_UP_MS = 20_000;
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function runDemo(endpoint: string, userPort: number, slow: boolean): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'demo', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, DEMO_SECONDS: String(PHASE_SECONDS), DEMO_USER_PORT: String(userPort), DEMO_PROFILE_PORT: '0', DEMO_RATE: '8', DEMO_SLOW: slow ? '1' : '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the demo exited with ${code}`);
}

export async function takeSignalsScreenshots(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const userPort = await freePort();
  const running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 256 << 20, maxBodyBytes: 20 << 20, scrapeIntervalMs: 5000 });
  try {
    running.engine.scraper.setTargets([`user-service=http://127.0.0.1:${userPort}/metrics`]);
    const before = Date.now();
    await runDemo(running.httpUrl, userPort, false);
    const switched = Date.now();
    await runDemo(running.httpUrl, userPort, true);
    const after = Date.now();
    // The first seconds of each run are start-up (JIT, connections): left out of both windows.
    const query = `view=signals&service=user-service&range=custom&from=${ns(switched + WARM_UP_MS)}&to=${ns(after)}&compare=pinned&pinFrom=${ns(before + WARM_UP_MS)}&pinTo=${ns(switched)}`;
    const browser = await launchBrowser();
    for (const scheme of ['light', 'dark'] as const) {
      const ui = await openUi(browser, running.httpUrl, query, { colorScheme: scheme, width: 1400, height: 1000 });
      await ui.page.waitForSelector('.route-row');
      await ui.page.waitForTimeout(1500);
      await ui.page.screenshot({ path: join(OUT, `signals-${scheme}.png`) });
      await ui.page.context().close();
    }
    const metrics = await openUi(browser, running.httpUrl, `view=signals&tab=metrics&service=user-service&metric=db.client.connection.count&range=custom&from=${ns(before)}&to=${ns(after)}`, { colorScheme: 'dark', width: 1400, height: 800 });
    await metrics.page.waitForSelector('.series-table');
    await metrics.page.waitForTimeout(1000);
    await metrics.page.screenshot({ path: join(OUT, 'metrics-dark.png') });
    await browser.close();
    console.log(`Golden Signals screenshots of the demo (${PHASE_SECONDS} s normal, ${PHASE_SECONDS} s DEMO_SLOW) in ${OUT}`);
  } finally {
    await running.close();
  }
}

if (require.main === module) {
  takeSignalsScreenshots().then(() => process.exit(0), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
