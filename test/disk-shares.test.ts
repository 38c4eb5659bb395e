// With the disk tier on, the aggregates memory keeps at ingest (operations of every span
// kind, exceptions, functions, services, log patterns and pattern= log queries) cover
// what the disk holds too (log patterns also filtered by severity and time): an engine with a small memory budget answers as one whose
// memory holds everything, before and after a restart, and a segment the disk drops takes
// exactly its share off. Telemetry is sent with the real OpenTelemetry SDK.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import type { LogEntry, LogPatternSummary, ServiceSummary } from '../src/protocol/api.ts';
import type { ExceptionGroup, FunctionStats, OperationStats } from '../src/protocol/insights.ts';
import { listServices } from '../src/engine/query/serviceList.ts';
import { getJson } from './support/engine.ts';
import { sendLogs, span, type LogLine } from './ui/support/sdkTraces.ts';

const MiB = 1048576;
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** Records spans with the SDK in memory, then exports the same spans to every engine. */
class Recorder {
  private readonly memory = new InMemorySpanExporter();
  private readonly providers = new Map<string, BasicTracerProvider>();

  tracer(service: string) {
    let provider = this.providers.get(service);
    if (!provider) {
      provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(this.memory)] });
      this.providers.set(service, provider);
    }
    return provider.getTracer('loupe-disk-shares-test');
  }

  async send(urls: string[]): Promise<void> {
    const spans = this.memory.getFinishedSpans();
    for (const url of urls) await exportSpans(url, spans);
    this.memory.reset();
  }
}

async function exportSpans(url: string, spans: ReadableSpan[]): Promise<void> {
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, timeoutMillis: 60_000 });
  await new Promise<void>((resolve, reject) => exporter.export(spans, (r) => (r.code === 0 ? resolve() : reject(r.error ?? new Error('export failed')))));
  await exporter.shutdown();
}

const ERRORS = ['card declined', 'insufficient funds', 'gateway timeout'];
const PAD = 'x'.repeat(1000);
const T0 = Date.now() - 10 * 60_000;

/** Request `n`: a server span, an internal span, a client span naming its function; every 9th records an exception. */
function request(rec: Recorder, n: number): void {
  const shop = rec.tracer('shop');
  const payments = rec.tracer('payments');
  const start = T0 + n * 20;
  span(shop, 'GET /checkout', undefined, start, start + 10 + (n % 13), { kind: SpanKind.SERVER, attributes: { 'http.route': '/checkout', pad: PAD } }, (root) => {
    span(shop, 'render receipt', root, start + 1, start + 2 + (n % 5), { kind: SpanKind.INTERNAL });
    span(payments, 'charge card', root, start + 2, start + 4 + (n % 7), {
      kind: SpanKind.CLIENT, attributes: { 'code.function.name': 'chargeCard', 'code.file.path': '/app/src/payment.js', 'code.line.number': 17 },
    }, (charge) => {
      if (n % 9) return;
      const err = new Error(ERRORS[(n / 9) % ERRORS.length]);
      err.stack = `Error: ${err.message}\n    at chargeCard (/app/src/payment.js:23:11)`;
      charge.recordException(err);
      charge.setStatus({ code: SpanStatusCode.ERROR });
    });
  });
}

function logLines(n: number, count: number): LogLine[] {
  return Array.from({ length: count }, (_, k) => {
    const i = n + k;
    const kind = i % 4;
    const body = kind === 0 ? `order ${i} paid in ${i % 50} ms` : kind === 1 ? `cart ${i * 7} has ${i % 9} items` : kind === 2 ? `payment for order ${i} failed: card declined` : `cache miss for key user-${i}`;
    return { body, severityNumber: kind === 2 ? 17 : 9, severityText: kind === 2 ? 'ERROR' : 'INFO', timeMs: T0 + i * 5 };
  });
}

