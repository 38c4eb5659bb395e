// `npm run bench`: ingest throughput per protocol against null receivers on the same
// HTTP and gRPC stacks, memory per retained span at 1,000,000 spans as the operating
// system counts it, and query latency on that store. The engine, the null receivers
// and the load each run in their own process, over loopback; each run is bounded in
// time and count. Prints a table. `npm run bench -- --memory` runs the soak instead
// (bench/memory.ts).

import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StatusResponse } from '../src/protocol/api.ts';
import { SPANS_PER_BATCH } from './batches.ts';
import { soak } from './memory.ts';
import { readCpuSeconds, startEngineProcess, type EngineProcess } from './support/engineProcess.ts';
import { logsBench } from './logs.ts';
import { signalsBenchmark } from './signals.ts';
import { profileDecodeRows } from './profiles/decode.ts';
import { profileViewerRows } from './profiles/viewerBench.ts';
import { bigTraceRows } from './bigTraces.ts';
import { forwardRows } from './forward.ts';
import { alertsBenchmark } from './alerts.ts';
import { diskRows } from './disk.ts';
import { QUERIES } from './queries.ts';

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_REQUESTS = 20_000;
const STORE_SPANS = 1_000_000;
const MIB = 1048576;

interface LoadResult { requests: number; failed: number; spans: number; seconds: number; wireBytes: number }

async function load(transport: 'http' | 'grpc', target: string, encoding: 'protobuf' | 'json', seconds = SECONDS, maxRequests = MAX_REQUESTS): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'load.js'), transport, target, encoding, String(seconds), String(maxRequests)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

/** bench/nullReceivers.ts in its own process: its HTTP URL and gRPC address. */
function nullReceivers(): Promise<{ httpUrl: string; grpcAddress: string; cpuSeconds(): number; stop(): void }> {
  const child = spawn(process.execPath, [join(__dirname, 'nullReceivers.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const http = /^http (\S+)$/m.exec(out);
      const grpc = /^grpc (\S+)$/m.exec(out);
      if (http && grpc) resolve({ httpUrl: http[1], grpcAddress: grpc[1], cpuSeconds: () => readCpuSeconds(child.pid!), stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`null receivers exited with ${code}`)));
  });
}

/** A load run with the receiver's CPU time per span (µs), read around it. */
async function measured(receiver: { cpuSeconds(): number }, go: () => Promise<LoadResult>): Promise<LoadResult & { cpuUsPerSpan: number }> {
  const before = receiver.cpuSeconds();
  const r = await go();
  return { ...r, cpuUsPerSpan: ((receiver.cpuSeconds() - before) * 1e6) / Math.max(1, r.spans) };
}

async function status(engine: EngineProcess): Promise<StatusResponse> {
  return (await (await fetch(`${engine.httpUrl}/api/status`)).json()) as StatusResponse;
}

function perSecond(r: LoadResult): number {
  return r.spans / r.seconds;
}

function wirePerSpan(r: LoadResult): string {
  return (r.wireBytes / (r.requests + r.failed) / SPANS_PER_BATCH).toFixed(0);
}

async function throughput(): Promise<string[]> {
  const nul = await nullReceivers();
  const httpBase = await measured(nul, () => load('http', `${nul.httpUrl}/v1/traces`, 'protobuf'));
  const grpcBase = await measured(nul, () => load('grpc', nul.grpcAddress, 'protobuf'));
  nul.stop();
  const engine = await startEngineProcess(['--memory-budget-mb', '256']);
  const runs: [string, () => Promise<LoadResult>, LoadResult & { cpuUsPerSpan: number }, number][] = [
    ['OTLP/HTTP protobuf', () => load('http', `${engine.httpUrl}/v1/traces`, 'protobuf'), httpBase, 250_000],
    ['OTLP/HTTP JSON', () => load('http', `${engine.httpUrl}/v1/traces`, 'json'), httpBase, 0],
    ['OTLP/gRPC', () => load('grpc', engine.grpcAddress, 'protobuf'), grpcBase, 150_000],
  ];
  // Receiver CPU per span is printed beside throughput: on a shared machine it moves far
  // less than spans/s, and (engine − null receiver) is what Loupe's own ingest costs.
  const rows = [
    '| ingest (engine: `npm start`, 256 MiB budget) | spans/s | vs its null receiver | target | receiver CPU µs/span | requests (failed) | wire bytes/span | peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    `| null receiver, HTTP (node:http, reads bodies only) | ${fmt(perSecond(httpBase))} | 1.00 | — | ${httpBase.cpuUsPerSpan.toFixed(2)} | ${httpBase.requests} (${httpBase.failed}) | ${wirePerSpan(httpBase)} | |`,
    `| null receiver, gRPC (grpc-js, Export answered undecoded) | ${fmt(perSecond(grpcBase))} | 1.00 | — | ${grpcBase.cpuUsPerSpan.toFixed(2)} | ${grpcBase.requests} (${grpcBase.failed}) | ${wirePerSpan(grpcBase)} | |`,
  ];
  try {
    for (const [name, go, base, target] of runs) {
      await fetch(`${engine.httpUrl}/api/data`, { method: 'DELETE' });
      engine.resetPeak();
      const r = await measured(engine, go);
      const ratio = perSecond(r) / perSecond(base);
      const ratioTarget = name === 'OTLP/gRPC' ? ' (≥ 0.5×)' : '';
      rows.push(`| ${name} | ${fmt(perSecond(r))} | ${ratio.toFixed(2)}${ratioTarget} | ${target ? '≥ ' + fmt(target) : '—'} | ${r.cpuUsPerSpan.toFixed(2)} | ${r.requests} (${r.failed}) | ${wirePerSpan(r)} | ${(engine.peakRss() / MIB).toFixed(0)} MiB |`);
      const s = await status(engine);
      console.error(`  ${name}: ${fmt(perSecond(r))} spans/s; the engine evicted ${fmt(s.dropped.spans)} spans to stay in 256 MiB; RSS ${(s.process.rssBytes / MIB).toFixed(0)} MiB`);
    }
  } finally {
    await engine.stop();
  }
  return rows;
}


