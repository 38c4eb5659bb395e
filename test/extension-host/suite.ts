// Runs inside VS Code's extension host (see runTests.ts): the extension activates,
// starts or attaches to an engine, registers its commands, and relays to the engine.
// A small runner of its own: VS Code calls `run()` and fails the run if it rejects.

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
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
