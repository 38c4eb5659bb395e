// The Profiles view in a real browser against known compact profiles (the engine's API
// played by the test): the list and upload, the flame graph's tooltip, zoom and
// breadcrumbs, search, label filter, keyboard, icicle and time order, the sandwich, the
// top table, the diff, and the source click as a VS Code webview sends it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningEngine } from '../../src/engine/server.ts';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/webview.ts';
import { encodeCompactProfile } from '../../src/shared/profile/codec.ts';
import { startTestEngine } from '../support/engine.ts';
import { launchBrowser, openUi, type UiPage } from './support/browser.ts';
import { eventually } from './support/pageQueries.ts';
import { serveProfiles, type ProfileApi } from './support/profileApi.ts';
import { serviceProfile, SPAN_ID, TRACE_ID } from './support/profileScenario.ts';
import { checkout } from './support/scenarios.ts';
import { TraceRecorder } from './support/sdkTraces.ts';

const ROW = 18;
let running: RunningEngine;
let browser: Browser;
let ui: UiPage;
const api: ProfileApi = { profiles: [], uploads: new Map(), requests: [] };

before(async () => {
  running = await startTestEngine();
  api.profiles.push(serviceProfile('cpu-1'), serviceProfile('cpu-2', { slowerPricing: true }));
  api.uploads.set('broken.pprof', 'broken.pprof: not a pprof profile: gzip data is truncated (expected gzip or a pprof protobuf)');
  api.uploads.set('fresh.cpuprofile', serviceProfile('cpu-3', { name: 'fresh.cpuprofile' }));
  browser = await launchBrowser();
  ui = await openUi(browser, running.httpUrl, '', { beforeLoad: (p) => serveProfiles(p, api) });
});

after(async () => {
  await browser?.close();
  await running?.close();
});

async function go(query: string, page = ui.page): Promise<void> {
  await page.goto(`${running.httpUrl}/?view=profiles&${query}`);
  await page.waitForSelector('.profile-toolbar .mode.active');
}

/** A point inside the row at `depth`, `frac` of the way across the canvas. */
async function point(depth: number, frac: number, opts: { icicle?: boolean; canvas?: number; page?: Page } = {}): Promise<{ x: number; y: number }> {
  const box = (await (opts.page ?? ui.page).locator('.flame-canvas').nth(opts.canvas ?? 0).boundingBox())!;
  const y = opts.icicle ? box.y + (depth + 0.5) * ROW : box.y + box.height - (depth + 0.5) * ROW;
  return { x: box.x + frac * box.width, y };
}

