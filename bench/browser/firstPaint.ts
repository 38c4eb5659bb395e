// Where the first paint of a large profile goes: the file dropped on the browser page
// (as profileViewer.ts does, Loupe alone), timed end to end, split into the upload and
// import (POST), the fetch of the form the page draws (GET), and the page's own work;
// with the engine's CPU time per open and, with PROFILE_CPU_PROF=DIR, CPU profiles of
// the engine's threads (node --cpu-prof) and of the page (Chromium's profiler) written
// to DIR and summarised by self time. A fast loop for profile loading work; the
// side-by-side figures with speedscope come from profileViewer.ts.
// Run: `node --import tsx bench/browser/firstPaint.ts` (PROFILE_BENCH_MB, default 50;
// PROFILE_BENCH_RUNS, default 3; PROFILE_BENCH_FORMAT=cpuprofile|pprof).

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProfile } from '../../src/engine/profiles/decodeProfile.ts';
import { topFunctions } from '../../src/engine/profiles/topFunctions.ts';
import { build } from 'esbuild';
import { buildUi, launchBrowser } from '../../test/ui/support/browser.ts';
import { generatePprof } from '../profiles/generate.ts';
import { startEngineProcess } from '../support/engineProcess.ts';
import { dropAndTime, profileFile, putFileInPage } from './profileViewer.ts';

const MB = Number(process.env.PROFILE_BENCH_MB ?? 50);
const RUNS = Number(process.env.PROFILE_BENCH_RUNS ?? 3);
const FORMAT = process.env.PROFILE_BENCH_FORMAT === 'pprof' ? 'pprof' : 'cpuprofile';
const CPU_PROF = process.env.PROFILE_CPU_PROF;

function pprofFile(mb: number): string {
  const path = join(tmpdir(), `loupe-bench-${mb}mb-generated.pprof`);
  try {
    statSync(path);
  } catch {
    console.error(`  generating a ${mb} MB pprof (once; kept at ${path})…`);
    writeFileSync(path, generatePprof(mb * 1048576));
  }
  return path;
}

/** The heaviest functions by self time of a V8 CPU profile, as lines. */
function summarise(path: string, rows = 18): string[] {
  const p = decodeProfile(readFileSync(path));
  const total = p.sampleValues.reduce((a, v, i) => (i % 2 === 1 ? a + v : a), 0);
  return topFunctions(p, 1, rows, 'self').map((f) => `    ${(f.self / 1000).toFixed(0).padStart(6)} ms ${(f.selfShare * 100).toFixed(1).padStart(5)}%  ${f.function} ${f.file.replace(/^.*\//, '')}:${f.line}`)
    .concat(`    (${(total / 1000).toFixed(0)} ms sampled)`);
}

