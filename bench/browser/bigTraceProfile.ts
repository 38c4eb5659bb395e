// Where the time of opening a big trace goes, end to end: the engine runs under
// `node --cpu-prof` while it serves the compact form, and Chromium's profiler (through
// CDP) records the page from navigation to first screen. Prints the functions with the
// most self time on each side and writes both .cpuprofile files (open them in Chrome's
// DevTools or VS Code). Not part of `npm run bench`: a tool for finding what to fix.
//
//   node --import tsx bench/browser/bigTraceProfile.ts [spans] [out-dir]

import { spawn } from 'node:child_process';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ENGINE_NODE_FLAGS } from '../../src/engine/heapTuning.ts';
import { TRACE_MEDIA_TYPE } from '../../src/protocol/compactTrace.ts';
import { launchBrowser, openUi } from '../../test/ui/support/browser.ts';
import { sendBigTrace } from '../traceGen.ts';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const ROOT = join(__dirname, '..', '..');

/** The page's bundle is minified: name its functions by their place in the source. */
const bundleMap = new SourceMap(JSON.parse(readFileSync(join(ROOT, 'dist', 'webview', 'main.js.map'), 'utf8')) as SourceMapPayload);

function frameName(f: ProfileNode['callFrame']): string {
  if (f.url.endsWith('/main.js')) {
    const entry = bundleMap.findEntry(f.lineNumber, f.columnNumber) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource) return `${f.functionName || '(anonymous)'} ${entry.originalSource.split('/').slice(-2).join('/')}:${(entry.originalLine ?? 0) + 1}`;
  }
  return `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
}

/** Self time per function (ms), largest first. */
function topSelf(profile: CpuProfile, limit = 18): string[] {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, k) => {
    const key = frameName(byNode.get(id)!.callFrame);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([k, ms]) => `${ms.toFixed(1).padStart(9)} ms  ${k}`);
}

async function main(): Promise<void> {
  const spans = Number(process.argv[2] ?? 1_000_000);
  const out = resolve(process.argv[3] ?? join(ROOT, '.cache', 'profiles'));
  mkdirSync(out, { recursive: true });
  const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', out, ...ENGINE_NODE_FLAGS, join(ROOT, 'dist', 'engine.js'),
    '--http-port', '0', '--grpc-port', '0', '--memory-budget-mb', '3072'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const httpUrl = await new Promise<string>((done, fail) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
      if (m) done(m[0]);
    });
    child.once('exit', (code) => fail(new Error(`engine exited (${code}) before listening`)));
  });
  const before = new Set(readdirSync(out));
  try {
    const traceId = await sendBigTrace(httpUrl, 7, spans, Math.max(10, Math.round(spans / 1000)));
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const res = await fetch(`${httpUrl}/api/traces/${traceId}`, { headers: { accept: TRACE_MEDIA_TYPE } });
      const bytes = (await res.arrayBuffer()).byteLength;
      console.log(`engine: compact form ${(bytes / 1048576).toFixed(1)} MiB in ${(performance.now() - t0).toFixed(0)} ms`);
    }
    const browser = await launchBrowser();
    try {
      const ui = await openUi(browser, httpUrl);
      const cdp = await ui.page.context().newCDPSession(ui.page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      await ui.page.goto(`${httpUrl}/?trace=${traceId}`);
      await ui.page.waitForFunction(() => performance.getEntriesByName('loupe:trace-first-screen').length > 0, null, { timeout: 120_000, polling: 100 });
      const { profile } = await cdp.send('Profiler.stop') as unknown as { profile: CpuProfile };
      const marks = await ui.page.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('loupe:')).map((m) => `${m.name} ${m.startTime.toFixed(0)} ms`));
      writeFileSync(join(out, `page-${spans}.cpuprofile`), JSON.stringify(profile));
      console.log(`page marks: ${marks.join(', ')}`);
      console.log(`page self time (navigation → first screen):\n${topSelf(profile).join('\n')}`);
    } finally {
      await browser.close();
    }
  } finally {
    await new Promise<void>((done) => { child.once('exit', () => done()); child.kill('SIGTERM'); });
  }
  const written = readdirSync(out).filter((f) => f.endsWith('.cpuprofile') && !before.has(f) && !f.startsWith('page-'));
  for (const f of written) {
    console.log(`engine self time (whole run, ${f}):\n${topSelf(JSON.parse(readFileSync(join(out, f), 'utf8')) as CpuProfile).join('\n')}`);
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