async function hover(depth: number, frac: number, opts: { icicle?: boolean; canvas?: number } = {}): Promise<string> {
  const p = await point(depth, frac, opts);
  const tip = ui.page.locator('.flame-tooltip');
  // A native <select> just used can keep the first mouse move; move again until the tooltip answers.
  for (let attempt = 0; ; attempt++) {
    await ui.page.mouse.move(p.x - 3, p.y);
    await ui.page.mouse.move(p.x, p.y);
    try {
      await tip.waitFor({ state: 'visible', timeout: 1000 });
      break;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
  return (await tip.innerText()).replace(/\s+/g, ' ');
}

const crumbs = () => ui.page.locator('.flame-crumbs .crumb').allInnerTexts();

// cpu-1, cpu time: 6 rounds of 263 ms = 1578 ms; checkout 6 × 182 = 1092 ms; the
// database call under it 6 × 85 = 510 ms; pricing 6 × 55 = 330 ms.
describe('the profile list', () => {
  it('lists the engine\'s profiles and opens one with a click', async () => {
    await ui.page.goto(`${running.httpUrl}/?view=profiles`);
    await ui.page.waitForSelector('.profile-row');
    assert.deepEqual(await ui.page.locator('.profile-row .profile-name').allInnerTexts(), ['cpu-1.pb.gz', 'cpu-2.pb.gz']);
    await ui.page.locator('.profile-row', { hasText: 'cpu-1.pb.gz' }).click();
    await ui.page.waitForSelector('.flame-canvas');
    assert.match(ui.page.url(), /profile=cpu-1/);
    assert.ok(api.requests.includes('GET /api/profiles/cpu-1?format=binary&samples=by-stack'), 'the profile came as the binary compact form, its samples merged by stack');
    assert.ok(!api.requests.includes('GET /api/profiles/cpu-1?format=binary&samples=all'), 'every sample is fetched only for the time order');
  });

  it('shows the engine\'s error for a file it cannot read, and opens one it can', async () => {
    await ui.page.goto(`${running.httpUrl}/?view=profiles`);
    await ui.page.waitForSelector('.profile-row');
    await ui.page.locator('.profile-list input[type=file]').setInputFiles({ name: 'broken.pprof', mimeType: 'application/octet-stream', buffer: Buffer.from('not gzip') });
    const error = ui.page.locator('.profile-message.profile-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Could not open broken\.pprof: .*gzip data is truncated/);
    await ui.page.locator('.profile-list input[type=file]').setInputFiles({ name: 'fresh.cpuprofile', mimeType: 'application/json', buffer: Buffer.from('{}') });
    await ui.page.waitForSelector('.flame-canvas');
    assert.equal(await ui.page.locator('.profile-title').innerText(), 'fresh.cpuprofile');
    assert.ok(api.requests.includes('POST /api/profiles?name=fresh.cpuprofile'));
    // The browser logs the refused upload's 400 itself; nothing else may go wrong.
    ui.problems.splice(0, ui.problems.length, ...ui.problems.filter((p) => !/status of 400/.test(p)));
  });
});

describe('the flame graph', () => {
  before(() => go('profile=cpu-1&type=1'));

  it('draws the merged stacks, root at the bottom, widest first, with self/total and share on hover', async () => {
    assert.match(await hover(0, 0.5), /^all .*Self 0 ns \(0\.00%\) Total 1\.58 s \(100\.0%\)/);
    assert.match(await hover(5, 0.02), /main\.\(\*Shop\)\.Checkout \/app\/shop\.go:42 Self 0 ns \(0\.00%\) Total 1\.09 s \(69\.2%\)/);
    assert.match(await hover(6, 0.02), /database\/sql\.\(\*DB\)\.QueryContext .*Total 510 ms \(32\.3%\)/);
    assert.match(await hover(1, 0.99), /runtime\.(gcBgMarkWorker|mcall)/, 'GC and scheduler time at the right, narrower');
  });

  it('zooms into a clicked box, with breadcrumbs back out', async () => {
    const p = await point(5, 0.02);
    await ui.page.mouse.click(p.x, p.y);
    await eventually(crumbs, (c) => c.at(-1) === 'main.(*Shop).Checkout');
    assert.deepEqual(await crumbs(), ['all', 'runtime.main', 'main.main', 'net/http.(*Server).Serve', 'net/http.(*conn).serve', 'main.(*Shop).Checkout']);
    // Checkout now spans the width: its children are wider, the pricing box 330/1092 of it.
    assert.match(await hover(6, 0.9), /main\.\(\*Cart\)\.Total|encoding\/json\.Marshal/);
    assert.match(await hover(6, 0.02), /QueryContext/);
    await ui.page.locator('.flame-crumbs .crumb', { hasText: /^runtime\.main$/ }).click();
    await eventually(crumbs, (c) => c.at(-1) === 'runtime.main');
    await ui.page.locator('.reset').click();
    await eventually(crumbs, (c) => c.length === 0);
  });

  it('highlights what a regex search matches and sums its share once per stack', async () => {
    await ui.page.locator('.profile-search').fill('json|reflect');
    await eventually(() => ui.page.locator('.search-summary').innerText(), (t) => t.startsWith('3 functions'));
    assert.equal(await ui.page.locator('.search-summary').innerText(), '3 functions · 16.0%');
    assert.match(ui.page.url(), /q=json%7Creflect/);
    await ui.page.locator('.profile-search').fill('(');
    await eventually(() => ui.page.locator('.search-summary').getAttribute('title'), (t) => /not a regular expression/.test(t ?? ''));
    await ui.page.locator('.profile-search').fill('');
  });

  it('filters by a label: the samples of one span', async () => {
    await ui.page.locator('.label-filter').selectOption(`span_id=${SPAN_ID}`);
    await eventually(() => hover(0, 0.5), (t) => /Total 95\.0 ms/.test(t));
    await ui.page.locator('.label-filter').selectOption('');
    await eventually(() => hover(0, 0.5), (t) => /Total 1\.58 s/.test(t));
  });

  it('switches sample type', async () => {
    await ui.page.locator('.sample-type').selectOption('0');
    await eventually(() => hover(0, 0.5), (t) => /Total 1,578 \(100\.0%\)/.test(t));
    await ui.page.locator('.sample-type').selectOption('1');
  });

  it('moves a selection with the keyboard and zooms with Enter', async () => {
    await ui.page.mouse.move(0, 0);
    await ui.page.locator('.flame-canvas').focus();
    for (let i = 0; i < 7; i++) await ui.page.keyboard.press('ArrowUp');
    await ui.page.keyboard.press('Enter');
    await eventually(crumbs, (c) => c.at(-1) === 'database/sql.(*DB).QueryContext');
    await ui.page.keyboard.press('ArrowRight');
    await ui.page.keyboard.press('Enter');
    await eventually(crumbs, (c) => c.at(-1) !== 'database/sql.(*DB).QueryContext' && c.length === 7);
    await ui.page.keyboard.press('Escape');
    await eventually(crumbs, (c) => c.length === 0);
  });

  it('turns upside down as an icicle, and shows samples in time order', async () => {
    await ui.page.locator('.mode[data-mode=icicle]').click();
    assert.match(await hover(0, 0.5, { icicle: true }), /^all /);
    assert.match(await hover(5, 0.02, { icicle: true }), /Checkout/);
    const before = api.requests.filter((r) => r.endsWith('samples=all')).length;
    await ui.page.locator('.mode[data-mode=time]').click();
    await ui.page.waitForSelector('.flame-canvas');
    assert.equal(api.requests.filter((r) => r.endsWith('samples=all')).length, before + 1, 'the time order fetched every sample');
    // Six request rounds one after another: the first round's checkout starts at the left.
    assert.match(await hover(5, 0.01, { icicle: true }), /Checkout .*Total 182 ms \(11\.5%\)/);
    assert.match(await hover(1, 0.5, { icicle: true }), /runtime\.main .*Total 2(3|6)\d ms/);
  });
});

describe('the sandwich', () => {
  it('opens on Shift-click with the callers above and the callees below', async () => {
    await go('profile=cpu-1&type=1');
    await ui.page.keyboard.down('Shift');
    const p = await point(6, 0.02);
    await ui.page.mouse.click(p.x, p.y);
    await ui.page.keyboard.up('Shift');
    await ui.page.waitForSelector('.sandwich-function');
    assert.equal(await ui.page.locator('.sandwich-function').innerText(), 'database/sql.(*DB).QueryContext');
    assert.match(await ui.page.locator('.sandwich-heading').innerText(), /total 510 ms \(32\.3%\)/);
    // Callers (flame orientation, the function in the bottom row): Checkout right above it.
    assert.match(await hover(0, 0.5, { canvas: 0 }), /QueryContext/);
    assert.match(await hover(1, 0.5, { canvas: 0 }), /Checkout/);
    // Callees (icicle, the function at the top): the driver's query call, the widest.
    assert.match(await hover(0, 0.3, { canvas: 1, icicle: true }), /QueryContext/);
    assert.match(await hover(1, 0.3, { canvas: 1, icicle: true }), /pq\.\(\*conn\)\.query .*Total 360 ms/);
  });
});

describe('the top table', () => {
  it('lists functions by self, sorts by total, narrows by the search', async () => {
    await go('profile=cpu-1&type=1&mode=top');
    const firstRows = async () => (await ui.page.locator('.top-rows .top-row:not([hidden]) .top-name').allInnerTexts()).slice(0, 3);
    await eventually(firstRows, (r) => r.length === 3);
    const ordered = async () => ui.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.top-rows .top-row:not([hidden])')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((r) => [...r.children].map((c) => (c as HTMLElement).innerText)));
    assert.deepEqual((await ordered())[0].slice(0, 6), ['syscall.Syscall', 'syscall_linux.go:69', '360 ms', '22.8%', '360 ms', '22.8%']);
    await ui.page.locator('.sort-header', { hasText: 'Total' }).click();
    // Four functions hold every request (1.39 s); ties read by name.
    await eventually(ordered, (r) => r[0][0] === 'main.main');
    assert.deepEqual((await ordered()).slice(0, 5).map((r) => `${r[0]} ${r[4]}`), ['main.main 1.39 s', 'net/http.(*conn).serve 1.39 s', 'net/http.(*Server).Serve 1.39 s', 'runtime.main 1.39 s', 'main.(*Shop).Checkout 1.09 s']);
    await ui.page.locator('.profile-search').fill('Catalog');
    await eventually(ordered, (r) => r.length === 1);
    // Search is recursive in the fixture: total counted once.
    assert.deepEqual((await ordered())[0].slice(0, 6), ['main.(*Catalog).Search', 'catalog.go:55', '0 ns', '0.00%', '252 ms', '16.0%']);
    await ui.page.locator('.top-rows .top-row').first().click();
    await ui.page.waitForSelector('.sandwich-function');
    assert.equal(await ui.page.locator('.sandwich-function').innerText(), 'main.(*Catalog).Search');
  });
});

describe('the diff', () => {
  it('sizes boxes by the larger side and colours them by the change', async () => {
    await go('profile=cpu-2&type=1&mode=diff&base=cpu-1&normalize=0');
    await ui.page.waitForSelector('.diff-legend');
    assert.match(await ui.page.locator('.diff-legend').innerText(), /Base 1\.58 s → 1\.91 s/);
    // Pricing got slower (math.Round 35 → 90 ms a round): the leftmost box at depth 8.
    const tip = await hover(8, 0.02);
    assert.match(tip, /math\.Round .*Base total 210 ms New total 540 ms Change \+157\.1%/);
    const p = await point(8, 0.02);
    const colour = await ui.page.evaluate(({ x, y }) => {
      const c = document.querySelector<HTMLCanvasElement>('.flame-canvas')!;
      const r = c.getBoundingClientRect();
      const k = c.width / r.width;
      return Array.from(c.getContext('2d')!.getImageData(Math.round((x - r.left) * k), Math.round((y - r.top) * k), 1, 1).data.slice(0, 3));
    }, p);
    assert.ok(colour[0] > colour[2] + 40, `more time reads orange-red, got rgb(${colour})`);
    assert.match(await hover(0, 0.5), /^all Base total 1\.58 s New total 1\.91 s Change \+20\.9%/);
  });
});

describe('with the real engine', () => {
  it('opens a Go CPU profile dropped on the page, and its search share matches go tool pprof', async () => {
    const real = await openUi(browser, running.httpUrl, 'view=profiles');
    await real.page.waitForSelector('.profile-list');
    await real.page.locator('.profile-list input[type=file]').setInputFiles(join(__dirname, '..', '..', 'src', 'engine', 'profiles', 'fixtures', 'go-cpu.pb.gz'));
    await real.page.waitForSelector('.flame-canvas');
    assert.equal(await real.page.locator('.profile-title').innerText(), 'go-cpu.pb.gz');
    // go-cpu.top.txt: main.fib is 170ms of 680ms cumulative (25.00%).
    await real.page.locator('.profile-search').fill('^main\\.fib$');
    await eventually(() => real.page.locator('.search-summary').innerText(), (t) => t === '1 function · 25.0%');
    await real.page.locator('.mode[data-mode=top]').click();
    await real.page.locator('.profile-search').fill('^main\\.busy$');
    const cells = await eventually(() => real.page.locator('.top-rows .top-row:not([hidden]) > span').allInnerTexts(), (c) => c.length === 7 && c[0] === 'main.busy');
    assert.deepEqual(cells.slice(2, 6), ['0 ns', '0.00%', '620 ms', '91.2%']);
    assert.deepEqual(real.problems, []);
    await real.page.context().close();
  });

  it('shows the engine\'s own words for a file that is no profile', async () => {
    const real = await openUi(browser, running.httpUrl, 'view=profiles');
    await real.page.waitForSelector('.profile-list');
    await real.page.locator('.profile-list input[type=file]').setInputFiles({ name: 'notes.pprof', mimeType: 'application/octet-stream', buffer: Buffer.from('\u001f\u008b\u0008garbage') });
    const error = real.page.locator('.profile-message.profile-error');
    await error.waitFor();
    assert.match(await error.innerText(), /^Could not open notes\.pprof: .{10,}/);
    await real.page.context().close();
  });
});

describe('in a VS Code webview', () => {
  it('asks the host for the binary profile and sends Ctrl/Cmd-clicks as openSource', async () => {
    const received: WebviewToHost[] = [];
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const page = await context.newPage();
    const send = (msg: HostToWebview | { type: 'bytesResponse'; id: number; status: number; array: number[] }) => page.evaluate((m) => {
      const message = 'array' in m ? { type: 'bytesResponse', id: m.id, status: m.status, bytes: new Uint8Array(m.array) } : m;
      window.postMessage(message, '*');
    }, msg);
    await page.exposeBinding('__toHost', async (_s, msg: WebviewToHost) => {
      received.push(msg);
      if (msg.type === 'ready') await send({ type: 'init', view: 'profiles', state: { view: 'profiles', state: { profile: 'cpu-1', type: '1' } }, engineUrl: running.httpUrl });
      if (msg.type === 'request') await send({ type: 'response', id: msg.id, status: 200, body: api.profiles.map((p) => p.summary) });
      if (msg.type === 'requestBytes') await send({ type: 'bytesResponse', id: msg.id, status: 200, array: Array.from(encodeCompactProfile(api.profiles[0])) });
    });
    await page.addInitScript(() => {
      (window as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f;
      const host = (window as unknown as { __toHost: (m: unknown) => void }).__toHost;
      (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({ postMessage: (m: unknown) => host(m), getState: () => undefined, setState: () => undefined });
    });
    await page.goto(`${running.httpUrl}/`);
    await page.waitForSelector('.flame-canvas');
    assert.ok(received.some((m) => m.type === 'requestBytes' && m.path === '/api/profiles/cpu-1?format=binary&samples=by-stack'));
    const p = await point(5, 0.02, { page });
    await page.waitForTimeout(100);
    await page.keyboard.down('Control');
    await page.mouse.click(p.x, p.y);
    await page.keyboard.up('Control');
    const open = await eventually(() => Promise.resolve(received.filter((m) => m.type === 'openSource')), (m) => m.length === 1);
    assert.deepEqual(open[0], { type: 'openSource', location: { path: '/app/shop.go', line: 42, function: 'main.(*Shop).Checkout' } });
    await context.close();
  });

  it('goes from a span in the trace view to the profiles of its trace, filtered to the span', async () => {
    const rec = new TraceRecorder();
    const c = checkout(rec, Date.now() - 30_000, { fail: false });
    await rec.send(running.httpUrl);
    const traceId = c.root.spanContext().traceId;
    await ui.page.goto(`${running.httpUrl}/?trace=${traceId}`);
    await ui.page.locator('.span-row').first().click();
    await ui.page.locator('.span-profiles').click();
    await ui.page.waitForSelector('.profile-list-title');
    assert.equal(await ui.page.locator('.profile-list-title').innerText(), `Profiles of trace ${traceId}`);
    assert.match(ui.page.url(), new RegExp(`view=profiles.*traceId=${traceId}.*label=span_id%3D${c.root.spanContext().spanId}`));
    assert.match(await ui.page.locator('.profile-table').innerText(), /No profile has samples of this trace/);
  });

  it('lists the profiles of a trace from its id', async () => {
    await ui.page.goto(`${running.httpUrl}/?view=profiles&traceId=${TRACE_ID}`);
    await ui.page.waitForSelector('.profile-row');
    assert.equal(await ui.page.locator('.profile-list-title').innerText(), `Profiles of trace ${TRACE_ID}`);
    assert.ok(api.requests.includes(`GET /api/profiles?traceId=${TRACE_ID}`));
  });

  it('reported no page errors', () => {
    assert.deepEqual(ui.problems, []);
  });
});