export async function firstPaintRows(): Promise<string[]> {
  const path = FORMAT === 'pprof' ? pprofFile(MB) : profileFile(MB);
  const size = statSync(path).size;
  const body = readFileSync(path);
  const profDir = CPU_PROF ? join(CPU_PROF, `engine-${Date.now()}`) : undefined;
  if (profDir) {
    mkdirSync(profDir, { recursive: true });
    // The page's profile names functions only if the bundle keeps them: build it unminified (the next build minifies again).
    buildUi();
    await build({ entryPoints: [join(__dirname, '..', '..', 'webview', 'src', 'main.ts')], outdir: join(__dirname, '..', '..', 'dist', 'webview'), bundle: true, platform: 'browser', target: 'chrome120', format: 'iife', sourcemap: true, logLevel: 'warning' });
  }
  const engine = await startEngineProcess(['--max-body-mb', String(Math.ceil(size / 1048576) + 16), '--memory-budget-mb', '4096'], profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  const browser = await launchBrowser(['--enable-unsafe-swiftshader', '--js-flags=--max-old-space-size=4096']);
  const rows = ['', `| ${(size / 1048576).toFixed(1)} MB ${FORMAT} dropped on the page, run | first paint ms | POST ms | GET ms, KB | page rest ms | engine CPU s | Chromium CPU s (renderer) | page JS heap MB | engine RSS MB |`, '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  const browserCdp = await browser.newBrowserCDPSession();
  /** CPU seconds of Chromium's processes: all of them, and the renderers alone. */
  const chromiumCpu = async (): Promise<{ all: number; renderer: number }> => {
    const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo') as { processInfo: { type: string; cpuTime: number }[] };
    return processInfo.reduce((a, p) => ({ all: a.all + p.cpuTime, renderer: a.renderer + (p.type === 'renderer' ? p.cpuTime : 0) }), { all: 0, renderer: 0 });
  };
  const pageProfiles: string[] = [];
  const phases: string[] = ['', 'Phases, ms from the drop (the page\'s marks) and the engine\'s share of each request (Server-Timing):'];
  try {
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.addInitScript(() => { (window as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f; });
      await page.goto(`${engine.httpUrl}/?view=profiles`);
      await page.waitForSelector('.profile-list');
      await putFileInPage(page, engine.httpUrl, body);
      const cdp = CPU_PROF ? await page.context().newCDPSession(page) : undefined;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
      }
      const cpu0 = engine.cpuSeconds();
      const chromium0 = await chromiumCpu();
      engine.resetPeak();
      const ms = await dropAndTime(page, '', '.profile-list', 'loupe');
      const cpu = engine.cpuSeconds() - cpu0;
      const chromium1 = await chromiumCpu();
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        const file = join(CPU_PROF!, `page-${Date.now()}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        pageProfiles.push(file);
      }
      const timing = await page.evaluate(() => performance.getEntriesByType('resource')
        .filter((e) => /\/api\/profiles/.test(e.name))
        .map((e) => ({ name: e.name, duration: (e as PerformanceResourceTiming).duration, bytes: (e as PerformanceResourceTiming).decodedBodySize,
          server: (e as PerformanceResourceTiming).serverTiming.map((t) => `${t.name} ${t.duration.toFixed(0)}`).join(', ') })));
      phases.push(`  run ${run + 1}: ${await page.evaluate(pagePhases)}; engine: ${timing.filter((t) => t.server).map((t) => `${/[?&]name=/.test(t.name) ? 'POST' : 'GET'} (${t.server})`).join(', ')}`);
      const post = timing.find((t) => /[?&]name=/.test(t.name));
      const get = timing.find((t) => /format=binary/.test(t.name));
      const heap = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
      const rest = ms - (post?.duration ?? 0) - (get?.duration ?? 0);
      rows.push(`| ${run + 1} | ${ms.toFixed(0)} | ${post?.duration.toFixed(0) ?? '—'} | ${get ? `${get.duration.toFixed(0)}, ${(get.bytes / 1024).toFixed(0)}` : '—'} | ${rest.toFixed(0)} | ${cpu.toFixed(2)} | ${(chromium1.all - chromium0.all).toFixed(2)} (${(chromium1.renderer - chromium0.renderer).toFixed(2)}) | ${(heap / 1048576).toFixed(0)} | ${(engine.peakRss() / 1048576).toFixed(0)} |`);
      console.error(rows.at(-1));
      await page.close();
    }
  } finally {
    await browser.close().catch(() => undefined);
    await engine.stop();
  }
  rows.push(...phases);
  if (profDir) {
    for (const f of readdirSync(profDir).filter((n) => n.endsWith('.cpuprofile'))) rows.push('', `  engine thread profile ${f} (all runs), top self time:`, ...summarise(join(profDir, f)));
    for (const f of pageProfiles) rows.push('', `  page profile ${f}, top self time:`, ...summarise(f));
  }
  return rows;
}

/** In the page: each of the profile page's marks (webview/src/profiles/), in ms since the upload began. */
function pagePhases(): string {
  const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('loupe:profile-'));
  const t0 = marks.find((m) => m.name === 'loupe:profile-upload')?.startTime ?? 0;
  return marks.map((m) => `${m.name.slice('loupe:profile-'.length)} ${(m.startTime - t0).toFixed(0)}`).join(', ');
}

if (require.main === module) {
  void firstPaintRows().then((rows) => { console.log(rows.join('\n')); process.exit(0); }, (err) => { console.error(err); process.exit(1); });
}
