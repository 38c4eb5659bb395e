// `npm run bench -- --memory`: the bounded soak. The engine runs in its own process as
// `npm start` runs it, with its RSS sampled from /proc every 250 ms; three load processes
// overfill its store with spans, logs and metrics at once over loopback while queries
// run against it; then one large trace is sent, fetched and exported. Prints peak and
// final RSS against the budget, what was sent against what was stored and evicted, and
// query latencies during the fill. The fill runs in rounds for at least SOAK_SECONDS
// and until the store has been evicting for two rounds (a slow machine needs longer to
// overfill 1 GiB), never past SOAK_MAX_SECONDS; each round is bounded in count too.

import { execFile } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StatusResponse } from '../src/protocol/api.ts';
import { encodeBatch, makeSpans, SPANS_PER_BATCH } from './batches.ts';
import { startEngineProcess, type EngineProcess } from './support/engineProcess.ts';

const run = promisify(execFile);
const MIB = 1048576;
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 90);
const SOAK_MAX_SECONDS = Number(process.env.SOAK_MAX_SECONDS ?? 600);
const ROUND_SECONDS = 15;
const MAX_REQUESTS = 20_000;
const BIG_TRACE_BATCHES = 200;

interface LoadResult { requests: number; failed: number; items: number; seconds: number; wireBytes: number }
type Signal = 'traces' | 'logs' | 'metrics';

function load(signal: Signal, url: string, round: number): Promise<LoadResult> {
  const args = ['http', `${url}/v1/${signal}`, 'protobuf', String(ROUND_SECONDS), String(MAX_REQUESTS), signal, String(round * MAX_REQUESTS)];
  return run(process.execPath, [join(__dirname, 'load.js'), ...args], { maxBuffer: 1 << 20 })
    .then(({ stdout }) => JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult);
}

function sum(a: LoadResult, b: LoadResult): LoadResult {
  return { requests: a.requests + b.requests, failed: a.failed + b.failed, items: a.items + b.items, seconds: a.seconds + b.seconds, wireBytes: a.wireBytes + b.wireBytes };
}

/** Rounds of all three loads at once until the store is overfilled (see the top); totals by signal. */
async function fill(engine: EngineProcess): Promise<{ totals: LoadResult[]; seconds: number }> {
  const started = Date.now();
  let totals: LoadResult[] = [];
  let evictingRounds = 0;
  for (let r = 0; ; r++) {
    const round = await Promise.all((['traces', 'logs', 'metrics'] as Signal[]).map((s) => load(s, engine.httpUrl, r)));
    totals = totals.length ? totals.map((t, i) => sum(t, round[i])) : round;
    const { dropped } = await status(engine);
    if (dropped.spans + dropped.logs + dropped.metricPoints > 0) evictingRounds++;
    const seconds = (Date.now() - started) / 1000;
    if ((seconds >= SOAK_SECONDS && evictingRounds >= 2) || seconds + ROUND_SECONDS > SOAK_MAX_SECONDS) return { totals, seconds };
  }
}

const QUERIES: [string, string][] = [
  ['status', '/api/status'],
  ['newest 50 traces', '/api/traces'],
  ['traces: service + errors', '/api/traces?service=bench-service-1&status=error'],
  ['traces: free text', '/api/traces?q=user:5011'],
  ['logs: newest', '/api/logs'],
  ['logs: free text', '/api/logs?q=connection%20reset'],
  ['metrics list', '/api/metrics'],
];

