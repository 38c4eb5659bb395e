// Loupe in a real VS Code (code-server), driven through its UI in headless Chromium,
// with the packaged VSIX installed: `npm run test:vscode`.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CodeServer } from './codeServer.ts';
import { enginePids } from './engines.ts';
import { findFreePort } from '../../src/extension/engine/freePort.ts';
import { enginePorts, loupeLog, repo, shots, startWorkbench, step as runStep, stopWorkbench, vsix, workbenchSettings } from './suite.ts';
import {
  activeEditorTitles, cursorPosition, editUserSettings, frameWith, notificationTexts, openWindow, runCommand, showLoupeSideBar, statusText, treeRow, until,
} from './workbench.ts';

let root: string;
let workspace: string;
let server: CodeServer;
let browser: Browser;
let page: Page;
let settings: Record<string, unknown>;
let httpPort: number;

before(async () => {
  assert.ok(existsSync(vsix), `${vsix} is missing: run "npm run package" first (npm run test:vscode does)`);
  root = mkdtempSync(join(tmpdir(), 'loupe-e2e-'));
  workspace = join(root, 'shop');
  cpSync(join(__dirname, 'fixture'), workspace, { recursive: true });
  // The fixture app uses the repository's OpenTelemetry SDK.
  symlinkSync(join(repo, 'node_modules'), join(workspace, 'node_modules'));
  mkdirSync(join(root, 'second'));
  const ports = await enginePorts();
  httpPort = ports.httpPort;
  settings = workbenchSettings(ports);
  ({ server, browser, page } = await startWorkbench(root, workspace, settings));
});

after(() => stopWorkbench(root, server, browser));

const step = (name: string, body: () => Promise<void>) => runStep(browser, name, body);

