// The disk tier (--data-dir), measured as a user runs it: ingest with persistence on
// beside the same load with it off, bytes on disk per span, query latency on data only
// the disk holds, and restart time with about 1 GiB on disk (to listening, to the
// newest data loaded back into memory in the background, and to the rest counted into
// the golden signals after it). Runs are bounded: a fixed
// number of requests, and the 1 GiB is made by copying the segments one run wrote
// (the restart reads only the indexes and the newest segments, so copies time the same).

import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import type { StatusResponse } from '../src/protocol/api.ts';
import { decodeTracesRequest } from '../src/engine/otlp/protobuf/traces.ts';
import { readRecord } from '../src/engine/disk/record.ts';
import { startEngineProcess } from './support/engineProcess.ts';

const run = promisify(execFile);
const REQUESTS = Number(process.env.BENCH_DISK_REQUESTS ?? 1500);
const MIB = 1048576;

async function load(url: string): Promise<{ spans: number; seconds: number }> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'load.js'), 'http', `${url}/v1/traces`, 'protobuf', '60', String(REQUESTS)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { spans: number; seconds: number };
}

async function status(url: string): Promise<StatusResponse> {
  return (await (await fetch(`${url}/api/status`)).json()) as StatusResponse;
}

async function timed(url: string, times = 5): Promise<{ first: number; median: number; tier: string | null }> {
  const ms: number[] = [];
  let tier: string | null = null;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    tier = res.headers.get('x-loupe-tier') ?? tier;
    ms.push(performance.now() - t);
  }
  const first = ms[0];
  return { first, median: ms.sort((a, b) => a - b)[times >> 1], tier };
}

/** The first trace id of the oldest record on disk: memory evicted it long ago. */
function oldestTraceId(dir: string): string {
  const first = readdirSync(dir).filter((f) => f.endsWith('.log')).sort()[0];
  const r = readRecord(readFileSync(join(dir, first)), 0);
  if (!('record' in r)) throw new Error(`no record in the oldest segment ${first}: ${r.problem}, ${readFileSync(join(dir, first)).length} bytes`);
  return decodeTracesRequest(r.record.body).resourceSpans![0].scopeSpans![0].spans![0].traceId!;
}

/** Copies the segments (with their indexes, renumbered) until the folder holds `bytes`. */
function fillTo(dir: string, bytes: number): number {
  const originals = readdirSync(dir).filter((f) => f.endsWith('.log') && readdirSync(dir).includes(`${f}.idx`)).sort();
  let total = originals.reduce((n, f) => n + readFileSync(join(dir, f)).length, 0);
  let seq = 1e12;
  while (total < bytes) {
    for (const f of originals) {
      const name = `seg-${String(seq).padStart(16, '0')}.log`;
      copyFileSync(join(dir, f), join(dir, name));
      const idx = readFileSync(join(dir, `${f}.idx`), 'utf8');
      const body = JSON.parse(idx.slice(idx.indexOf('\n') + 1));
      const span = body.lastSeq - body.firstSeq;
      Object.assign(body, { file: name, firstSeq: seq, lastSeq: seq + span });
      const text = JSON.stringify(body);
      writeFileSync(join(dir, `${name}.idx`), `${crc32(text)}\n${text}`);
      seq += span + 1;
      total += body.bytes;
      if (total >= bytes) break;
    }
  }
  return total;
}

/**
 * Start to listening, start to the last session's data loaded back into memory, and start
 * to the older segments counted into the golden signals (polled every 50 ms).
 */
async function restartMs(args: string[]): Promise<{ listening: number; loaded: number; loadedMiB: number; counted: number; countedMiB: number; answerMedianMs: number; answerMaxMs: number }> {
  const t = performance.now();
  const engine = await startEngineProcess(args);
  const listening = performance.now() - t;
  let s = await status(engine.httpUrl);
  let loaded = NaN;
  const counting = (a = s.disk?.reload?.aggregates) => a?.state === 'waiting' || a?.state === 'counting';
  // How long a request waits meanwhile: the slices yield to it.
  const answerMs: number[] = [];
  while (s.disk?.reload?.state === 'loading' || counting()) {
    if (s.disk?.reload?.state !== 'loading' && Number.isNaN(loaded)) loaded = performance.now() - t;
    await new Promise((r) => setTimeout(r, 50));
    const asked = performance.now();
    s = await status(engine.httpUrl);
    answerMs.push(performance.now() - asked);
  }
  const counted = performance.now() - t;
  if (Number.isNaN(loaded)) loaded = counted;
  await engine.stop();
  answerMs.sort((a, b) => a - b);
  return {
    listening, loaded, loadedMiB: (s.disk?.reload?.loadedBytes ?? 0) / MIB, counted, countedMiB: (s.disk?.reload?.aggregates?.scannedBytes ?? 0) / MIB,
    answerMedianMs: answerMs[answerMs.length >> 1] ?? 0, answerMaxMs: answerMs.at(-1) ?? 0,
  };
}

