// The 500 MB proof: a generated pprof of PROFILE_LARGE_MB (default 500) uncompressed
// bytes imported into the engine in its own process (as `npm start` runs it) and then
// opened in headless Chromium's browser page, with the engine's peak RSS and the tab's
// JS heap. The file is written to the temp directory and deleted at the end.
// Run: `node --import tsx bench/browser/largeProfile.ts` (`npm run bench -- --only large-profile` does).

import { readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from '../../test/ui/support/browser.ts';
import { writeLargePprof } from '../profiles/generate.ts';
import { startEngineProcess } from '../support/engineProcess.ts';

const MB = 1048576;
const TARGET_MB = Number(process.env.PROFILE_LARGE_MB ?? 500);

export async function largeProfileRows(): Promise<string[]> {
  const path = join(tmpdir(), `loupe-bench-${TARGET_MB}mb-${process.pid}.pprof`);
  console.error(`  writing a ${TARGET_MB} MB pprof to ${path}…`);
  writeLargePprof(path, TARGET_MB * MB);
  const size = statSync(path).size;
  const engine = await startEngineProcess(['--max-body-mb', String(Math.ceil(size / MB) + 16), '--memory-budget-mb', '4096']);
  const browser = await launchBrowser(['--enable-unsafe-swiftshader']);
  const rows = ['', `| ${(size / MB).toFixed(0)} MB pprof (generated, raw protobuf) | result | time | memory |`, '|---|---|---:|---:|'];
  try {
    let body: Buffer | undefined = readFileSync(path);
    rmSync(path);
    const t0 = performance.now();
    const res = await postWithoutTimeout(`${engine.httpUrl}/api/profiles?name=large`, body);
    body = undefined;
    const answer = JSON.parse(res.body) as { id?: string; error?: string };
    const postMs = performance.now() - t0;
    rows.push(`| engine: POST /api/profiles | ${res.status} ${answer.error ?? `id ${answer.id}`} | ${(postMs / 1000).toFixed(1)} s | peak RSS ${(engine.peakRss() / MB).toFixed(0)} MB |`);
    if (!answer.id) return rows;
    const top = await fetch(`${engine.httpUrl}/api/profiles/${answer.id}/top?limit=3`);
    const summary = ((await (await fetch(`${engine.httpUrl}/api/profiles`)).json()) as { id: string; sampleCount: number }[]).find((p) => p.id === answer.id);
    rows.push(`| engine: GET /top | ${top.status}, ${summary?.sampleCount.toLocaleString('en-US')} samples | | |`);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let crashed = false;
    page.on('crash', () => { crashed = true; });
    await page.addInitScript(() => { (globalThis as { __loupeFlameRenders?: number[] }).__loupeFlameRenders = []; });
    const p0 = performance.now();
    await page.goto(`${engine.httpUrl}/?view=profiles&profile=${answer.id}`);
    try {
      await page.waitForFunction(() => ((globalThis as { __loupeFlameRenders?: number[] }).__loupeFlameRenders?.length ?? 0) > 0 || !!document.querySelector('.profile-error'), undefined, { timeout: 600_000, polling: 250 });
      const error = await page.locator('.profile-error').textContent({ timeout: 100 }).catch(() => null);
      const heap = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
      rows.push(`| browser page: open it, first flame graph drawn | ${error ? `error: ${error}` : 'drawn'} | ${((performance.now() - p0) / 1000).toFixed(1)} s | tab JS heap ${(heap / MB).toFixed(0)} MB |`);
    } catch (err) {
      rows.push(`| browser page: open it | ${crashed ? 'the tab crashed' : (err as Error).message.split('\n')[0]} | | |`);
    }
    rows.push(`| engine peak RSS over the whole run | | | ${(engine.peakRss() / MB).toFixed(0)} MB |`);
    return rows;
  } finally {
    rmSync(path, { force: true });
    await browser.close();
    await engine.stop();
  }
}

/** fetch gives up after 300 s without response headers; decoding 500 MB on a loaded machine can take longer. */
function postWithoutTimeout(url: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-length': body.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

if (require.main === module) {
  void largeProfileRows().then((rows) => { console.log(rows.join('\n')); process.exit(0); }, (err) => { console.error(err); process.exit(1); });
}