describe('Loupe in VS Code', { timeout: 900_000 }, () => {
  it('starts an engine on activation and shows it in the status bar', () => step('activation', async () => {
    const text = await until('the status bar to show the running collector', async () => {
      const t = await statusText(page);
      return t.includes(`:${httpPort}`) && t;
    }, 60_000, page);
    assert.match(text, /Loupe/);
    const status = await (await fetch(`http://127.0.0.1:${httpPort}/api/status`)).json() as { name: string };
    assert.equal(status.name, 'loupe');
    assert.equal(enginePids(join(root, 'extensions')).length, 1, 'one engine process, started by the extension');
    const log = await until('the Loupe log', async () => loupeLog(server.userDataDir).match(/activated in [\d.]+ ms/)?.[0], 10_000, page);
    console.log(`  (Loupe ${log})`);
  }));

  it('gives terminals the OTLP environment, and an app run there sends its traces to Loupe', () => step('terminal', async () => {
    await runCommand(page, 'Terminal: Create New Terminal');
    await page.locator('.terminal-wrapper.active .xterm, .terminal .xterm').first().waitFor();
    await page.waitForTimeout(1500);
    await page.keyboard.type('env | grep ^OTEL_ | sort > otel-env.txt; node shop.js\n', { delay: 5 });
    const env = await until('the terminal to write otel-env.txt', async () => {
      const file = join(workspace, 'otel-env.txt');
      return existsSync(file) && readFileSync(file, 'utf8').includes('OTEL_') && readFileSync(file, 'utf8');
    }, 30_000, page);
    assert.match(env, new RegExp(`^OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${httpPort}$`, 'm'));
    assert.match(env, /^OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf$/m);
    assert.match(env, /^OTEL_TRACES_EXPORTER=otlp$/m);
    assert.match(env, /^OTEL_LOGS_EXPORTER=otlp$/m);
    assert.match(env, /^OTEL_METRICS_EXPORTER=otlp$/m);
    await until('the shop\'s spans to reach the engine', async () => {
      const status = await (await fetch(`http://127.0.0.1:${httpPort}/api/status`)).json() as { counts: { spans: number } };
      return status.counts.spans >= 12;
    }, 30_000, page);
  }));

  it('lists the service and its operations in the Services tree', () => step('services', async () => {
    const side = await showLoupeSideBar(page);
    const service = treeRow(side, 'shop');
    await service.waitFor({ timeout: 20_000 });
    await service.click();
    const operation = treeRow(side, 'checkout');
    await operation.waitFor({ timeout: 20_000 });
    assert.match(await operation.innerText(), /6×.*p95/s);
    // The service row's hover would cover the row below it: the pointer leaves first.
    await page.mouse.move(0, 0);
    await page.locator('.monaco-hover, .context-view .hover-contents').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await operation.click();
    await treeRow(side, /POST \/checkout/).waitFor({ timeout: 10_000 });
    await until('the status bar to count the spans', async () => /12/.test(await statusText(page)), 10_000, page);
    await page.screenshot({ path: join(shots, 'vscode-side-panel.png') });
  }));

  it('shows the exception in the Errors tree and the Problems panel at the throwing line', () => step('problems', async () => {
    const side = await showLoupeSideBar(page);
    await treeRow(side, 'cart is empty').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'cart is empty' }).first();
    await problem.waitFor({ timeout: 20_000 });
    assert.match(await problem.innerText(), /Loupe/);
    assert.match(await problem.innerText(), /\[Ln 22, Col 11\]|22/);
    await problem.dblclick();
    await until('shop.js to open at line 22', async () => (await cursorPosition(page))?.line === 22, 10_000, page);
    await page.screenshot({ path: join(shots, 'vscode-problems.png') });
  }));

  it('opens a trace in the trace explorer panel, whose source link opens the right line', () => step('trace-panel', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Loupe: Open Traces');
    const frame = await frameWith(page, 'text=POST /checkout');
    await frame.locator('text=POST /checkout').first().click();
    const span = frame.locator('.span-row', { has: frame.locator('.span-name', { hasText: /^checkout$/ }) }).first();
    await span.click();
    // The span's own source (code.file.path and code.line.number), not a stack frame.
    const link = frame.locator('.source-link', { hasText: ':26' }).first();
    await link.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'vscode-trace-panel.png') });
    await link.click();
    await until('shop.js to open from the source link', async () => (await activeEditorTitles(page)).some((t) => t.includes('shop.js')), 10_000, page);
    const position = await until('a cursor position', () => cursorPosition(page), 10_000, page);
    assert.equal(position.line, 26, 'the line of code.line.number of the checkout span');
    const lens = page.locator('.contentWidgets .codelens-decoration, .codelens-decoration', { hasText: /6 calls · p95 .* 17% errors/ }).first();
    await lens.waitFor({ timeout: 15_000 });
  }));

  it('opens the logs panel from the palette, whose record links to the line that logged it', () => step('logs-panel', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Loupe: Open Logs');
    const frame = await frameWith(page, 'text=checkout failed: cart is empty');
    await frame.locator('.log-row:not([hidden])', { hasText: 'checkout failed: cart is empty' }).first().click();
    const link = frame.locator('.log-details .source-link', { hasText: 'shop.js:22' }).first();
    await link.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'vscode-logs-panel.png') });
    await link.click();
    await until('shop.js to open from the log record', async () => (await activeEditorTitles(page)).some((t) => t.includes('shop.js')), 10_000, page);
    const position = await until('a cursor position', () => cursorPosition(page), 10_000, page);
    assert.equal(position.line, 22, 'the line of the record\'s code.line.number');
    await runCommand(page, 'View: Close All Editors');
    // The trace panel is what the next step reloads.
    await runCommand(page, 'Loupe: Open Traces');
    await frameWith(page, '.span-row');
  }));

  it('brings the trace panel back after a window reload, showing the same trace', () => step('reload', async () => {
    // As a user reloads: the workbench saves its editors (and the panel's state) first.
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const frame = await frameWith(page, '.span-row', 60_000);
    await frame.locator('.span-name', { hasText: /^checkout$/ }).first().waitFor({ state: 'attached' });
  }));

  it('lists workspace profile files in the Profiles tree and opens them in the flame graph editor; a broken one shows the engine\'s explanation', () => step('profiles', async () => {
    const side = await showLoupeSideBar(page);
    const folder = treeRow(side, /profiles.*2 files/s);
    await folder.waitFor({ timeout: 30_000 });
    await folder.click();
    const file = treeRow(side, /cpu-profile-1733130000\.prof/);
    await file.waitFor({ timeout: 10_000 });
    await file.click();
    const frame = await frameWith(page, '.flame-canvas', 60_000);
    assert.equal(await frame.locator('.profile-title').innerText(), 'cpu-profile-1733130000.prof');
    // The Go program's profile: main.fib is 25% of the CPU time, as go tool pprof says.
    await frame.locator('.profile-search').fill('^main\\.fib$');
    await until('the search share', async () => (await frame.locator('.search-summary').innerText()) === '1 function · 25.0%', 15_000, page);
    await frame.locator('.profile-search').fill('');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(shots, 'vscode-profile.png') });
    await treeRow(side, /broken\.pb\.gz/).click();
    const broken = await frameWith(page, '.profile-error', 60_000);
    assert.match(await broken.locator('.profile-error').innerText(), /Loupe could not open this profile\. .{10,}/);
  }));

  it('opens Golden Signals from the palette; a route row opens its traces', () => step('signals', async () => {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Loupe: Open Golden Signals');
    const frame = await frameWith(page, '.route-row', 60_000);
    const row = frame.locator('.route-row[data-route="/checkout"]');
    await row.waitFor({ timeout: 20_000 });
    // Six POST /checkout requests, one of them failed.
    assert.match(await row.locator('td.col-errors').innerText(), /^1/);
    assert.equal(await frame.locator('.signal-chart canvas').count() >= 3, true);
    await page.screenshot({ path: join(shots, 'vscode-signals.png') });
    await row.locator('td.col-p99Ms').click();
    const traces = await frameWith(page, '.chip-label >> text=http.route=/checkout', 30_000);
    await traces.locator('.trace-row', { hasText: 'POST /checkout' }).first().waitFor({ timeout: 20_000 });
  }));

  it('runs a language-model tool and compares two traces from the palette', () => step('agent-tools', async () => {
    // Chat itself needs a language model, which code-server does not have: the tools are run
    // through "Loupe: Run Language-Model Tool…", which calls them as chat would (the engine's
    // tool route) and shows the answer a model reads. Not covered here: a model choosing the
    // tool, #loupe… references in the chat input, and VS Code listing the MCP server.
    const registered = await until('the tools to register', async () => loupeLog(server.userDataDir).match(/Registered \d+ language-model tools|no language-model tool API/)?.[0], 10_000, page);
    console.log(`  (${registered}; ${/Registered the engine's MCP endpoint/.test(loupeLog(server.userDataDir)) ? 'MCP server definition registered' : 'no MCP server definition API in this VS Code'})`);
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Loupe: Run Language-Model Tool…');
    const input = page.locator('.quick-input-widget input');
    await input.fill('Search traces');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Search traces' }).first().waitFor();
    await input.press('Enter');
    await until('the arguments box', async () => (await input.inputValue()) === '{}', 10_000, page);
    await input.fill('{"operation":"POST /checkout","status":"error"}');
    await input.press('Enter');
    const text = await until('the tool\'s answer in an editor', async () => {
      // Monaco draws spaces as no-break spaces.
      const t = (await page.locator('.part.editor .monaco-editor .view-lines').first().innerText().catch(() => '')).replace(/\u00a0/g, ' ');
      return t.includes('POST /checkout') && t;
    }, 20_000, page);
    assert.match(text, /Strings in double quotes are data/);
    assert.match(text, /1 trace\(s\), newest first/);
    assert.match(text, /[0-9a-f]{32} \| "shop": "POST \/checkout" \| .* \| \d+ errors/);

    await runCommand(page, 'Loupe: Compare Traces…');
    await input.fill('POST /checkout');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'POST /checkout' }).first().waitFor();
    await input.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Previous run of the same operation' }).first().waitFor();
    await input.press('Enter');
    const frame = await frameWith(page, '.diff-row[data-name]', 60_000);
    assert.match(await frame.locator('.compare-basis').innerText(), /previous run/);
    await page.screenshot({ path: join(shots, 'vscode-compare.png') });
  }));

  it('notifies when an alert rule from loupe.alerts fires, and warns on the route handler in Problems', () => step('alert', async () => {
    await runCommand(page, 'View: Close All Editors');
    // Toasts left by earlier steps would hide a new one (the workbench shows only a few).
    await runCommand(page, 'Notifications: Clear All Notifications');
    // The steps before restarted the engine: the shop sends its requests again.
    const shop = spawn(process.execPath, ['shop.js'], { cwd: workspace, env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${httpPort}` }, stdio: 'ignore' });
    await new Promise((resolve) => shop.once('exit', resolve));
    await until('the shop\'s spans to reach the engine', async () => {
      const status = await (await fetch(`http://127.0.0.1:${httpPort}/api/status`)).json() as { counts: { spans: number } };
      return status.counts.spans >= 12;
    }, 30_000, page);
    // As a user adds a rule in settings.json: the extension sends it to the engine, which fires it at once.
    settings['loupe.alerts'] = [{ name: 'checkout traffic', service: 'shop', route: '/checkout', signal: 'requestsPerSecond', op: '>', threshold: 0, forSeconds: 0, windowSeconds: 86400 }];
    await editUserSettings(page, settings);
    // First the engine (the rule arrived and fired), then the window (it was told).
    await until('the engine to fire the rule from settings', async () => {
      const alerts = await (await fetch(`http://127.0.0.1:${httpPort}/api/alerts`)).json() as { name: string; state: string }[];
      return alerts.some((a) => a.name === 'checkout traffic' && a.state === 'firing');
    }, 30_000, page);
    const message = await until('the alert notification', async () => (await notificationTexts(page)).find((t) => t.includes('checkout traffic')), 60_000, page);
    assert.match(message, /Loupe alert "checkout traffic": checkout traffic: requests\/s of \/checkout \(shop\)/);
    const toast = page.locator('.notification-toast', { hasText: 'checkout traffic' }).first();
    for (const action of ['Open signals', 'Open traces', 'Mute for 1 hour']) await toast.locator('.monaco-button', { hasText: action }).first().waitFor({ timeout: 5_000 });
    await page.locator('.statusbar-item', { hasText: 'checkout traffic' }).first().waitFor({ timeout: 15_000 });
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'checkout traffic' }).first();
    await problem.waitFor({ timeout: 20_000 });
    assert.match(await problem.innerText(), /Alert "checkout traffic" firing/);
    await page.screenshot({ path: join(shots, 'vscode-alert.png') });
    await problem.dblclick();
    await until('shop.js to open at the handler, line 46', async () => (await cursorPosition(page))?.line === 46, 10_000, page);
    await toast.locator('.monaco-button', { hasText: 'Mute for 1 hour' }).first().click().catch(() => undefined);
  }));

  it('shares one engine between two windows', () => step('two-windows', async () => {
    const second = await openWindow(browser, server.url, join(root, 'second'));
    const text = await until('the second window to attach', async () => {
      const t = await statusText(second);
      return t.includes(`:${httpPort}`) && t;
    }, 60_000, second);
    // The same engine, so the same span count as the first window's engine reports.
    const spans = ((await (await fetch(`http://127.0.0.1:${httpPort}/api/status`)).json()) as { counts: { spans: number } }).counts.spans;
    assert.match(text, new RegExp(`\\b${spans}\\b`));
    assert.equal(enginePids(join(root, 'extensions')).length, 1, 'still one engine process');
    await second.close();
  }));

  it('says so when the port is held by something that is not Loupe', () => step('taken-port', async () => {
    const squatter: Server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<h1>another app</h1>'); });
    const port = await findFreePort('127.0.0.1');
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    try {
      // A project whose settings choose a port another app already holds.
      const project = join(root, 'taken');
      mkdirSync(join(project, '.vscode'), { recursive: true });
      writeFileSync(join(project, '.vscode', 'settings.json'), JSON.stringify({ 'loupe.httpPort': port }));
      const third = await openWindow(browser, server.url, project);
      const message = await until('the notification', async () => (await notificationTexts(third)).find((t) => t.includes('not Loupe')), 60_000, third);
      assert.match(message, new RegExp(`Port ${port}`));
      // The notification and the status bar item are updated separately: wait for the item.
      await until('the status bar to say the port is in use', async () => /port in use/.test(await statusText(third)), 15_000, third);
      await third.screenshot({ path: join(shots, 'vscode-port-in-use.png') });
      await third.close();
    } finally {
      squatter.close();
    }
  }));

  it('opens a Collector file-exporter file in the telemetry file editor, apart from the live data until imported', () => step('telemetry-file', async () => {
    await runCommand(page, 'View: Close All Editors');
    writeFileSync(join(workspace, 'checkout.otlp.jsonl'), readFileSync(join(repo, 'test/files/checkout.otlp.jsonl')));
    const spansBefore = async () => ((await (await fetch(`http://127.0.0.1:${httpPort}/api/status`)).json()) as { counts: { spans: number } }).counts.spans;
    const before = await spansBefore();
    // Opened from the Explorer as any file is; *.otlp.jsonl opens in Loupe's editor by default.
    await runCommand(page, 'View: Show Explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'checkout.otlp.jsonl' });
    await row.waitFor({ timeout: 30_000 });
    await row.dblclick();
    const frame = await frameWith(page, '.file-bar .file-held', 60_000);
    assert.match(await frame.locator('.file-bar .file-held').first().innerText(), /OTLP\/JSON Lines · 1 traces \(2 spans\) · 2 logs/);
    await frame.locator('.trace-row', { hasText: 'POST /checkout' }).first().waitFor({ timeout: 20_000 });
    assert.equal(await spansBefore(), before, 'opening the file leaves the live store alone');
    await page.screenshot({ path: join(shots, 'vscode-telemetry-file.png') });
    await frame.locator('.file-action.primary', { hasText: 'Import into Loupe' }).click();
    await until('the import', async () => /^Imported 2 spans/.test(await frame.locator('.file-message').innerText()), 20_000, page);
    assert.equal(await spansBefore(), before + 2);
  }));

  it('clears the data, and the exception leaves the Problems panel', () => step('clear', async () => {
    await runCommand(page, 'Loupe: Clear Data');
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Clear Data' }).first().click();
    await page.locator('.monaco-dialog-box').waitFor({ state: 'detached' });
    await until('the engine to be empty', async () => {
      const status = await (await fetch(`http://127.0.0.1:${httpPort}/api/status`)).json() as { counts: { spans: number } };
      return status.counts.spans === 0;
    }, 10_000, page);
    await runCommand(page, 'View: Focus Problems');
    await until('the Problems panel to drop the exception', async () => (await page.locator('.markers-panel .monaco-list-row', { hasText: 'cart is empty' }).count()) === 0, 15_000, page);
    const side = await showLoupeSideBar(page);
    await side.getByText('No traces yet').first().waitFor({ timeout: 15_000 });
  }));
});
