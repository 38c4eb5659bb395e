// A real headless Chromium for the UI tests: CHROME_PATH if set, else Debian's chromium,
// else the binary that ships inside @sparticuz/chromium (installed from npm, no download).
// The UI under test is built from source first, so the tests never see a stale bundle.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..', '..');

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-zygote'];
// Flags of the serverless build that would weaken what the tests check (CSP and
// same-origin rules) or make crashes take the whole browser down.
const UNWANTED = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process', '--disable-site-isolation-trials']);

let built = false;

export function buildUi(): void {
  if (built) return;
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--only', 'webview'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the UI failed:\n${result.stderr}`);
  built = true;
}

async function chromiumBinary(): Promise<{ executablePath: string; args: string[] }> {
  if (process.env.CHROME_PATH) return { executablePath: process.env.CHROME_PATH, args: FLAGS };
  if (existsSync('/usr/bin/chromium')) return { executablePath: '/usr/bin/chromium', args: FLAGS };
  const { default: sparticuz } = await import('@sparticuz/chromium');
  const args = sparticuz.args.filter((a: string) => !UNWANTED.has(a) && !a.startsWith('--headless'));
  return { executablePath: await sparticuz.executablePath(), args: [...new Set([...args, ...FLAGS])] };
}

/** `extraArgs`: more Chromium flags, e.g. `--host-resolver-rules` to give this machine other names. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  buildUi();
  const { executablePath, args } = await chromiumBinary();
  return playwright.launch({ executablePath, args: [...args, ...extraArgs], headless: true });
}

export interface UiPage {
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
}

/** Opens the UI served by the engine; `query` is the page's URL query (filters, trace). */
export interface OpenOptions {
  colorScheme?: 'light' | 'dark';
  width?: number;
  height?: number;
  /** Runs before the page loads (e.g. to play the VS Code host). */
  beforeLoad?: (page: Page) => Promise<void>;
}

export async function openUi(browser: Browser, engineUrl: string, query = '', opts: OpenOptions = {}): Promise<UiPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 },
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: engineUrl });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  await page.addInitScript(() => {
    // tsx compiles the tests with esbuild's keepNames, which wraps named functions in
    // page.evaluate callbacks in a `__name` helper the page does not have.
    (window as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f;
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await opts.beforeLoad?.(page);
  await page.goto(`${engineUrl}/${query ? `?${query}` : ''}`);
  await page.waitForSelector('.app-bar');
  return { page, problems };
}