/** Sends `rounds` rounds of 100 requests and 150 log lines to each engine, the same to each. */
async function sendWorkload(urls: string[], from: number, rounds: number): Promise<void> {
  const rec = new Recorder();
  for (let r = from; r < from + rounds; r++) {
    for (let k = 0; k < 100; k++) request(rec, r * 100 + k);
    await rec.send(urls);
    const lines = logLines(r * 150, 150);
    for (const url of urls) await sendLogs(url, 'shop', lines);
  }
}

function start(dataDir: string | undefined, memoryBudgetBytes: number, diskBudgetBytes = 24 * MiB): Promise<RunningEngine> {
  return startEngine({
    host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes, maxBodyBytes: 20 * MiB,
    ...(dataDir && { dataDir, diskBudgetBytes, retentionHours: 72 }),
  });
}

interface Answers {
  operations: OperationStats[];
  exceptions: ExceptionGroup[];
  functions: FunctionStats[];
  services: ServiceSummary[];
  patterns: Omit<LogPatternSummary, 'id' | 'points'>[];
  /** Patterns filtered by severity level, a time window, both, and a pattern id; the window's sparklines as they are. */
  filtered: Record<string, unknown[]>;
  /** Per pattern (by service and template): the records `pattern=` finds, and their count. */
  byPattern: Record<string, { total: number; bodies: string[] }>;
}

// Ids are the engine's own, and the sparkline's grid depends on where the records are held: the points' total is compared.
const comparable = (patterns: LogPatternSummary[]) => patterns.map(({ id: _id, points, ...p }) => ({ ...p, pointsTotal: points.reduce((n, pt) => n + pt.count, 0) }))
  .sort((a, b) => a.pattern.localeCompare(b.pattern));

/** A window of 600 s from a 10-second boundary after the first records: points of 10 s, as the disk's buckets. */
const WINDOW_START = (Math.ceil(T0 / 10_000) + 1) * 10_000 * 1e6;
const WINDOW = `start=${WINDOW_START}&end=${WINDOW_START + 600e9 - 1000}`;

async function answers(base: string): Promise<Answers> {
  const get = async <T>(path: string) => (await getJson<T>(base, path)).body;
  const patterns = await get<LogPatternSummary[]>('/api/logs/patterns?limit=100');
  const filtered: Answers['filtered'] = {};
  for (const q of ['minSeverity=error', 'minSeverity=info&service=shop', WINDOW, `minSeverity=warn&${WINDOW}`]) {
    filtered[q] = comparable(await get<LogPatternSummary[]>(`/api/logs/patterns?limit=100&${q}`));
  }
  const inWindow = await get<LogPatternSummary[]>(`/api/logs/patterns?limit=100&${WINDOW}`);
  filtered.windowPoints = inWindow.map((p) => [p.pattern, p.points]).sort();
  const cart = patterns.find((p) => p.pattern.startsWith('cart'));
  filtered.onePattern = comparable(await get<LogPatternSummary[]>(`/api/logs/patterns?pattern=${cart?.id}&minSeverity=info`));
  const byPattern: Answers['byPattern'] = {};
  for (const p of patterns) {
    const found = await get<{ logs: LogEntry[] }>(`/api/logs?pattern=${p.id}&limit=5000`);
    byPattern[`${p.service}\u0000${p.pattern}`] = { total: found.logs.length, bodies: found.logs.map((l) => String(l.body)).sort() };
  }
  return {
    operations: await get('/api/operations'),
    exceptions: await get('/api/exceptions'),
    functions: (await get<FunctionStats[]>('/api/functions')).sort((a, b) => `${a.service}${a.function}`.localeCompare(`${b.service}${b.function}`)),
    services: await get('/api/services'),
    patterns: comparable(patterns),
    filtered,
    byPattern,
  };
}

/** Waits until the reload and the counting of the older segments are both over. */
async function counted(base: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const a = (await getJson(base, '/api/status')).body.disk?.reload?.aggregates;
    if (a && a.state !== 'waiting' && a.state !== 'counting') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the older segments were not counted');
}

const ROUNDS = 100;

