// Where a frame's time goes while a big trace's waterfall scrolls or a big profile's
// flame graph zooms and pans, from Chromium's own trace (bench/browser/frameTrace.ts):
// CPU per frame by thread and the page main thread's work by kind. With `--before DIR`
// (the dist/ folder of another build, e.g. copied before a change) both builds are
// measured in the same run, alternately, each by its own engine: a before/after
// comparison on a shared machine. Not part of `npm run bench`: a tool for finding what
// to fix and for checking that a fix paid.
//
//   node --import tsx bench/browser/frameProfile.ts waterfall [spans=100000] [--before DIR] [--rounds N]
//   node --import tsx bench/browser/frameProfile.ts flame [MB=25] [--before DIR] [--rounds N]
//   (--js samples script by function too; --css RULES adds a style rule to the page of the current build: a quick try)

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { scrollFrames } from '../../test/ui/support/frames.ts';
import { launchBrowser, openUi } from '../../test/ui/support/browser.ts';
import { generateCpuProfile } from '../profiles/generate.ts';
import { startEngineProcess, type EngineProcess } from '../support/engineProcess.ts';
import { sendBigTrace } from '../traceGen.ts';
import { describeCost, traceFrames, type FrameCost } from './frameTrace.ts';
import { interact } from './profileViewer.ts';

const ROOT = join(__dirname, '..', '..');
const FLAME_FRAMES = 120;
const SCROLL_FRAMES = 120;

interface Build { label: string; engine: EngineProcess; target: string; dist: string }

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** Sends the trace (waterfall) or imports the profile (flame) into a build's engine; returns the page's query. */
async function prepare(engine: EngineProcess, mode: string, size: number): Promise<string> {
  if (mode === 'waterfall') return `trace=${await sendBigTrace(engine.httpUrl, 1, size, Math.max(10, Math.round(size / 100)))}`;
  const path = join(tmpdir(), `loupe-bench-${size}mb-generated.cpuprofile`);
  if (!existsSync(path)) writeFileSync(path, generateCpuProfile(size * 1048576));
  const res = await fetch(`${engine.httpUrl}/api/profiles?name=bench`, { method: 'POST', body: readFileSync(path) });
  const answer = (await res.json()) as { id?: string; error?: string };
  if (!answer.id) throw new Error(`importing the profile: ${answer.error ?? res.status}`);
  return `view=profiles&profile=${answer.id}`;
}

/** --js: also sample the page's script with V8's profiler (it adds to what it measures). */
const jsMap = (build: Build) => (process.argv.includes('--js') ? join(build.dist, 'webview', 'main.js.map') : undefined);

async function measure(browser: Browser, build: Build, mode: string, size: number): Promise<{ cost: FrameCost; page: string }> {
  const ui = await openUi(browser, build.engine.httpUrl, build.target);
  const { page } = ui;
  // --css: a rule added to the page, to try a style change before writing it.
  const css = option('--css');
  if (css && build.label === 'after') {
    // A constructed sheet: the page's CSP refuses inline style.
    await page.evaluate((text) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }, css);
  }
  try {
    if (mode === 'waterfall') {
      await page.waitForFunction(() => performance.getEntriesByName('loupe:trace-first-screen').length > 0, null, { timeout: 120_000, polling: 100 });
      let figures = '';
      const cost = await traceFrames(browser, page, SCROLL_FRAMES, async () => {
        const f = await scrollFrames(page, '.waterfall-rows', SCROLL_FRAMES, Math.round(size / 50));
        figures = `interval ${f.interval}; work ${f.work}`;
      }, jsMap(build));
      return { cost, page: figures };
    }
    await page.waitForSelector('.flame-canvas, .profile-error', { timeout: 300_000 });
    if (await page.locator('.profile-error').count()) throw new Error(`the page says: ${await page.locator('.profile-error').textContent()}`);
    await page.waitForTimeout(500);
    let figures = '';
    const cost = await traceFrames(browser, page, FLAME_FRAMES, async () => {
      const f = await interact(page, '.flame-canvas');
      const p = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.floor(q * (v.length - 1))]?.toFixed(1);
      figures = `interval p50 ${p(f.intervals, 0.5)} p95 ${p(f.intervals, 0.95)} ms; drawing p50 ${p(f.renders, 0.5)} p95 ${p(f.renders, 0.95)} ms (${f.renders.length} drawn)`;
    }, jsMap(build));
    return { cost, page: figures };
  } finally {
    await page.context().close();
  }
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode !== 'waterfall' && mode !== 'flame') throw new Error('usage: frameProfile.ts waterfall|flame [size] [--before DIST_DIR] [--rounds N]');
  const size = Number(/^\d+$/.test(process.argv[3] ?? '') ? process.argv[3] : mode === 'waterfall' ? 100_000 : 25);
  const rounds = Number(option('--rounds') ?? 2);
  const before = option('--before');
  const flags = mode === 'waterfall' ? ['--memory-budget-mb', '3072'] : ['--max-body-mb', '600', '--memory-budget-mb', '4096'];
  const builds: Build[] = [];
  try {
    for (const [label, script] of [...(before ? [['before', join(resolve(before), 'engine.js')]] : []), ['after', join(ROOT, 'dist', 'engine.js')]]) {
      const engine = await startEngineProcess(flags, [], script);
      builds.push({ label, engine, target: '', dist: join(script, '..') });
      builds[builds.length - 1].target = await prepare(engine, mode, size);
    }
    const browser = await launchBrowser(mode === 'flame' ? ['--enable-unsafe-swiftshader'] : []);
    try {
      for (let round = 0; round < rounds; round++) {
        for (const build of builds) {
          const load = loadavg()[0].toFixed(1);
          const { cost, page } = await measure(browser, build, mode, size);
          console.log(`${describeCost(`${build.label}, round ${round + 1} (load ${load})`, cost)}\n  page: ${page}\n`);
        }
      }
    } finally {
      await browser.close();
    }
  } finally {
    for (const b of builds) await b.engine.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
