// Trace compare in a real browser, on two real requests to the demo: the same user
// fetched from a normal user service and from one started with DEMO_SLOW (its database
// query lost its index), with the same simulated luck. The slow query must lead the
// differences, and the view must be reachable from the trace page.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { registerContextPropagation, startServiceTelemetry } from '../../demo/instrumentation/telemetry.ts';
import { startProfileService } from '../../demo/profiles/profileService.ts';
import { seedSimulation } from '../../demo/simulation.ts';
import { startUserService } from '../../demo/users/userService.ts';
import type { RunningEngine } from '../../src/engine/server.ts';
import type { TracesResponse } from '../../src/protocol/api.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi, type UiPage } from './support/browser.ts';
import { eventually } from './support/pageQueries.ts';

const SHOTS = join(__dirname, '../../docs/screenshots');
let running: RunningEngine;
let browser: Browser;
let ui: UiPage;
let fast: string;
let slow: string;

/** One GET /users/7 through a fresh pair of demo services, its telemetry flushed. */
async function demoRequest(engineUrl: string, slowServices: boolean): Promise<void> {
  const userTelemetry = startServiceTelemetry({ name: 'user-service', version: '1.4.0' }, engineUrl);
  const profileTelemetry = startServiceTelemetry({ name: 'profile-service', version: '0.9.2' }, engineUrl);
  const profiles = await startProfileService(profileTelemetry, 0, slowServices);
  const users = await startUserService(userTelemetry, { port: 0, profileServiceUrl: profiles.url, slow: slowServices });
  // This seed's first draws: the normal query takes its typical ~10 ms, the slow one hits
  // its lost-index tail (~1.6 s); neither run fails.
  seedSimulation(144);
  const res = await fetch(`${users.url}/users/7`);
  assert.equal(res.status, 200, await res.text());
  await users.close();
  await profiles.close();
  await Promise.all([userTelemetry.shutdown(), profileTelemetry.shutdown()]);
}

before(async () => {
  running = await startTestEngine();
  registerContextPropagation();
  await demoRequest(running.httpUrl, false);
  await demoRequest(running.httpUrl, true);
  // The two requests' traces, newest (the slow one) first.
  const { traces } = (await (await fetch(`${running.httpUrl}/api/traces?service=user-service&operation=${encodeURIComponent('GET /users/:id')}`)).json()) as TracesResponse;
  [slow, fast] = traces.filter((t) => t.rootName === 'GET /users/:id').map((t) => t.traceId);
  assert.ok(slow && fast, JSON.stringify(traces));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await running?.close();
});

describe('trace compare', () => {
  it('puts the slow database query first in the difference', async () => {
    ui = await openUi(browser, running.httpUrl, `view=compare&a=${fast}&b=${slow}`);
    const { page } = ui;
    await page.locator('.diff-row[data-name]').first().waitFor();
    const rows = await page.locator('.diff-row[data-name]').evaluateAll((els) => els.map((e) => ({
      name: (e as HTMLElement).dataset.name,
      delta: e.querySelector('.diff-delta')?.textContent ?? '',
      source: e.querySelector('.diff-source')?.textContent ?? '',
    })));
    assert.equal(rows[0].name, 'SELECT users', JSON.stringify(rows));
    assert.match(rows[0].delta, /^\+/);
    assert.match(await page.locator('.compare-delta-label').textContent() ?? '', /B is slower/);
    // The merged tree has both traces' root with the duration of each.
    const root = page.locator('.tree-row').nth(1);
    assert.match(await root.textContent() ?? '', /user-service\s*GET \/users\/:id/);
    assert.deepEqual(ui.problems, []);
    await page.locator('.compare-run').first().waitFor();
    await page.screenshot({ path: join(SHOTS, 'compare-light.png'), fullPage: true });
    const dark = await openUi(browser, running.httpUrl, `view=compare&a=${fast}&b=${slow}`, { colorScheme: 'dark' });
    await dark.page.locator('.compare-run').first().waitFor();
    await dark.page.screenshot({ path: join(SHOTS, 'compare-dark.png'), fullPage: true });
    await dark.page.context().close();
  });

  it('is reached from a trace with "Compare with previous", which finds the earlier run', async () => {
    const { page } = ui;
    await page.goto(`${running.httpUrl}/?view=traces&trace=${slow}`);
    await page.locator('vscode-button', { hasText: 'Compare with previous' }).click();
    await page.locator('.diff-row[data-name]').first().waitFor();
    assert.match(page.url(), new RegExp(`view=compare.*a=${slow}`));
    assert.match(await page.locator('.compare-basis').textContent() ?? '', /previous run/);
    const ids = await page.locator('.compare-side .compare-id').allTextContents();
    assert.deepEqual(ids, [slow, fast]);
    // A is the slow one here: B, the previous run, is faster.
    assert.match(await page.locator('.compare-delta-label').textContent() ?? '', /B is faster/);
    assert.equal(await page.locator('.diff-row[data-name]').first().getAttribute('data-name'), 'SELECT users');
  });

  it('lists the runs of the operation, swaps A and B, and explains a bad id', async () => {
    const { page } = ui;
    const runs = page.locator('.compare-run');
    await runs.first().waitFor();
    assert.deepEqual(await page.locator('.compare-run-role').allTextContents(), ['A', 'B']);
    await page.locator('vscode-button', { hasText: 'Swap A and B' }).click();
    await eventually(() => page.locator('.compare-side .compare-id').allTextContents(), (ids) => ids.join() === `${fast},${slow}`);
    assert.match(await page.locator('.compare-delta-label').textContent() ?? '', /B is slower/);
    await page.goto(`${running.httpUrl}/?view=compare&a=${'0'.repeat(32)}&against=previous`);
    await page.locator('.compare-message.error-text').waitFor();
    assert.match(await page.locator('.compare-message.error-text').textContent() ?? '', /Cannot compare: a: trace 0{32} is not in the store/);
  });

  it('compares the runs before and after a time per span name', async () => {
    const { page } = ui;
    const { traces } = (await (await fetch(`${running.httpUrl}/api/traces?q=${slow}`)).json()) as TracesResponse;
    await page.goto(`${running.httpUrl}/?view=compare&service=user-service&operation=${encodeURIComponent('GET /users/:id')}&at=${traces[0].startTimeUnixNano}`);
    const first = page.locator('.group-row[data-name]').first();
    await first.waitFor();
    const names = await page.locator('.group-row[data-name]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name));
    assert.ok(names.includes('SELECT users'), JSON.stringify(names));
    await eventually(() => page.locator('.compare-side-title').allTextContents(), (t) => t.join() === '1 runs,1 runs');
  });
});
