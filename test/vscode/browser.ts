// A headless Chromium for driving code-server: CHROME_PATH if given, else Debian's
// chromium, else the one @sparticuz/chromium ships inside its npm package.

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const DEBIAN_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export async function launchBrowser(): Promise<Browser> {
  const given = process.env.CHROME_PATH;
  if (given) return chromium.launch({ executablePath: given, args: DEBIAN_ARGS, headless: true });
  if (existsSync('/usr/bin/chromium')) return chromium.launch({ executablePath: '/usr/bin/chromium', args: DEBIAN_ARGS, headless: true });
  const sparticuz = (await import('@sparticuz/chromium')).default;
  // Its defaults are for AWS Lambda (single process, no GPU); keep only what a desktop-like run needs.
  const args = sparticuz.args.filter((a: string) => !a.startsWith('--single-process') && !a.startsWith('--use-gl'));
  return chromium.launch({ executablePath: await sparticuz.executablePath(), args, headless: true });
}
