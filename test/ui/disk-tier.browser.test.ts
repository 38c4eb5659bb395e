// The UI over an engine whose small memory budget evicts to its disk tier: trace, log and
// profile rows read from disk carry a mark with a tooltip, the trace page says the trace
// was read from disk, a log record's details say so, and so does a profile's page. Set LOUPE_UI_SHOTS to a folder to keep
// light and dark screenshots.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startEngine, type RunningEngine } from '../../src/engine/server.ts';
import { launchBrowser, openUi } from './support/browser.ts';
import { eventually } from './support/pageQueries.ts';

const MiB = 1048576;
const FROM_DISK = 'From disk: evicted from memory, slower';
const T0 = Date.now() - 3_600_000;
let root: string;
let running: RunningEngine;
let browser: Browser;

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

/** 50 one-span traces a second apart: the first of them by `archive`, the rest by `bulk`, padded to fill memory. */
function traceBatch(b: number): string {
  const spans = (service: string, from: number, to: number) => ({
    resource: { attributes: [str('service.name', service)] },
    scopeSpans: [{ spans: Array.from({ length: to - from }, (_, i) => {
      const t = b * 50 + from + i;
      return { traceId: hex(t + 1, 32), spanId: hex(t + 1, 16), name: service === 'archive' ? `GET /orders/${t}` : 'bulk work', kind: 2, startTimeUnixNano: nanos(T0 + t * 200), endTimeUnixNano: nanos(T0 + t * 200 + 35), attributes: [str('pad', 'p'.repeat(1000))] };
    }) }],
  });
  return JSON.stringify({ resourceSpans: [spans('archive', 0, 1), spans('bulk', 1, 50)] });
}

function logBatch(b: number): string {
  const logRecords = Array.from({ length: 400 }, (_, i) => ({ timeUnixNano: nanos(T0 + (b * 400 + i) * 20), severityNumber: i % 7 ? 9 : 17, body: { stringValue: `order ${b * 400 + i} handled ${'.'.repeat(200)}` } }));
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [str('service.name', 'archive')] }, scopeLogs: [{ logRecords }] }] });
}

