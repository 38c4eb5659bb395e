// The log store's benchmark: the engine in its own process (as `npm start` runs it),
// 1,000,000 log records sent over OTLP/HTTP protobuf from another process, the engine's
// RSS per retained record against the records' wire size, and `/api/logs` search
// latency over those records for several filters. Returns the table's rows.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LogPatternSummary, LogsResponse, StatusResponse } from '../src/protocol/api.ts';
import { RECORDS_PER_BATCH } from './logBatches.ts';
import { startEngineProcess } from './support/engineProcess.ts';

const run = promisify(execFile);
const RECORDS = Number(process.env.BENCH_LOG_RECORDS ?? 1_000_000);
const RUNS = 30;

interface LoadResult { requests: number; failed: number; records: number; seconds: number; wireBytes: number }

async function sendLogs(url: string): Promise<LoadResult> {
  // Bundled, the load generator sits beside this file as .js; run from source, as .ts.
  const args = __filename.endsWith('.ts') ? ['--import', 'tsx', join(__dirname, 'logLoad.ts')] : [join(__dirname, 'logLoad.js')];
  const { stdout } = await run(process.execPath, [...args, url, String(RECORDS)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

async function getJson<T>(base: string, path: string): Promise<T> {
  const res = await fetch(base + path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return await res.json() as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU time (user + system, in clock ticks) the process has used, from /proc. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Waits until the process has used under 5% of a core for two seconds running; returns the seconds waited. */
async function untilIdle(pid: number, maxSeconds = 180): Promise<number> {
  const started = Date.now();
  let quiet = 0;
  let last = cpuTicks(pid);
  while (quiet < 2 && Date.now() - started < maxSeconds * 1000) {
    await sleep(1000);
    const now = cpuTicks(pid);
    quiet = now - last < 5 ? quiet + 1 : 0;
    last = now;
  }
  return (Date.now() - started) / 1000;
}

export async function logsBench(): Promise<string[]> {
  const engine = await startEngineProcess(['--memory-budget-mb', '8192']);
  try {
    await sleep(1000);
    const before = engine.rss();
    const load = await sendLogs(`${engine.httpUrl}/v1/logs`);
    const status = await getJson<StatusResponse>(engine.httpUrl, '/api/status');
    const retained = status.counts.logs;
    // The text filters are built while ingest is quiet: wait until the engine is idle.
    const indexSeconds = await untilIdle(engine.pid);
    const after = engine.rss();
    const wirePerRecord = load.wireBytes / (load.requests + load.failed) / RECORDS_PER_BATCH;
    const rssPerRecord = (after - before) / retained;
    const rows = [
      '', `| log store, ${fmt(retained)} records (OTLP/HTTP protobuf, ${fmt(load.records / load.seconds)} records/s, ${load.failed} failed requests) | bytes/record | × wire | target |`, '|---|---:|---:|---:|',
      `| wire size (OTLP protobuf request) | ${wirePerRecord.toFixed(0)} | 1.00 | |`,
      `| engine process RSS growth (${fmt(before / 1048576)} → ${fmt(after / 1048576)} MiB) | ${rssPerRecord.toFixed(0)} | ${(rssPerRecord / wirePerRecord).toFixed(2)} | ≤ 1.5× |`,
      `| engine's own count (memoryBytes, logs and the rest) | ${(status.memoryBytes / retained).toFixed(0)} | ${(status.memoryBytes / retained / wirePerRecord).toFixed(2)} | |`,
      '', `The engine was busy for ${indexSeconds.toFixed(1)} s after ingest (building the text filters) before the searches ran.`,
    ];

    const newest = await getJson<LogsResponse>(engine.httpUrl, '/api/logs?limit=1');
    const traceId = (await getJson<LogsResponse>(engine.httpUrl, '/api/logs?limit=50&q=shipped')).logs.find((l) => l.traceId)?.traceId ?? '';
    const patterns = await getJson<LogPatternSummary[]>(engine.httpUrl, '/api/logs/patterns?service=bench-service-1');
    const rare = patterns.find((p) => p.pattern.startsWith('charge'));
    const someNumber = String(Math.floor(RECORDS / 3)).padStart(9, '0');
    const queries: [string, string][] = [
      ['newest 200 records', '/api/logs'],
      ['service', '/api/logs?service=bench-service-2'],
      ['minimum severity error', '/api/logs?minSeverity=error'],
      ['service + severity warn + text', '/api/logs?service=bench-service-3&minSeverity=warn&q=slow%20query'],
      ['attribute (value in 1 record)', `/api/logs?attr=order.id=ord-${someNumber}`],
      ['attribute (matches none)', '/api/logs?attr=order.id=ord-none'],
      ['free text (in 2 records of 1M)', `/api/logs?q=${someNumber}`],
      ['free text (matches nothing; common letters)', '/api/logs?q=nosuchtext'],
      ['free text, case-insensitive (common)', '/api/logs?q=DECLINED'],
      ['trace id', `/api/logs?traceId=${traceId}`],
      ['time range (1 s, an hour before)', `/api/logs?start=${BigInt(newest.logs[0].timeUnixNano) - 3_600_000_000_000n}&end=${BigInt(newest.logs[0].timeUnixNano) - 3_599_000_000_000n}`],
      ['pattern', `/api/logs?pattern=${rare?.id ?? 1}`],
      ['patterns (kept counts)', '/api/logs/patterns'],
      ['patterns, severity ≥ warn (counted)', '/api/logs/patterns?minSeverity=warn'],
    ];
    rows.push('', `| log search on ${fmt(retained)} records (${RUNS} runs after 3 unmeasured) | median ms | p95 ms | target |`, '|---|---:|---:|---:|');
    for (const [name, path] of queries) {
      const times: number[] = [];
      // Three unmeasured runs first: the first queries after a million-record ingest also
      // pay for compiling the query code and for collecting the ingest's garbage.
      for (let i = -3; i < RUNS; i++) {
        const t0 = performance.now();
        const res = await fetch(engine.httpUrl + path);
        await res.arrayBuffer();
        if (i >= 0) times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      }
      times.sort((a, b) => a - b);
      rows.push(`| ${name} | ${times[Math.floor(RUNS / 2)].toFixed(1)} | ${times[Math.ceil(RUNS * 0.95) - 1].toFixed(1)} | ≤ 50 ms |`);
    }
    return rows;
  } finally {
    await engine.stop();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
