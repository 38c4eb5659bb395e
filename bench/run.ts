// `npm run bench`: ingest throughput per protocol against a null receiver on the same
// HTTP stack, retained memory per span at 1,000,000 spans, and query latency on that
// store. The load comes from a separate process over loopback; each run is bounded in
// time and count. Prints a table.

import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import { encodeBatch, makeSpans, patchTraceIds, SPANS_PER_BATCH } from './batches.ts';
import { profileDecodeRows } from './profiles/decode.ts';
import { profileViewerRows } from './profiles/viewerBench.ts';

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_REQUESTS = 20_000;
const STORE_SPANS = 1_000_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench does)');

interface LoadResult { requests: number; failed: number; spans: number; seconds: number; wireBytes: number }

async function load(transport: 'http' | 'grpc', target: string, encoding: 'protobuf' | 'json'): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'load.js'), transport, target, encoding, String(SECONDS), String(MAX_REQUESTS)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

async function nullReceiver(): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, close: () => server.close() };
}

function perSecond(r: LoadResult): number {
  return r.spans / r.seconds;
}

async function throughput(): Promise<string[]> {
  const rows: string[] = [];
  const nul = await nullReceiver();
  const baseline = await load('http', nul.url, 'protobuf');
  nul.close();
  const engine = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 256 * 1048576, maxBodyBytes: 20 * 1048576 });
  const runs: [string, () => Promise<LoadResult>, number][] = [
    ['OTLP/HTTP protobuf', () => load('http', `${engine.httpUrl}/v1/traces`, 'protobuf'), 250_000],
    ['OTLP/HTTP JSON', () => load('http', `${engine.httpUrl}/v1/traces`, 'json'), 0],
    ['OTLP/gRPC', () => load('grpc', engine.grpcAddress, 'protobuf'), 150_000],
  ];
  rows.push('| ingest | spans/s | vs null receiver | target | requests (failed) | wire bytes/span |', '|---|---:|---:|---:|---:|---:|');
  rows.push(`| null receiver (reads bodies only) | ${fmt(perSecond(baseline))} | 1.00 | — | ${baseline.requests} (${baseline.failed}) | ${(baseline.wireBytes / (baseline.requests + baseline.failed) / SPANS_PER_BATCH).toFixed(0)} |`);
  for (const [name, go, target] of runs) {
    engine.engine.clear();
    const r = await go();
    rows.push(`| ${name} | ${fmt(perSecond(r))} | ${(perSecond(r) / perSecond(baseline)).toFixed(2)} | ${target ? '≥ ' + fmt(target) : '—'} | ${r.requests} (${r.failed}) | ${(r.wireBytes / (r.requests + r.failed) / SPANS_PER_BATCH).toFixed(0)} |`);
    console.error(`  ${name}: ${fmt(perSecond(r))} spans/s; engine evicted ${engine.engine.traces.evictedSpans} spans to stay in 256 MiB`);
  }
  await engine.close();
  return rows;
}

async function memoryAndQueries(): Promise<string[]> {
  const running: RunningEngine = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 8192 * 1048576, maxBodyBytes: 20 * 1048576 });
  const batches = Array.from({ length: 8 }, (_, i) => encodeBatch(makeSpans(i), 'protobuf'));
  gc!(); gc!();
  const before = memoryNow();
  let wire = 0;
  for (let n = 0; running.engine.traces.spanCount < STORE_SPANS; n++) {
    const b = batches[n % batches.length];
    patchTraceIds(b, n + 1);
    wire += b.bytes.length;
    running.engine.export('traces', b.bytes, 'protobuf', 'http');
  }
  // The text filters are built while ingest is quiet; build them all before measuring.
  const indexStarted = performance.now();
  running.engine.textIndexer.runToEnd();
  const indexMs = performance.now() - indexStarted;
  gc!(); gc!();
  const spans = running.engine.traces.spanCount;
  const retained = (memoryNow() - before) / spans;
  const wirePerSpan = wire / spans;
  const rows = [
    '', `| store of ${fmt(spans)} spans | bytes/span | × wire | target |`, '|---|---:|---:|---:|',
    `| wire size (OTLP protobuf request) | ${wirePerSpan.toFixed(0)} | 1.00 | |`,
    `| retained (heap + buffers, after GC) | ${retained.toFixed(0)} | ${(retained / wirePerSpan).toFixed(2)} | ≤ 1.5× |`,
    `| engine's own estimate | ${(running.engine.traces.memoryBytes / spans).toFixed(0)} | ${(running.engine.traces.memoryBytes / spans / wirePerSpan).toFixed(2)} | |`,
    '', `Text filters for ${fmt(spans)} spans built in ${fmt(indexMs)} ms of idle time (${(indexMs * 1000 / spans).toFixed(2)} µs a span).`,
  ];

  const someTrace = (await (await fetch(`${running.httpUrl}/api/traces?limit=1000`)).json() as { traces: { traceId: string }[] }).traces;
  const queries: [string, string, number][] = [
    ['newest 50 traces', '/api/traces', 50],
    ['service', '/api/traces?service=bench-service-2', 50],
    ['service + operation + errors', '/api/traces?service=bench-service-1&operation=GET%20/users/:id&status=error', 50],
    ['attribute (value in 1 trace of 4,000)', `/api/traces?attr=url.path=/orders/${3 * 1000 + 11}`, 50],
    ['attribute (matches none)', '/api/traces?attr=url.path=/nothing/here', 50],
    ['numeric attribute', '/api/traces?attr=http.response.status_code=500', 50],
    ['free text (span name)', '/api/traces?q=checkout', 50],
    ['free text (attribute value in 1 trace of 4,000)', '/api/traces?q=user:5011', 50],
    ['free text (matches nothing; has a rare character)', '/api/traces?q=no-such-text', 50],
    ['free text (matches nothing; common letters only)', '/api/traces?q=nosuchtext', 50],
    ['duration ≥ 1 s (matches none)', '/api/traces?minDurationMs=1000', 50],
    ['trace fetch (OTLP/JSON, 8 spans)', '', 5],
  ];
  rows.push('', `| query on ${fmt(spans)} spans | median ms | p95 ms | target |`, '|---|---:|---:|---:|');
  for (const [name, path, target] of queries) {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const url = running.httpUrl + (path || `/api/traces/${someTrace[(i * 37) % someTrace.length].traceId}`);
      const t0 = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    }
    times.sort((a, b) => a - b);
    rows.push(`| ${name} | ${times[15].toFixed(1)} | ${times[28].toFixed(1)} | ≤ ${target} ms |`);
  }
  await running.close();
  return rows;
}

function memoryNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

console.error(`Loupe benchmark: ${SECONDS} s per ingest run, load from a separate process over loopback, batches of ${SPANS_PER_BATCH} spans with 10 attributes.`);
void (async () => {
  const rows = [...(await throughput()), ...(await memoryAndQueries()), ...(await profileDecodeRows()), ...(await profileViewerRows())];
  console.log(rows.join('\n'));
  process.exit(0);
})();