async function memoryAndQueries(): Promise<string[]> {
  // A budget far above the fill, so nothing is evicted and every span counts.
  const engine = await startEngineProcess(['--memory-budget-mb', '8192']);
  try {
    const emptyRss = engine.rss();
    const filled = await load('http', `${engine.httpUrl}/v1/traces`, 'protobuf', 300, Math.ceil(STORE_SPANS / SPANS_PER_BATCH));
    // The text filters are built in idle time: give the engine a few quiet seconds.
    await new Promise((r) => setTimeout(r, 5000));
    const s = await status(engine);
    const spans = s.counts.spans;
    const rss = engine.rss();
    const wire = filled.wireBytes / spans;
    const row = (name: string, bytes: number, target = '') => `| ${name} | ${bytes.toFixed(0)} | ${(bytes / wire).toFixed(2)} | ${target} |`;
    const rows = [
      '', `| store of ${fmt(spans)} spans (engine process, RSS from /proc) | bytes/span | × wire | target |`, '|---|---:|---:|---:|',
      row('wire size (OTLP protobuf request)', wire),
      row('process RSS over the empty engine', (rss - emptyRss) / spans, '≤ 1.5×'),
      row(`process RSS, all of it (${(rss / MIB).toFixed(0)} MiB)`, rss / spans),
      row('V8 heap in use (/api/status)', s.process.heapUsedBytes / spans),
      row("engine's own accounting (/api/status memoryBytes)", s.memoryBytes / spans),
      '', `Peak RSS while filling: ${(engine.peakRss() / MIB).toFixed(0)} MiB; the empty engine: ${(emptyRss / MIB).toFixed(0)} MiB.`,
    ];
    const someTrace = ((await (await fetch(`${engine.httpUrl}/api/traces?limit=1000`)).json()) as { traces: { traceId: string }[] }).traces;
    rows.push('', `| query on ${fmt(spans)} spans | median ms | p95 ms | target |`, '|---|---:|---:|---:|');
    for (const [name, path, target] of QUERIES) {
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const url = engine.httpUrl + (path || `/api/traces/${someTrace[(i * 37) % someTrace.length].traceId}`);
        const t0 = performance.now();
        const res = await fetch(url);
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      }
      times.sort((a, b) => a - b);
      rows.push(`| ${name} | ${times[15].toFixed(1)} | ${times[28].toFixed(1)} | ≤ ${target} ms |`);
    }
    return rows;
  } finally {
    await engine.stop();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

interface Part {
  name: string;
  rows(): Promise<string[]>;
  /** Only with `--only`: too long for every run. */
  onlyWhenNamed?: boolean;
}

const PARTS: Part[] = [
  { name: 'ingest', rows: throughput },
  { name: 'store', rows: memoryAndQueries },
  { name: 'logs', rows: logsBench },
  { name: 'signals', rows: signalsBenchmark },
  { name: 'profiles', rows: profileDecodeRows },
  { name: 'profile-viewer', rows: () => profileViewerRows() },
  { name: 'large-profile', rows: () => profileViewerRows('largeProfile.ts'), onlyWhenNamed: true },
  { name: 'big-traces', rows: bigTraceRows },
  { name: 'forward', rows: () => forwardRows(load, nullReceivers) },
  { name: 'alerts', rows: alertsBenchmark },
  { name: 'disk', rows: diskRows },
];

/** `--only ingest,store` runs only the parts named; without it, every part but the long ones. */
function chosenParts(): Part[] {
  const at = process.argv.indexOf('--only');
  if (at < 0) return PARTS.filter((p) => !p.onlyWhenNamed);
  const names = (process.argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !PARTS.some((p) => p.name === n));
  if (!names.length || unknown.length) {
    const said = names.length ? `No bench part is named ${unknown.map((n) => `"${n}"`).join(', ')}` : '--only needs part names';
    console.error(`${said}. The parts: ${PARTS.map((p) => p.name).join(', ')} (e.g. --only ingest,store).`);
    process.exit(2);
  }
  return PARTS.filter((p) => names.includes(p.name));
}

void (async () => {
  if (process.argv.includes('--memory')) {
    const budgets = (process.env.SOAK_BUDGETS_MB ?? '256,1024').split(',').map(Number);
    console.error(`Loupe memory soak: budgets ${budgets.join(', ')} MiB, ${process.env.SOAK_SECONDS ?? 90} s each; the engine in its own process, load from three more.`);
    const out: string[] = [];
    for (const b of budgets) out.push(...(await soak(b)));
    console.log(out.join('\n'));
  } else {
    const parts = chosenParts();
    console.error(`Loupe benchmark: ${SECONDS} s per ingest run, load from a separate process over loopback, batches of ${SPANS_PER_BATCH} spans with 10 attributes.`);
    const out: string[] = [];
    for (const part of parts) out.push(...(await part.rows()));
    console.log(out.join('\n'));
  }
  process.exit(0);
})();
