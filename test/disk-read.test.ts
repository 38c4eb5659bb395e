// Both tiers as one store for what reads more than the trace and log lists: the agent's
// tools (also right after memory evicted a trace, before the writer flushed it), trace
// compare, profiles (OTLP and imported) and metric charts, and the golden signals from
// request metrics after a restart. Each answers with a small memory budget and the disk
// tier as it did while memory held everything, and again after a restart.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { findAgentTool, runAgentTool } from '../src/engine/agent/agentTools.ts';
import { bloomMayHold, buildBloom } from '../src/engine/disk/segmentIndex.ts';
import { traceKeyHash } from '../src/engine/disk/ingestFacts.ts';
import { profilesRequestProtobuf, sampleProfilesRequest } from '../src/engine/otlp/testSupport/profilesRequest.ts';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import type { DiskStatus } from '../src/protocol/api.ts';
import type { ProfileSummary } from '../src/protocol/profile.ts';
import { sendCheckoutTraces } from './support/checkoutScenario.ts';
import { getJson } from './support/engine.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

const MiB = 1048576;
const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'loupe-disk-read-'));
  dirs.push(d);
  return join(d, 'data');
}

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

function inProcess(dataDir: string, memoryBudgetMb: number, diskBudgetMb = 1024): Promise<RunningEngine> {
  return startEngine({
    host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: memoryBudgetMb * MiB, maxBodyBytes: 20 * MiB,
    dataDir, diskBudgetBytes: diskBudgetMb * MiB, retentionHours: 72,
  });
}

/** Filler: `traces` traces of three padded spans, far in the past (outside every window the tests ask about). */
function filler(first: number, traces: number): Buffer {
  const spans = [];
  for (let t = first; t < first + traces; t++) {
    for (let s = 1; s <= 3; s++) {
      spans.push(validSpan({
        traceId: hex(0xf0000000 + t, 32), spanId: hex(t * 4 + s, 16), parentSpanId: s > 1 ? hex(t * 4 + 1, 16) : undefined, name: `filler ${s}`,
        startTimeUnixNano: String(1600000000000000000n + BigInt(t) * 1000000n), endTimeUnixNano: String(1600000000000000000n + BigInt(t) * 1000000n + 500000n),
        attributes: [{ key: 'pad', value: { stringValue: 'p'.repeat(400) } }],
      }));
    }
  }
  return tracesRequest(spans);
}

/** 400 gauge points (10 metrics × 40 routes) at round `r`, as OTLP/JSON. */
function gauges(r: number): Buffer {
  const dataPoints = Array.from({ length: 40 }, (_, i) => ({
    timeUnixNano: String(1_700_000_000_000_000_000n + BigInt(r) * 1_000_000_000n),
    asDouble: r + i,
    attributes: [{ key: 'route', value: { stringValue: `/orders/${i}` } }],
  }));
  const metrics = Array.from({ length: 10 }, (_, m) => ({ name: `orders.m${m}`, gauge: { dataPoints } }));
  return Buffer.from(JSON.stringify({ resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] }, scopeMetrics: [{ scope: { name: 'app' }, metrics }] }] }));
}

/** Sends filler in-process until `gone()` says memory evicted what the test looks at. */
function evictUntil(engine: RunningEngine, gone: () => boolean): void {
  for (let b = 0; !gone(); b++) {
    assert.ok(b < 2000, 'memory never evicted it');
    engine.engine.export('traces', filler(b * 50, 50), 'protobuf', 'http');
  }
}

async function tool(engine: RunningEngine, name: string, args: Record<string, unknown>): Promise<string> {
  const outcome = await runAgentTool(engine.engine, findAgentTool(name)!, args);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
  return outcome.text;
}

