// Runs inside VS Code's extension host (see runTests.ts): the extension activates,
// starts or attaches to an engine, registers its commands, and relays to the engine.
// A small runner of its own: VS Code calls `run()` and fails the run if it rejects.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';

const tests: { name: string; body: () => Promise<void> }[] = [];
const test = (name: string, body: () => Promise<void>) => tests.push({ name, body });

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

test('activates and its collector answers as Loupe on the configured port', async () => {
  const config = vscode.workspace.getConfiguration('loupe');
  const port = await freePort();
  await config.update('grpcPort', await freePort(), vscode.ConfigurationTarget.Global);
  await config.update('httpPort', port, vscode.ConfigurationTarget.Global);
  const extension = vscode.extensions.getExtension('loupe.loupe');
  assert.ok(extension, 'the extension is installed');
  await extension.activate();
  const status = await until('the engine', async () => {
    try {
      const body = (await (await fetch(`http://127.0.0.1:${port}/api/status`)).json()) as { name: string };
      return body.name === 'loupe' && body;
    } catch {
      return false;
    }
  });
  assert.equal(status.name, 'loupe');
});

test('registers every command package.json declares', async () => {
  const declared = (vscode.extensions.getExtension('loupe.loupe')!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
  const registered = await vscode.commands.getCommands(true);
  for (const id of declared) assert.ok(registered.includes(id), id);
});

test('Open Traces opens the trace explorer panel', async () => {
  await vscode.commands.executeCommand('loupe.openTraces');
  await until('the panel', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Loupe Traces'));
});

test('a .otlp.json file opens in the telemetry file editor, apart from the live store, and closes with it', async () => {
  const port = vscode.workspace.getConfiguration('loupe').get<number>('httpPort')!;
  const folder = vscode.Uri.file(process.env.LOUPE_TEST_WORKSPACE ?? '/tmp');
  const file = vscode.Uri.joinPath(folder, 'orders.otlp.json');
  const span = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'GET /orders', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000' };
  await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })));
  await vscode.commands.executeCommand('vscode.open', file);
  const files = async () => ((await (await fetch(`http://127.0.0.1:${port}/api/files`)).json()) as { files: { name: string; counts: { spans: number } }[] }).files;
  const opened = await until('the file in the engine', async () => (await files()).find((f) => f.name === 'orders.otlp.json'));
  assert.equal(opened.counts.spans, 1);
  const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'loupe.telemetryFileEditor');
  assert.ok(tab, 'the custom editor is open');
  const live = (await (await fetch(`http://127.0.0.1:${port}/api/traces/5b8efff798038103d269b633813fc60c`)).json()) as { error?: string };
  assert.ok(live.error, 'the live store does not have the file\'s trace');
  await vscode.window.tabGroups.close(tab);
  await until('the file closed in the engine', async () => !(await files()).some((f) => f.name === 'orders.otlp.json'));
});

test('Import Telemetry File… reads a gzipped collector file through the engine into the live store', async () => {
  const port = vscode.workspace.getConfiguration('loupe').get<number>('httpPort')!;
  const folder = vscode.Uri.file(process.env.LOUPE_TEST_WORKSPACE ?? '/tmp');
  const file = vscode.Uri.joinPath(folder, 'exported.otlp.jsonl.gz');
  const traceId = '7c0ffee0000000000000000000000001';
  const span = { traceId, spanId: '7c0ffee000000001', name: 'GET /imported', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000' };
  await vscode.workspace.fs.writeFile(file, gzipSync(`${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })}\n`));
  await vscode.commands.executeCommand('loupe.importTelemetry', file);
  const res = await fetch(`http://127.0.0.1:${port}/api/traces/${traceId}`);
  assert.equal(res.status, 200, 'the imported trace is in the live store');
});

test('loupe.forward.endpoint reaches the engine', async () => {
  const config = vscode.workspace.getConfiguration('loupe');
  const port = config.get<number>('httpPort')!;
  await config.update('forward.endpoint', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
  const forward = async () => ((await (await fetch(`http://127.0.0.1:${port}/api/forward`)).json()) as { endpoint: string; state: string });
  await until('forwarding on', async () => (await forward()).endpoint === 'http://127.0.0.1:9');
  await config.update('forward.endpoint', undefined, vscode.ConfigurationTarget.Global);
  await until('forwarding off', async () => (await forward()).state === 'off');
});

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const t of tests) {
    try {
      await t.body();
      console.log(`  ✔ ${t.name}`);
    } catch (err) {
      console.log(`  ✖ ${t.name}\n    ${(err as Error).stack ?? err}`);
      failures.push(t.name);
    }
  }
  await vscode.commands.executeCommand('loupe.stopCollector');
  if (failures.length) throw new Error(`${failures.length} of ${tests.length} extension-host tests failed: ${failures.join('; ')}`);
}