export async function diskRows(): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'loupe-bench-disk-'));
  const dir = join(root, 'data');
  let stopOnError: (() => Promise<void>) | undefined;
  const rows = ['', `| disk tier (${REQUESTS} requests of traces, 64 MiB memory budget) | value |`, '|---|---:|'];
  try {
    const off = await startEngineProcess(['--memory-budget-mb', '64']);
    const offLoad = await load(off.httpUrl);
    await off.stop();
    const on = await startEngineProcess(['--memory-budget-mb', '64', '--data-dir', dir]);
    stopOnError = () => on.stop();
    const onLoad = await load(on.httpUrl);
    const offRate = offLoad.spans / offLoad.seconds;
    const onRate = onLoad.spans / onLoad.seconds;
    rows.push(`| ingest, persistence off | ${Math.round(offRate).toLocaleString('en-US')} spans/s |`);
    rows.push(`| ingest, persistence on | ${Math.round(onRate).toLocaleString('en-US')} spans/s (${(onRate / offRate).toFixed(2)}×) |`);
    await new Promise((r) => setTimeout(r, 1500));
    const s = (await status(on.httpUrl)).disk!;
    rows.push(`| bytes on disk per span | ${(s.bytes / s.counts.spans).toFixed(0)} (${(s.bytes / MIB).toFixed(0)} MiB, ${s.counts.spans.toLocaleString('en-US')} spans, ${s.segments} segments) |`);
    const evicted = oldestTraceId(dir);
    const fetchTrace = await timed(`${on.httpUrl}/api/traces/${evicted}`);
    rows.push(`| trace fetch from disk (${fetchTrace.tier}), first / then median | ${fetchTrace.first.toFixed(0)} ms / ${fetchTrace.median.toFixed(1)} ms |`);
    const list = await timed(`${on.httpUrl}/api/traces?limit=50&q=${evicted}`);
    rows.push(`| trace search by id, disk, first / then median | ${list.first.toFixed(0)} ms / ${list.median.toFixed(1)} ms |`);
    await on.stop();
    stopOnError = undefined;
    const small = await restartMs(['--memory-budget-mb', '256', '--data-dir', dir]);
    const total = fillTo(dir, 1024 * MIB);
    const big = await restartMs(['--memory-budget-mb', '256', '--data-dir', dir]);
    const none = await restartMs(['--memory-budget-mb', '256']);
    rows.push(`| start to listening: memory only / ${(s.bytes / MIB).toFixed(0)} MiB on disk / ${(total / MIB).toFixed(0)} MiB on disk | ${none.listening.toFixed(0)} / ${small.listening.toFixed(0)} / ${big.listening.toFixed(0)} ms |`);
    rows.push(`| start to the newest data loaded back into memory (in the background): ${(s.bytes / MIB).toFixed(0)} MiB / ${(total / MIB).toFixed(0)} MiB on disk | ${small.loaded.toFixed(0)} ms (${small.loadedMiB.toFixed(0)} MiB) / ${big.loaded.toFixed(0)} ms (${big.loadedMiB.toFixed(0)} MiB) |`);
    rows.push(`| start to the older segments counted into the golden signals (after the load, in the background): ${(s.bytes / MIB).toFixed(0)} MiB / ${(total / MIB).toFixed(0)} MiB on disk | ${small.counted.toFixed(0)} ms (${small.countedMiB.toFixed(0)} MiB) / ${big.counted.toFixed(0)} ms (${big.countedMiB.toFixed(0)} MiB) |`);
    rows.push(`| \`/api/status\` answered meanwhile (polled every 50 ms), median / max: ${(s.bytes / MIB).toFixed(0)} MiB / ${(total / MIB).toFixed(0)} MiB on disk | ${small.answerMedianMs.toFixed(1)} / ${small.answerMaxMs.toFixed(0)} ms · ${big.answerMedianMs.toFixed(1)} / ${big.answerMaxMs.toFixed(0)} ms |`);
  } finally {
    await stopOnError?.();
    rmSync(root, { recursive: true, force: true });
  }
  return rows;
}