async function timed(url: string): Promise<{ ms: number; body: Buffer }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.toString().slice(0, 200)}`);
  return { ms: performance.now() - t0, body };
}

async function status(engine: EngineProcess): Promise<StatusResponse> {
  return JSON.parse((await timed(`${engine.httpUrl}/api/status`)).body.toString()) as StatusResponse;
}

/** Queries in turn, every 250 ms, until `done`; latencies by query. */
async function queryDuring(engine: EngineProcess, done: () => boolean): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(QUERIES.map(([name]) => [name, []]));
  for (let i = 0; !done(); i++) {
    const [name, path] = QUERIES[i % QUERIES.length];
    times.get(name)!.push((await timed(engine.httpUrl + path)).ms);
    await new Promise((r) => setTimeout(r, 250));
  }
  return times;
}

/** One trace of BIG_TRACE_BATCHES × 512 spans, sent over OTLP/HTTP. */
async function sendBigTrace(engine: EngineProcess): Promise<string> {
  const batch = encodeBatch(makeSpans(0), 'protobuf');
  const traceId = 'b16b16b16b16b16b16b16b16b16b16b1';
  const id = Buffer.from(traceId, 'hex');
  for (const offsets of batch.traceIdOffsets) for (const at of offsets) id.copy(batch.bytes, at);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const url = new URL(`${engine.httpUrl}/v1/traces`);
  for (let i = 0; i < BIG_TRACE_BATCHES; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/x-protobuf' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`big trace: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(batch.bytes);
    });
  }
  agent.destroy();
  return traceId;
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(0)} MiB`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

export async function soak(budgetMb: number): Promise<string[]> {
  const engine = await startEngineProcess(['--memory-budget-mb', String(budgetMb)]);
  const budget = budgetMb * MIB;
  const rows: string[] = [];
  try {
    const startRss = engine.rss();
    let filling = true;
    const loads = fill(engine);
    const queries = queryDuring(engine, () => !filling);
    const { totals: [traces, logs, metrics], seconds } = await loads.finally(() => { filling = false; });
    const latencies = await queries;
    const fillPeak = engine.peakRss();
    const filled = await status(engine);
    const fillRss = engine.rss();

    engine.resetPeak();
    const traceId = await sendBigTrace(engine);
    const fetched = await timed(`${engine.httpUrl}/api/traces/${traceId}`);
    const bigSpans = BIG_TRACE_BATCHES * SPANS_PER_BATCH;
    const bigPeak = engine.peakRss();
    await new Promise((r) => setTimeout(r, 2000));
    const after = await status(engine);
    const finalRss = engine.rss();

    const limit = budget + 128 * MIB;
    const verdict = (rss: number) => (rss <= limit ? 'within' : 'OVER');
    rows.push(
      '', `### Soak: ${budgetMb} MiB budget, ${seconds.toFixed(0)} s of spans, logs and metrics at once (load from 3 processes over loopback)`, '',
      '| RSS (sampled every 250 ms from /proc) | MiB | vs budget + 128 MiB |', '|---|---:|---:|',
      `| engine at start (empty) | ${(startRss / MIB).toFixed(0)} | |`,
      `| peak during the fill | ${(fillPeak / MIB).toFixed(0)} | ${verdict(fillPeak)} (${mib(limit)}) |`,
      `| after the fill | ${(fillRss / MIB).toFixed(0)} | ${verdict(fillRss)} |`,
      `| peak while a ${fmt(bigSpans)}-span trace is sent and fetched (${mib(fetched.body.length)} OTLP/JSON in ${fmt(fetched.ms)} ms) | ${(bigPeak / MIB).toFixed(0)} | ${verdict(bigPeak)} |`,
      `| final, 2 s later | ${(finalRss / MIB).toFixed(0)} | ${verdict(finalRss)} |`,
      `| store's own accounting (final) | ${(after.memoryBytes / MIB).toFixed(0)} | budget ${budgetMb} |`,
      ...(after.process ? [`| V8 heap used (final, /api/status) | ${(after.process.heapUsedBytes / MIB).toFixed(0)} | |`] : []),
    );
    const acct = (name: string, sent: number, stored: number, evicted: number) =>
      `| ${name} | ${fmt(sent)} | ${fmt(stored)} | ${fmt(evicted)} | ${stored + evicted === sent ? 'yes' : 'NO'} |`;
    rows.push(
      '', '| signal (during the fill) | sent (acknowledged) | stored | evicted | sent = stored + evicted |', '|---|---:|---:|---:|---|',
      acct('spans', traces.items, filled.counts.spans, filled.dropped.spans),
      acct('log records', logs.items, filled.counts.logs, filled.dropped.logs),
      acct('metric points', metrics.items, filled.counts.metricPoints, filled.dropped.metricPoints),
      `| rejected | | | | ${filled.dropped.rejected} |`,
      '', `Throughput during the fill: ${fmt(traces.items / traces.seconds)} spans/s, ${fmt(logs.items / logs.seconds)} log records/s, ${fmt(metrics.items / metrics.seconds)} metric points/s; failed requests ${traces.failed + logs.failed + metrics.failed}. The store ended the fill at ${mib(filled.memoryBytes)} of ${budgetMb} MiB.`,
      '', '| query during the fill | n | median ms | p95 ms | max ms |', '|---|---:|---:|---:|---:|',
    );
    for (const [name, times] of latencies) {
      times.sort((a, b) => a - b);
      rows.push(`| ${name} | ${times.length} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${(times.at(-1) ?? NaN).toFixed(1)} |`);
    }
  } finally {
    await engine.stop();
  }
  return rows;
}