async function post(signal: string, body: string): Promise<void> {
  const res = await fetch(`${running.httpUrl}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(res.status, 200, await res.text());
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'loupe-disk-ui-'));
  running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 8 * MiB, maxBodyBytes: 20 * MiB, dataDir: join(root, 'data'), diskBudgetBytes: 256 * MiB, retentionHours: 72 });
  // A profile first, then logs: the traces after them push the profile, every record (and
  // the oldest traces) out of memory, which then holds the 4 MiB span chunk being filled.
  const pprof = readFileSync(join(__dirname, '../../src/engine/profiles/fixtures/go-cpu.pb.gz'));
  const imported = await fetch(`${running.httpUrl}/api/profiles?name=go-cpu.pb.gz`, { method: 'POST', body: pprof });
  assert.equal(imported.status, 201, await imported.text());
  for (let b = 0; b < 30; b++) await post('logs', logBatch(b));
  for (let b = 0; b < 100; b++) await post('traces', traceBatch(b));
  const status = running.engine.status('test');
  assert.ok(status.dropped.spans > 0 && status.dropped.logs > 0 && (status.dropped.profiles ?? 0) > 0, 'memory evicted traces, logs and the profile to disk');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await running?.close();
  rmSync(root, { recursive: true, force: true });
});

interface MarkedRow {
  text: string;
  fromDisk: boolean;
  title: string;
}

function markedRows(page: Page, rows: string): Promise<MarkedRow[]> {
  return page.evaluate((selector) => [...document.querySelectorAll<HTMLElement>(selector)]
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
    .map((r) => {
      const mark = r.querySelector<HTMLElement>('.disk-mark')!;
      return { text: r.innerText, fromDisk: !mark.hidden && mark.getBoundingClientRect().width > 0, title: mark.title };
    }), rows);
}

async function shoot(page: Page, name: string): Promise<void> {
  if (process.env.LOUPE_UI_SHOTS) await page.screenshot({ path: join(process.env.LOUPE_UI_SHOTS, `${name}.png`) });
}

describe('answers read from the disk tier, in the UI', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`marks trace rows from disk, and the trace page says it was read from disk (${colorScheme})`, async () => {
      const ui = await openUi(browser, running.httpUrl, 'view=traces&service=archive', { colorScheme, width: 1200, height: 700 });
      const rows = await eventually(() => markedRows(ui.page, '.trace-rows .trace-row:not([hidden])'), (r) => r.length > 0 && r.some((x) => x.fromDisk));
      const memory = rows.filter((r) => !r.fromDisk);
      assert.ok(memory.length > 0, 'the newest traces are still in memory, unmarked');
      // Newest first: memory's rows, then the older ones read from disk.
      const firstDisk = rows.findIndex((r) => r.fromDisk);
      assert.ok(rows.slice(firstDisk).every((r) => r.fromDisk), rows.map((r) => r.fromDisk ? 'D' : 'M').join(''));
      assert.equal(rows[firstDisk].title, FROM_DISK);
      await ui.page.evaluate(() => document.querySelector('.trace-row .disk-mark:not([hidden])')!.closest('.trace-row')!.scrollIntoView({ block: 'center' }));
      await ui.page.hover('.trace-row .disk-mark:not([hidden])');
      await shoot(ui.page, `disk-trace-list-${colorScheme}`);

      await ui.page.locator('.trace-row .disk-mark:not([hidden])').first().click();
      const tier = ui.page.locator('.trace-tier');
      await eventually(() => tier.innerText(), (t) => t.includes('read from disk'));
      assert.match(await tier.locator('.disk-mark').getAttribute('title') ?? '', /read from disk: memory had evicted it/);
      await shoot(ui.page, `disk-trace-page-${colorScheme}`);
      assert.deepEqual(ui.problems, []);
      await ui.page.context().close();
    });
  }

  it('leaves a trace memory holds unmarked on its page', async () => {
    const ui = await openUi(browser, running.httpUrl, 'view=traces&service=archive');
    await eventually(() => markedRows(ui.page, '.trace-rows .trace-row:not([hidden])'), (r) => r.length > 0);
    await ui.page.locator('.trace-rows .trace-row').first().click();
    await ui.page.waitForSelector('.waterfall-rows .span-row');
    // The page asked for its summary alongside its logs; the answer leaves the mark off.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await ui.page.locator('.trace-tier .disk-mark').count(), 0);
    await ui.page.context().close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`marks log records from disk, in the list and in their details (${colorScheme})`, async () => {
      const ui = await openUi(browser, running.httpUrl, 'view=logs&service=archive', { colorScheme, width: 1200, height: 700 });
      const rows = await eventually(() => markedRows(ui.page, '.log-rows .log-row:not([hidden])'), (r) => r.length > 0);
      assert.ok(rows.every((r) => r.fromDisk), 'memory evicted every record: every row is marked');
      assert.equal(rows[0].title, FROM_DISK);
      await ui.page.locator('.log-rows .log-row').first().click();
      const stored = ui.page.locator('.log-details .from-disk');
      await eventually(() => stored.innerText(), (t) => /read from disk: memory had evicted this record/.test(t));
      await shoot(ui.page, `disk-logs-${colorScheme}`);
      assert.deepEqual(ui.problems, []);
      await ui.page.context().close();
    });
  }

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`marks a profile from disk in the list and on its page (${colorScheme})`, async () => {
      const ui = await openUi(browser, running.httpUrl, 'view=profiles', { colorScheme, width: 1200, height: 700 });
      const rows = await eventually(() => markedRows(ui.page, '.profile-row'), (r) => r.length > 0);
      assert.deepEqual(rows.map((r) => [r.text.split('\t')[0], r.fromDisk, r.title]), [['DISKgo-cpu.pb.gz', true, FROM_DISK]]);
      await shoot(ui.page, `disk-profiles-${colorScheme}`);
      await ui.page.locator('.profile-row').first().click();
      await ui.page.waitForSelector('.flame-canvas');
      assert.match(await ui.page.locator('.profile-title .disk-mark').getAttribute('title') ?? '', /read from disk: memory had evicted it/);
      await shoot(ui.page, `disk-profile-page-${colorScheme}`);
      assert.deepEqual(ui.problems, []);
      await ui.page.context().close();
    });
  }
});
