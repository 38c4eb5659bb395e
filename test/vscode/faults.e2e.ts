// Faults while Loupe runs in a real VS Code (code-server), as the user sees them: the
// disk filling up under the engine's data folder, then the engine killed. Each ends in
// one notification that says what happened and what Loupe did; the suite waits on what
// the window and the engine show, never on time alone.
// `npm run test:vscode -- test/vscode/faults.e2e.ts` runs this file alone.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { StatusResponse } from '../../src/protocol/api.ts';
import { tracesRequest, validSpan } from '../support/otlp.ts';
import type { CodeServer } from './codeServer.ts';
import { enginePids } from './engines.ts';
import { enginePorts, loupeLog, shots, startWorkbench, step as runStep, stopWorkbench, workbenchSettings } from './suite.ts';
import { loupeStatus, notificationTexts, runCommand, showLoupeSideBar, statusText, treeRow, until } from './workbench.ts';

let root: string;
let server: CodeServer;
let browser: Browser;
let page: Page;
let base: string;
let httpPort: number;
/** Where the disk step makes the disk "full"; removed again (space freed) before the engine is killed. */
let fullFile: string | undefined;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'loupe-e2e-faults-'));
  const workspace = join(root, 'app');
  mkdirSync(workspace);
  const ports = await enginePorts();
  httpPort = ports.httpPort;
  base = `http://127.0.0.1:${httpPort}`;
  // Data on disk in the extension's global storage; the smallest budget makes 2 MiB segments, so a few MiB roll one.
  const settings = workbenchSettings(ports, { 'loupe.persistence': 'global', 'loupe.diskBudgetMB': 16 });
  ({ server, browser, page } = await startWorkbench(root, workspace, settings));
});

after(() => stopWorkbench(root, server, browser));

const step = (name: string, body: () => Promise<void>) => runStep(browser, name, body);

async function status(): Promise<StatusResponse> {
  return (await fetch(`${base}/api/status`)).json() as Promise<StatusResponse>;
}

/** 100 spans of about 2 KB each: some 200 KB of segment per request. */
async function sendSpans(): Promise<void> {
  const spans = Array.from({ length: 100 }, () => validSpan({ attributes: [{ key: 'pad', value: { stringValue: 'p'.repeat(2000) } }] }));
  const res = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: tracesRequest(spans) });
  await res.arrayBuffer();
  assert.equal(res.status, 200, 'the engine still takes spans');
}

const diskWarnings = () => loupeLog(server.userDataDir).split('\n').filter((l) => l.includes('Writing to disk stopped')).length;

describe('faults while Loupe runs in VS Code', { timeout: 600_000 }, () => {
  it('the disk fills up under the data folder: one warning with what to do, the status bar turns to warning, ingest goes on', () => step('disk-full', async () => {
    await until('the status bar to show the running collector', async () => (await statusText(page)).includes(`:${httpPort}`), 90_000, page);
    const disk = (await status()).disk;
    assert.ok(disk && !disk.error, `the engine writes to disk at first: ${JSON.stringify(disk)}`);
    // The segment being written gets its index through a temporary file when it rolls: that file is /dev/full,
    // where every write fails with ENOSPC, as on a full disk.
    const open = readdirSync(disk.dir).filter((f) => /^seg-\d{16}\.log$/.test(f)).sort().at(-1);
    assert.ok(open, `a segment open in ${disk.dir}`);
    fullFile = join(disk.dir, `${open}.idx.tmp`);
    symlinkSync('/dev/full', fullFile);
    const error = await until('the disk tier to stop on the full disk', async () => {
      await sendSpans();
      return (await status()).disk?.error;
    }, 120_000, page);
    assert.match(error, /the disk holding .* is full/);

    const message = await until('the disk warning', async () => (await notificationTexts(page)).find((t) => t.includes('Writing to disk stopped')), 60_000, page);
    assert.match(message, /^Loupe: Writing to disk stopped \(the disk holding .* is full\); the engine goes on in memory only\. Free space/);
    assert.match(message, /kept in memory only .* lost when the engine stops/);
    const toast = page.locator('.notification-toast', { hasText: 'Writing to disk stopped' }).first();
    for (const action of ['Open Data Folder', 'Restart Collector', 'Open Settings']) await toast.locator('.monaco-button', { hasText: action }).first().waitFor({ timeout: 10_000 });
    await until('the status bar item in the warning colour', async () => /\bwarning-kind\b/.test((await loupeStatus(page).getAttribute('class')) ?? ''), 30_000, page);
    await page.screenshot({ path: join(shots, 'vscode-disk-full.png') });
    await until('the warning in the Loupe log', async () => diskWarnings() >= 1, 30_000, page);

    // More live data means more status reads by the window: the warning is not repeated.
    await sendSpans();
    const spans = (await status()).counts.spans;
    await until('the status bar to count the new spans', async () => (await statusText(page)).includes(spans.toLocaleString('en-US')), 30_000, page);
    // The Endpoint view is short beside the others: its rows are walked with the keyboard until the disk's shows.
    await runCommand(page, 'Focus on Endpoint View');
    const diskRow = treeRow(await showLoupeSideBar(page), /Disk\s*stopped: see tooltip/);
    await until('the Endpoint view to show the stopped disk tier', async () => {
      if (await diskRow.isVisible()) return true;
      await page.keyboard.press('ArrowDown');
      return false;
    }, 30_000, page);
    assert.equal(diskWarnings(), 1, 'the warning is given once per engine, however often its status is read');
  }));

  it('the engine is killed: the window starts it again and says so; the data written before is back', () => step('engine-kill', async () => {
    // The user freed space; the next engine writes again.
    if (fullFile) rmSync(fullFile, { force: true });
    await runCommand(page, 'Notifications: Clear All Notifications');
    const before = await status();
    const pids = enginePids(join(root, 'extensions'));
    assert.equal(pids.length, 1, 'one engine, started by the window');
    process.kill(pids[0], 'SIGKILL');

    const message = await until('the restart notification', async () => (await notificationTexts(page)).find((t) => t.includes('stopped unexpectedly')), 90_000, page);
    assert.match(message, new RegExp(`^Loupe: the engine stopped unexpectedly \\(its process ${pids[0]} was ended by SIGKILL\\) and was restarted\\. What it had written to disk is back`));
    const after = await until('a new engine on the same port', async () => {
      const s = await status();
      return s.instanceId !== before.instanceId && s;
    }, 60_000, page);
    const now = enginePids(join(root, 'extensions'));
    assert.equal(now.length, 1, 'one engine again');
    assert.notEqual(now[0], pids[0]);
    assert.equal(after.disk?.error, undefined, 'with space freed, the new engine writes to disk');
    assert.ok((after.disk?.counts.spans ?? 0) > 0, 'the spans written before the kill are on disk again');
    await until('the status bar to show the restarted collector', async () => (await statusText(page)).includes(`:${httpPort}`), 30_000, page);
    await page.screenshot({ path: join(shots, 'vscode-engine-restarted.png') });
  }));
});