describe('the span and log aggregates with the disk tier on', () => {
  it('answer over memory and disk as a memory holding everything would, before and after a restart', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'loupe-disk-shares-')), 'data');
    dirs.push(dataDir);
    const whole = await start(undefined, 512 * MiB);
    let small = await start(dataDir, 8 * MiB);
    try {
      await sendWorkload([whole.httpUrl, small.httpUrl], 0, ROUNDS);
      await small.engine.disk!.written();
      assert.equal(whole.engine.traces.evictedSpans + whole.engine.logs.evicted, 0, 'the reference engine holds everything');
      assert.ok(small.engine.traces.evictedSpans > small.engine.traces.spanCount, `most spans left memory: ${small.engine.traces.evictedSpans} evicted`);
      assert.ok(small.engine.logs.evicted > 0, 'log records left memory');
      assert.equal(small.engine.disk!.dropped.segments, 0, 'the disk holds everything');
      const expected = await answers(whole.httpUrl);
      assert.ok(expected.operations.some((op) => op.name === 'render receipt' && op.source === 'spans' && op.count === ROUNDS * 100));
      assert.deepEqual(expected.exceptions.map((e) => [e.message, e.traceCount]).sort(), ERRORS.map((m, k) => [m, Math.ceil((ROUNDS * 100 / 9 - k) / ERRORS.length)]).sort());
      assert.deepEqual(expected.functions.map((f) => [f.function, f.count, f.source]), [['chargeCard', ROUNDS * 100, 'spans']]);
      assert.deepEqual(expected.patterns.map((p) => p.count), Array(4).fill(ROUNDS * 150 / 4));
      assert.deepEqual(expected.filtered['minSeverity=error'].map((p) => (p as { count: number }).count), [ROUNDS * 150 / 4], 'one pattern is logged at ERROR');
      const windowTotal = (expected.filtered[WINDOW] as { count: number }[]).reduce((n, p) => n + p.count, 0);
      assert.ok(windowTotal > 0 && windowTotal < ROUNDS * 150, `the window holds part of the records: ${windowTotal}`);
      assert.equal((expected.filtered.onePattern as { count: number }[])[0]?.count, ROUNDS * 150 / 4);
      assert.deepEqual(await answers(small.httpUrl), expected, 'before a restart');

      await small.close();
      small = await start(dataDir, 8 * MiB);
      await counted(small.httpUrl);
      assert.ok(small.engine.traces.spanCount < ROUNDS * 300 / 2, 'only the newest part is back in memory');
      assert.deepEqual(await answers(small.httpUrl), expected, 'after a restart');
    } finally {
      await small.close();
      await whole.close();
    }
  });

  it('take a dropped segment\'s share off exactly, down to memory\'s own figures', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'loupe-disk-shares-')), 'data');
    dirs.push(dataDir);
    // 2 MiB segments: the open one is always within what memory holds.
    const engine = await start(dataDir, 8 * MiB, 16 * MiB);
    try {
      await sendWorkload([engine.httpUrl], 0, ROUNDS);
      const disk = engine.engine.disk!;
      await disk.written();
      const before = await answers(engine.httpUrl);
      // What the oldest segment holds, read from its file: all of it left memory long ago.
      const oldest = disk.segments[0];
      const view = disk.view(oldest, 'traces');
      const logView = disk.view(oldest, 'logs');
      let receipts = 0;
      for (const chunk of view.traces.chunks) for (let i = 0; i < chunk.count; i++) if (view.traces.names.values[chunk.nameId[i]] === 'render receipt') receipts++;
      assert.ok(receipts > 0 || logView.logs.count > 0, 'the oldest segment holds data');

      const droppedBefore = disk.dropped.segments;
      disk.options.budgetBytes = disk.status().bytes - oldest.bytes;
      disk.enforceLimits();
      assert.equal(disk.dropped.segments, droppedBefore + 1);
      assert.ok(engine.engine.traces.evictedSpans > receipts * 3, 'the segment dropped had left memory');
      const afterDrop = await answers(engine.httpUrl);
      const count = (a: Answers, name: string) => a.operations.find((op) => op.name === name)?.count ?? 0;
      assert.equal(count(afterDrop, 'render receipt'), count(before, 'render receipt') - receipts);
      const logTotal = (a: Answers) => a.patterns.reduce((n, p) => n + p.count, 0);
      assert.equal(logTotal(afterDrop), logTotal(before) - logView.logs.count);
      for (const [key, p] of Object.entries(afterDrop.byPattern)) {
        assert.equal(p.total, afterDrop.patterns.find((q) => `${q.service}\u0000${q.pattern}` === key)!.count, `pattern= finds every record counted: ${key}`);
      }

      // Every segment dropped (the open one sealed first): what is left is memory's own figures.
      (disk as unknown as { roll(): void }).roll();
      disk.options.budgetBytes = 1;
      disk.enforceLimits();
      assert.equal(disk.segments.length, 1, 'only the new, empty segment is left');
      const e = engine.engine;
      const api = await answers(engine.httpUrl);
      assert.ok(count(api, 'render receipt') < count(afterDrop, 'render receipt'));
      const pick = (ops: OperationStats[]) => ops.filter((op) => op.name === 'render receipt' || op.name === 'charge card').map(({ source: _s, ...op }) => op);
      assert.deepEqual(pick(api.operations), pick(e.aggregates.operations.query(undefined)));
      assert.deepEqual(api.exceptions, e.aggregates.exceptions.query(undefined, 100));
      assert.deepEqual(api.functions.map(({ source: _s, ...fn }) => fn), e.aggregates.functions.query());
      assert.deepEqual(api.services, listServices(e.traces, e.logs, e.metrics));
      assert.equal(e.logs.patterns.held, 0);
      assert.equal(logTotal(api), e.logs.count);

      // A clear takes every share with it, and what arrives next is counted from nothing.
      await sendWorkload([engine.httpUrl], ROUNDS, 20);
      assert.ok(disk.status().shares!.segments > 0);
      assert.equal((await fetch(`${engine.httpUrl}/api/data`, { method: 'DELETE' })).status, 200);
      assert.deepEqual(disk.status().shares, { segments: 0, bytes: 0, full: false });
      await sendWorkload([engine.httpUrl], ROUNDS + 20, 1);
      const fresh = await answers(engine.httpUrl);
      assert.equal(count(fresh, 'render receipt'), 100);
      assert.equal(logTotal(fresh), 150);
    } finally {
      await engine.close();
    }
  });

  it('stop keeping shares past their memory cap, and stay exact', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'loupe-disk-shares-')), 'data');
    dirs.push(dataDir);
    const engine = await start(dataDir, 8 * MiB, 16 * MiB);
    try {
      const disk = engine.engine.disk!;
      // Room for the first shares only: what memory evicts after that goes, as without the disk.
      disk.shares.capBytes = 16 * 1024;
      await sendWorkload([engine.httpUrl], 0, 60);
      const status = disk.status().shares!;
      assert.equal(status.full, true);
      const receipts = (ops: OperationStats[]) => ops.find((op) => op.name === 'render receipt')?.count ?? 0;
      const kept = receipts((await answers(engine.httpUrl)).operations);
      const memoryOnly = receipts(engine.engine.aggregates.operations.query(undefined));
      assert.ok(kept > memoryOnly && kept < 6000, `some evicted spans were kept, not all: ${memoryOnly} < ${kept} < 6000`);
      (disk as unknown as { roll(): void }).roll();
      disk.options.budgetBytes = 1;
      disk.enforceLimits();
      assert.equal(receipts((await answers(engine.httpUrl)).operations), receipts(engine.engine.aggregates.operations.query(undefined)));
      assert.equal(engine.engine.logs.patterns.held, 0);
      assert.equal(disk.status().shares!.full, false);
    } finally {
      await engine.close();
    }
  });
});
