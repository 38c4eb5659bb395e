// Chromium's own trace of an interaction, summed per frame: the CPU time of every thread
// that worked for it (the page's main thread, its compositor and raster threads, the
// GPU/Viz process) and, on the page's main thread, the self time of each kind of work
// (script, style, layout, paint, canvas flushes…). CPU time counts what the page costs,
// not the time it waited for a core, so on a shared machine it is steadier than frame
// intervals. Used by bench/browser/frameProfile.ts.

import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import type { Browser, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

// Few enough that tracing adds little to what it measures ('v8' alone doubled the script time).
const CATEGORIES = ['toplevel', 'blink', 'blink.user_timing', 'cc', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];

export interface FrameCost {
  frames: number;
  /** CPU ms per frame by thread ("renderer: CrRendererMain", "gpu: VizCompositorThread"…), largest first. */
  threads: [string, number][];
  /** CPU ms per frame of self time on the page's main thread, by event name, largest first. */
  mainSelf: [string, number][];
  /** The page's main thread: CPU ms per frame. */
  mainCpu: number;
  /** With a source map given: script self time per frame by function (sampled), largest first. */
  script?: [string, number][];
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/**
 * Records Chromium's trace while `act` runs `frames` animation frames on `page`; with
 * `bundleMap` (the UI bundle's source map), V8's sampling profiler runs too and names
 * the page's functions by their place in the source.
 */
export async function traceFrames(browser: Browser, page: Page, frames: number, act: () => Promise<unknown>, bundleMap?: string): Promise<FrameCost> {
  const cdp = bundleMap ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  await browser.startTracing(page, { categories: CATEGORIES });
  await page.evaluate(() => performance.mark('frame-trace:start'));
  await act();
  await page.evaluate(() => performance.mark('frame-trace:end'));
  const buffer = await browser.stopTracing();
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const cost = frameCost(Array.isArray(parsed) ? parsed : parsed.traceEvents, frames);
  if (cdp && bundleMap) {
    const { profile } = await cdp.send('Profiler.stop') as unknown as { profile: CpuProfile };
    cost.script = scriptSelf(profile, new SourceMap(JSON.parse(readFileSync(bundleMap, 'utf8')) as SourceMapPayload), frames);
    await cdp.detach();
  }
  return cost;
}

/** Sampled self time per function, per frame (ms), largest first; idle and the program's own time left out. */
function scriptSelf(profile: CpuProfile, map: SourceMap, frames: number): [string, number][] {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, k) => {
    const f = byNode.get(id)!.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') return;
    let key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    if (f.url.endsWith('/main.js')) {
      const entry = map.findEntry(f.lineNumber, f.columnNumber) as { originalSource?: string; originalLine?: number };
      if (entry.originalSource) key = `${f.functionName || '(anonymous)'} ${entry.originalSource.split('/').slice(-2).join('/')}:${(entry.originalLine ?? 0) + 1}`;
    }
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000 / frames);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 16);
}

function frameCost(events: TraceEvent[], frames: number): FrameCost {
  const threadNames = new Map<string, string>();
  const processNames = new Map<number, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
    if (e.name === 'process_name') processNames.set(e.pid, e.args?.name ?? '?');
  }
  const marks = events.filter((e) => e.name.startsWith('frame-trace:'));
  const start = marks.find((e) => e.name === 'frame-trace:start');
  const end = marks.find((e) => e.name === 'frame-trace:end');
  if (!start || !end) throw new Error('the trace has no frame-trace marks (blink.user_timing)');
  const page = `${start.pid}:${start.tid}`;
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of completeEvents(events)) {
    if (e.ts < start.ts || e.ts > end.ts) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key) ?? [];
    byThread.set(key, list);
    list.push(e);
  }
  const threads = new Map<string, number>();
  let mainCpu = 0;
  for (const [key, list] of byThread) {
    const pid = Number(key.split(':')[0]);
    const proc = pid === start.pid ? 'page' : (processNames.get(pid) ?? `pid ${pid}`).replace(/ Process$/, '').toLowerCase();
    const label = `${proc}: ${(threadNames.get(key) ?? '?').replace(/\d+$/, 'N')}`;
    const cpu = topLevel(list).reduce((sum, e) => sum + (e.tdur ?? e.dur ?? 0), 0) / 1000;
    threads.set(label, (threads.get(label) ?? 0) + cpu);
    if (key === page) mainCpu = cpu;
  }
  const self = selfTimes(byThread.get(page) ?? []);
  const perFrame = (m: Map<string, number>) => [...m].map(([k, v]) => [k, v / frames] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { frames, threads: perFrame(threads).filter(([, v]) => v >= 0.05), mainSelf: perFrame(self).slice(0, 14), mainCpu: mainCpu / frames };
}

/** Complete ('X') events, with begin/end pairs joined into them. */
function completeEvents(events: TraceEvent[]): TraceEvent[] {
  const out: TraceEvent[] = [];
  const open = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph === 'X') out.push(e);
    else if (e.ph === 'B') {
      const key = `${e.pid}:${e.tid}`;
      open.set(key, [...(open.get(key) ?? []), e]);
    } else if (e.ph === 'E') {
      const begun = open.get(`${e.pid}:${e.tid}`)?.pop();
      if (begun) out.push({ ...begun, ph: 'X', dur: e.ts - begun.ts });
    }
  }
  return out;
}

/** The events not nested in another one: a thread's tasks. */
function topLevel(list: TraceEvent[]): TraceEvent[] {
  const sorted = [...list].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const out: TraceEvent[] = [];
  let until = -Infinity;
  for (const e of sorted) {
    if (e.ts < until) continue;
    out.push(e);
    until = e.ts + (e.dur ?? 0);
  }
  return out;
}

/** CPU time (wall time where the event has none) per event name not spent in a nested event, in ms. */
function selfTimes(list: TraceEvent[]): Map<string, number> {
  const sorted = [...list].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { e: TraceEvent; end: number; children: number }[] = [];
  const close = (upTo: number) => {
    while (stack.length && stack[stack.length - 1].end <= upTo) {
      const top = stack.pop()!;
      self.set(top.e.name, (self.get(top.e.name) ?? 0) + Math.max(0, (top.e.tdur ?? top.e.dur ?? 0) - top.children) / 1000);
    }
  };
  for (const e of sorted) {
    close(e.ts);
    if (stack.length) stack[stack.length - 1].children += e.tdur ?? e.dur ?? 0;
    stack.push({ e, end: e.ts + (e.dur ?? 0), children: 0 });
  }
  close(Infinity);
  return self;
}

export function describeCost(label: string, c: FrameCost): string {
  const ms = (v: number) => v.toFixed(2).padStart(7);
  return [
    `${label}: ${c.frames} frames; page main thread ${c.mainCpu.toFixed(2)} ms CPU per frame`,
    '  CPU per frame by thread:',
    ...c.threads.slice(0, 10).map(([k, v]) => `   ${ms(v)} ms  ${k}`),
    '  page main thread, self time per frame by event:',
    ...c.mainSelf.map(([k, v]) => `   ${ms(v)} ms  ${k}`),
    ...(c.script ? ['  script self time per frame by function (sampled, wall):', ...c.script.map(([k, v]) => `   ${ms(v)} ms  ${k}`)] : []),
  ].join('\n');
}
