// What each end-to-end file sets up the same way: free ports, the workbench settings that
// keep a test run quiet and typing predictable, screenshots of a failed step, and the
// extension's log as VS Code writes it.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findFreePort } from '../../src/extension/engine/freePort.ts';
import { launchBrowser } from './browser.ts';
import { startCodeServer, type CodeServer } from './codeServer.ts';
import { killEngines } from './engines.ts';
import { openWindow } from './workbench.ts';

export const repo = resolve(__dirname, '../..');
export const vsix = join(repo, `loupe-${JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version}.vsix`);
export const shots = join(repo, 'docs/screenshots');
const failures = join(repo, 'test-results');

/** Two distinct free ports for the engine's OTLP/HTTP and OTLP/gRPC listeners. */
export async function enginePorts(): Promise<{ httpPort: number; grpcPort: number }> {
  const httpPort = await findFreePort('127.0.0.1');
  let grpcPort = await findFreePort('127.0.0.1');
  while (grpcPort === httpPort) grpcPort = await findFreePort('127.0.0.1');
  return { httpPort, grpcPort };
}

/** User settings for a test window: Loupe on the given ports, the workbench quiet. */
export function workbenchSettings(ports: { httpPort: number; grpcPort: number }, loupe: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'loupe.httpPort': ports.httpPort,
    'loupe.grpcPort': ports.grpcPort,
    ...loupe,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'terminal.integrated.defaultProfile.linux': 'bash',
    'terminal.integrated.enablePersistentSessions': false,
    'security.workspace.trust.enabled': false,
    'chat.commandCenter.enabled': false,
    // editUserSettings replaces settings.json by inserting text: nothing may be added to it.
    'editor.autoClosingBrackets': 'never',
    'editor.autoClosingQuotes': 'never',
    'editor.autoIndent': 'none',
    'editor.formatOnType': false,
  };
}

/** code-server with the VSIX installed under `root`, and a browser window on `folder`. */
export async function startWorkbench(root: string, folder: string, settings: Record<string, unknown>): Promise<{ server: CodeServer; browser: Browser; page: Page }> {
  const server = await startCodeServer({ root, port: await findFreePort('127.0.0.1'), vsix, settings });
  const browser = await launchBrowser();
  return { server, browser, page: await openWindow(browser, server.url, folder) };
}

/** Closes the browser and code-server, stops the engines the extension started, removes `root`. */
export async function stopWorkbench(root: string | undefined, server: CodeServer | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await server?.stop();
  if (!root) return;
  killEngines(join(root, 'extensions'));
  rmSync(root, { recursive: true, force: true });
}

/** Runs a test step; on failure, a screenshot of every open window, for finding out why. */
export async function step(browser: Browser | undefined, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    mkdirSync(failures, { recursive: true });
    for (const [i, p] of (browser?.contexts().flatMap((c) => c.pages()) ?? []).entries()) {
      await p.screenshot({ path: join(failures, `${name.replace(/\W+/g, '-')}-${i}.png`) }).catch(() => undefined);
    }
    throw err;
  }
}

/** The extension's log channel as VS Code writes it under the user data folder. */
export function loupeLog(userDataDir: string): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'Loupe.log') found.push(readFileSync(join(dir, e.name), 'utf8'));
    }
  };
  if (existsSync(join(userDataDir, 'logs'))) walk(join(userDataDir, 'logs'));
  return found.join('\n');
}