async function loaded(base: string): Promise<DiskStatus> {
  for (let i = 0; i < 400; i++) {
    const status = (await getJson(base, '/api/status')).body.disk as DiskStatus;
    const counting = status.reload?.aggregates?.state;
    if (status.reload?.state !== 'loading' && counting !== 'counting' && counting !== 'waiting') return status;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the reload did not finish');
}

/** An answer without what says where it was read (the tier marks, and disk read counts). */
function tierless(answer: unknown): unknown {
  return JSON.parse(JSON.stringify(answer, (k, v) => (k === 'fromDisk' || k === 'disk' || k === 'partlyFromDisk' ? undefined : v)));
}

describe('reading both tiers', () => {
  it('a sealed segment\'s Bloom filter holds every trace id put in it', () => {
    const hashes = Array.from({ length: 20_000 }, (_, i) => traceKeyHash(Buffer.from(hex(i * 7919 + 1, 32), 'hex').toString('latin1')));
    const bloom = buildBloom(hashes, hashes.length);
    assert.equal(hashes.filter((h) => !bloomMayHold(bloom, h)).length, 0);
  });

  it('an agent tool asked right after memory evicted a trace finds it (the writer had not flushed it yet)', async () => {
    const engine = await inProcess(tempDir(), 4);
    try {
      // Synchronously: the trace's record is still in the writer's buffer when memory lets it go.
      const sendAndEvict = (id: string) => {
        engine.engine.export('traces', tracesRequest([validSpan({ traceId: id, spanId: hex(0xc0, 16), name: 'GET /just-evicted' })]), 'protobuf', 'http');
        evictUntil(engine, () => engine.engine.traces.get(Buffer.from(id, 'hex').toString('latin1')) === undefined);
      };
      const first = 'c0ffee'.padEnd(32, '1');
      sendAndEvict(first);
      assert.match(await tool(engine, 'trace_summary', { traceId: first }), new RegExp(`Trace ${first}: "[^"]*": "GET /just-evicted", .*1 spans`));
      // The routes read through the same wait.
      const second = 'c0ffee'.padEnd(32, '2');
      sendAndEvict(second);
      const res = await fetch(`${engine.httpUrl}/api/traces/${second}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-loupe-tier'), 'disk');
    } finally {
      await engine.close();
    }
  });

  it('after a restart and a store full of metric points, counting the older segments keeps the store within its budget', async () => {
    const dataDir = tempDir();
    const first = await inProcess(dataDir, 8);
    for (let b = 0; b < 300; b++) first.engine.export('traces', filler(b * 50, 50), 'protobuf', 'http');
    await first.close();
    const engine = await inProcess(dataDir, 8);
    try {
      // Memory filled to its budget with metric points (evicted in small batches: little slack),
      // before the background load and count begin.
      for (let r = 0; engine.engine.metrics.evicted === 0; r++) {
        assert.ok(r < 1000, 'memory never filled');
        engine.engine.export('metrics', gauges(r), 'json', 'http');
      }
      const status = await loaded(engine.httpUrl);
      assert.ok(status.shares!.bytes > 0, 'the older segments were counted');
      assert.ok(engine.engine.memoryBytes <= 8 * MiB, `${engine.engine.memoryBytes} counted of an 8 MiB budget`);
    } finally {
      await engine.close();
    }
  });

  it('agent tools and trace compare answer the same from disk as from memory, and after a restart', async () => {
    const dataDir = tempDir();
    // 8 MiB: memory holds the 4 MiB span chunk being filled, so it answers first, alone.
    const engine = await inProcess(dataDir, 8);
    const ids = await sendCheckoutTraces(engine.httpUrl);
    const inMemory = (id: string) => engine.engine.traces.get(Buffer.from(id, 'hex').toString('latin1')) !== undefined;
    const at = new Date(ids.slowStartMs).toISOString();
    const atNs = String(BigInt(ids.slowStartMs) * 1000000n);
    const tools: [string, Record<string, unknown>][] = [
      ['trace_summary', { traceId: ids.slow }],
      ['compare_traces', { traceId: ids.slow, otherTraceId: ids.fast }],
      ['compare_traces', { traceId: ids.slow }],
      ['compare_traces', { traceId: ids.slow, against: 'median', n: 5 }],
      ['compare_before_after', { service: 'shop', operation: 'GET /checkout', at, n: 10 }],
      ['logs', { traceId: ids.slow }],
    ];
    const compares = [`/api/compare?a=${ids.slow}&b=${ids.fast}`, `/api/compare?a=${ids.slow}&against=previous`, `/api/compare?service=shop&operation=GET%20%2Fcheckout&at=${atNs}&n=10`];
    const answers = async (e: RunningEngine) => ({
      tools: await Promise.all(tools.map(([name, args]) => tool(e, name, args))),
      compares: await Promise.all(compares.map(async (q) => (await getJson(e.httpUrl, q)).body)),
      errors: await tool(e, 'recent_errors', {}),
    });
    let before: Awaited<ReturnType<typeof answers>>;
    try {
      assert.ok(inMemory(ids.slow) && inMemory(ids.fast) && engine.engine.logs.count > 0, 'memory holds the checkout runs and their logs');
      before = await answers(engine);
      assert.ok(!before.tools.some((t) => t.includes('from disk')), 'memory answered');
      assert.match(before.tools[0], /"payments": "charge card"/);
      assert.equal(before.compares[0].kind, 'traces');
      evictUntil(engine, () => !inMemory(ids.slow) && engine.engine.logs.count === 0);
      assert.ok(!inMemory(ids.fast), 'every checkout trace left memory');
      const fromDisk = await answers(engine);
      assert.deepEqual(fromDisk.tools, before.tools);
      assert.deepEqual(fromDisk.compares, before.compares);
      // The failing trace is listed from disk; the exception groups (memory's aggregates) are another engineer's part.
      assert.match(fromDisk.errors, new RegExp(`- ${ids.failing} \\| "shop": "GET /checkout"`));
    } finally {
      await engine.close();
    }
    const again = await inProcess(dataDir, 8);
    try {
      await loaded(again.httpUrl);
      const afterRestart = await answers(again);
      assert.deepEqual(afterRestart.tools, before.tools);
      assert.deepEqual(afterRestart.compares, before.compares);
    } finally {
      await again.close();
    }
  });

  it('lists and opens profiles memory evicted (OTLP and imported), marked as from disk, and keeps imported ones over a restart', async () => {
    const dataDir = tempDir();
    const engine = await inProcess(dataDir, 8);
    const pprof = readFileSync(join(__dirname, '../src/engine/profiles/fixtures/go-cpu.pb.gz'));
    const open = async (e: RunningEngine, id: string) => {
      const res = await fetch(`${e.httpUrl}/api/profiles/${id}?format=json`);
      assert.equal(res.status, 200, `profile ${id}: ${res.status}`);
      return (await res.json()) as { summary: ProfileSummary } & Record<string, unknown>;
    };
    const content = (p: { summary: ProfileSummary } & Record<string, unknown>) => ({ ...p, summary: { ...p.summary, id: undefined, fromDisk: undefined } });
    let before: ReturnType<typeof content>[];
    let oldIds: string[];
    try {
      assert.equal((await fetch(`${engine.httpUrl}/v1development/profiles`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: profilesRequestProtobuf(sampleProfilesRequest()) })).status, 200);
      const imported = await fetch(`${engine.httpUrl}/api/profiles?name=go-cpu.pb.gz`, { method: 'POST', body: pprof });
      assert.equal(imported.status, 201);
      const listed = (await getJson<ProfileSummary[]>(engine.httpUrl, '/api/profiles')).body;
      assert.equal(listed.length, 2, 'one OTLP profile (the other is rejected) and the import');
      oldIds = listed.map((p) => p.id);
      assert.equal(engine.engine.profiles.count, 2, 'memory holds both');
      before = await Promise.all(oldIds.map(async (id) => content(await open(engine, id))));
      const top = await getJson(engine.httpUrl, `/api/profiles/${oldIds[1]}/top?limit=5`);

      evictUntil(engine, () => engine.engine.profiles.count === 0);
      const fromDisk = (await getJson<ProfileSummary[]>(engine.httpUrl, '/api/profiles')).body;
      assert.deepEqual(fromDisk.map((p) => [p.name, p.source, p.fromDisk]), listed.map((p) => [p.name, p.source, true]));
      assert.ok(fromDisk.every((p) => p.id.startsWith('disk-')));
      assert.deepEqual(await Promise.all(fromDisk.map(async (p) => content(await open(engine, p.id)))), before);
      // The ids memory gave them still open them, and the top table reads the same.
      assert.deepEqual(await Promise.all(oldIds.map(async (id) => content(await open(engine, id)))), before);
      assert.deepEqual((await getJson(engine.httpUrl, `/api/profiles/${fromDisk[1].id}/top?limit=5`)).body, top.body);
      assert.match(await tool(engine, 'profile_top_functions', { profileId: fromDisk[1].id, limit: 3 }), /"go-cpu\.pb\.gz" \(pprof, import, 44 samples, .*read from disk\)/);
      const tied = (await getJson<ProfileSummary[]>(engine.httpUrl, `/api/profiles?traceId=${listed[0].traceIds[0] ?? 'none'}`)).body;
      assert.equal(tied.length, listed[0].traceIds.length ? 1 : 0);
    } finally {
      await engine.close();
    }
    // A big budget loads both back into memory; a small one leaves them on disk: listed and opened the same either way.
    for (const budget of [64, 2]) {
      const again = await inProcess(dataDir, budget);
      try {
        await loaded(again.httpUrl);
        const list = (await getJson<ProfileSummary[]>(again.httpUrl, '/api/profiles')).body;
        assert.deepEqual(list.map((p) => [p.name, p.source]), before.map((p) => [p.summary.name, p.summary.source]), `budget ${budget} MiB`);
        assert.deepEqual(await Promise.all(list.map(async (p) => content(await open(again, p.id)))), before, `budget ${budget} MiB`);
      } finally {
        await again.close();
      }
    }
  });

  it('charts metric points memory evicted from disk, and counts request metrics of older segments into the golden signals after a restart', async () => {
    const dataDir = tempDir();
    // Small segments, so the restart below loads only the newest back and counts the older ones.
    const engine = await inProcess(dataDir, 4, 16);
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${engine.httpUrl}/v1/metrics`, temporalityPreference: AggregationTemporality.CUMULATIVE }),
      exportIntervalMillis: 3_600_000,
    });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'meter-shop' }), readers: [reader] });
    const meter = provider.getMeter('disk-read-test');
    const duration = meter.createHistogram('http.server.request.duration', { unit: 's' });
    const depth = meter.createGauge('queue.depth');
    const startNs = String(BigInt(Date.now() - 1000) * 1000000n);
    for (let flush = 0; flush < 6; flush++) {
      for (let i = 0; i < 20; i++) duration.record(0.01 + i / 1000, { 'http.request.method': 'GET', 'http.route': '/pay', 'http.response.status_code': i % 10 === 0 ? 500 : 200 });
      depth.record(flush * 3, { queue: 'orders' });
      await reader.forceFlush();
    }
    await provider.shutdown();
    const queries = ['/api/metrics/series?name=queue.depth', `/api/metrics/series?name=http.server.request.duration&start=${startNs}`, '/api/metrics/series?name=queue.depth&service=meter-shop&queue=orders'];
    const signals = '/api/signals/routes?service=meter-shop';
    let before: unknown[];
    let beforeSignals: unknown;
    try {
      assert.equal(engine.engine.metrics.pointCount, 3 * 7, 'memory holds every point (two duration series, by status, and the gauge; 7 exports)');
      before = await Promise.all(queries.map(async (q) => (await getJson(engine.httpUrl, q)).body));
      assert.ok(before.every((b) => !(b as { disk?: unknown }).disk), 'memory answered');
      // Six flushes, and the provider's shutdown exports once more.
      assert.equal((before[0] as { series: { points: unknown[] }[] }).series[0].points.length, 7);
      beforeSignals = (await getJson(engine.httpUrl, signals)).body;
      assert.equal((beforeSignals as { requests: number }[])[0].requests, 120);
      evictUntil(engine, () => engine.engine.metrics.pointCount === 0);
      // More than the restart loads back (a quarter of the budget) after the metrics' segment.
      for (let b = 0; b < 80; b++) engine.engine.export('traces', filler(10_000 + b * 50, 50), 'protobuf', 'http');
      const fromDisk = await Promise.all(queries.map(async (q) => (await getJson(engine.httpUrl, q)).body));
      assert.deepEqual(tierless(fromDisk), before);
      assert.equal((fromDisk[0] as { disk?: { items: number } }).disk?.items, 7, 'the points came from disk');
      // A window before any point reads no segment (the index's time range skips them).
      const none = (await getJson(engine.httpUrl, '/api/metrics/series?name=queue.depth&end=1000')).body;
      assert.deepEqual(none.disk, undefined);
      assert.deepEqual(none.series.map((s: { points: unknown[] }) => s.points.length), [0]);
    } finally {
      await engine.close();
    }
    const again = await inProcess(dataDir, 4, 16);
    try {
      const status = await loaded(again.httpUrl);
      assert.ok((status.reload?.aggregates?.records ?? 0) > 0, 'older segments were counted, not loaded');
      assert.deepEqual((await getJson(again.httpUrl, signals)).body, beforeSignals);
      const afterRestart = await Promise.all(queries.map(async (q) => (await getJson(again.httpUrl, q)).body));
      assert.deepEqual((tierless(afterRestart) as unknown[]).map(withoutIds), before.map(withoutIds));
    } finally {
      await again.close();
    }
  });
});

/** Series ids are per engine: one only the disk holds after a restart has one of its own. */
function withoutIds(answer: unknown): unknown {
  return JSON.parse(JSON.stringify(answer, (k, v) => (k === 'id' ? undefined : v)));
}
