// Golden signals from spans the real OpenTelemetry JS SDK sends: known durations and
// statuses go in, the exact counts and percentiles (within the sketch's 1 %) come out.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RunningEngine } from '../src/engine/server.ts';
import type { SignalRoute, SignalsResponse } from '../src/protocol/api.ts';
import type { OperationStats } from '../src/protocol/insights.ts';
import { getJson, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => { await running.close(); });

const MINUTE_MS = 60_000;
/** A whole minute ten minutes ago, so every span of the test falls in known buckets. */
const T0 = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 10 * MINUTE_MS;
const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

interface Sent { route: string; kind: SpanKind; atMs: number; durationMs: number; status?: SpanStatusCode; httpStatus?: number; name?: string }

async function send(exporter: SpanExporter, service: string, spans: Sent[]): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 512, maxQueueSize: 100_000 })],
  });
  const tracer = provider.getTracer('signals-test');
  for (const s of spans) {
    const attributes: Record<string, string | number> = {};
    if (s.kind === SpanKind.SERVER && s.route) attributes['http.route'] = s.route;
    if (s.httpStatus) attributes['http.response.status_code'] = s.httpStatus;
    const span = tracer.startSpan(s.name ?? `GET ${s.route}`, { kind: s.kind, startTime: T0 + s.atMs, attributes });
    if (s.status !== undefined) span.setStatus({ code: s.status });
    span.end(T0 + s.atMs + s.durationMs);
  }
  await provider.forceFlush();
  await provider.shutdown();
}

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))];
}

function near(got: number | null, want: number, what: string): void {
  assert.ok(got !== null && Math.abs(got - want) / want <= 0.01, `${what}: got ${got}, want ${want} within 1 %`);
}

describe('golden signals from spans sent by the OpenTelemetry JS SDK', () => {
  for (const [transport, make] of [['protobuf', (u: string) => new ProtoExporter({ url: `${u}/v1/traces` })], ['JSON', (u: string) => new JsonExporter({ url: `${u}/v1/traces` })]] as const) {
    it(`count requests and errors per route exactly and keep percentiles within 1 % (OTLP/HTTP ${transport})`, async () => {
      const service = `shop-${transport}`;
      const spans: Sent[] = [];
      const userDurations: number[] = [];
      // /users/:id: 200 requests over the first minute, 1–200 ms; every 20th fails by
      // status, every 25th answers 503, every 10th answers 404 (not an error).
      for (let i = 0; i < 200; i++) {
        const durationMs = 1 + i;
        userDurations.push(durationMs);
        spans.push({
          route: '/users/:id', kind: SpanKind.SERVER, atMs: i * 300, durationMs,
          status: i % 20 === 0 ? SpanStatusCode.ERROR : undefined,
          httpStatus: i % 25 === 0 ? 503 : i % 10 === 0 ? 404 : 200,
        });
      }
      // A consumer span's route is its name; internal and client spans are not traffic.
      for (let i = 0; i < 30; i++) spans.push({ route: '', name: 'orders process', kind: SpanKind.CONSUMER, atMs: 70_000 + i * 100, durationMs: 50 });
      for (let i = 0; i < 40; i++) spans.push({ route: '', name: 'SELECT users', kind: SpanKind.CLIENT, atMs: i * 100, durationMs: 5 });
      for (let i = 0; i < 40; i++) spans.push({ route: '', name: 'render', kind: SpanKind.INTERNAL, atMs: i * 100, durationMs: 5 });
      await send(make(running.httpUrl), service, spans);

      const window = `start=${ns(T0)}&end=${ns(T0 + 2 * MINUTE_MS)}`;
      const routes = await getJson<SignalRoute[]>(running.httpUrl, `/api/signals/routes?service=${service}&${window}`);
      assert.equal(routes.status, 200);
      assert.deepEqual(routes.body.map((r) => r.route), ['/users/:id', 'orders process']);
      const users = routes.body[0];
      const errorIndexes = [...Array(200).keys()].filter((i) => i % 20 === 0 || i % 25 === 0);
      assert.equal(users.requests, 200);
      assert.equal(users.errors, errorIndexes.length);
      assert.equal(users.errorRate, errorIndexes.length / 200);
      near(users.p50Ms, exactQuantile(userDurations, 0.5), 'p50');
      near(users.p95Ms, exactQuantile(userDurations, 0.95), 'p95');
      near(users.p99Ms, exactQuantile(userDurations, 0.99), 'p99');
      assert.equal(routes.body[1].requests, 30);
      assert.equal(routes.body[1].errors, 0);
      near(routes.body[1].p50Ms, 50, 'consumer p50');

      // Over time, at 30 s steps: the first minute's two halves, then the consumer spans.
      const series = await getJson<SignalsResponse>(running.httpUrl, `/api/signals?service=${service}&${window}&step=30`);
      assert.equal(series.status, 200);
      assert.equal(series.body.step, 30);
      const byRoute = new Map(series.body.series.map((s) => [s.route, s]));
      assert.deepEqual([...byRoute.keys()], ['/users/:id', 'orders process', null]);
      const userPoints = byRoute.get('/users/:id')!.points;
      assert.deepEqual(userPoints.map((p) => p.requests), [100, 100, 0, 0]);
      assert.deepEqual(userPoints.map((p) => p.time), [0, 30_000, 60_000, 90_000].map((d) => ns(T0 + d)));
      assert.equal(userPoints[0].errors, errorIndexes.filter((i) => i < 100).length);
      near(userPoints[1].p90Ms, exactQuantile(userDurations.slice(100), 0.9), 'second half p90');
      assert.equal(userPoints[2].p50Ms, null);
      assert.deepEqual(byRoute.get(null)!.points.map((p) => p.requests), [100, 100, 30, 0]);
      const whole = await getJson<SignalsResponse>(running.httpUrl, `/api/signals?service=${service}&${window}&step=30&only=service`);
      assert.deepEqual(whole.body.series.map((s) => [s.route, s.totals.requests]), [[null, 230]]);

      // The Services tree's operations: request spans from the same aggregates (errors
      // include the 503s), other spans from the stored spans.
      const ops = await getJson<OperationStats[]>(running.httpUrl, `/api/operations?service=${service}`);
      const op = (name: string) => ops.body.find((o) => o.name === name)!;
      assert.deepEqual([op('GET /users/:id').count, op('GET /users/:id').errorCount, op('GET /users/:id').source], [200, errorIndexes.length, 'signals']);
      assert.equal(op('GET /users/:id').p95Ms, users.p95Ms);
      assert.deepEqual([op('SELECT users').count, op('SELECT users').source], [40, 'spans']);
    });
  }

  it('add a baseline to rows and a shifted baseline series to each route', async () => {
    const service = 'compare-me';
    const spans: Sent[] = [];
    // Baseline minute: 60 requests of 10 ms, one error. Current minute: 60 of 30 ms, three errors.
    for (let i = 0; i < 60; i++) spans.push({ route: '/pay', kind: SpanKind.SERVER, atMs: i * 1000, durationMs: 10, status: i === 0 ? SpanStatusCode.ERROR : undefined });
    for (let i = 0; i < 60; i++) spans.push({ route: '/pay', kind: SpanKind.SERVER, atMs: MINUTE_MS + i * 1000, durationMs: 30, status: i < 3 ? SpanStatusCode.ERROR : undefined });
    await send(new ProtoExporter({ url: `${running.httpUrl}/v1/traces` }), service, spans);
    const q = `service=${service}&start=${ns(T0 + MINUTE_MS)}&end=${ns(T0 + 2 * MINUTE_MS)}&baselineStart=${ns(T0)}&baselineEnd=${ns(T0 + MINUTE_MS)}`;
    const rows = await getJson<SignalRoute[]>(running.httpUrl, `/api/signals/routes?${q}`);
    assert.equal(rows.body.length, 1);
    assert.equal(rows.body[0].errors, 3);
    assert.equal(rows.body[0].baseline!.errors, 1);
    assert.equal(rows.body[0].baseline!.requests, 60);
    near(rows.body[0].p99Ms, 30, 'p99');
    near(rows.body[0].baseline!.p99Ms, 10, 'baseline p99');
    const series = await getJson<SignalsResponse>(running.httpUrl, `/api/signals?${q}&step=60`);
    const pay = series.body.series.find((s) => s.route === '/pay')!;
    assert.equal(pay.baseline!.shiftNs, ns(MINUTE_MS));
    assert.deepEqual(pay.baseline!.points.map((p) => [p.time, p.requests, p.errors]), [[ns(T0 + MINUTE_MS), 60, 1]]);
    assert.deepEqual(pay.points.map((p) => [p.time, p.requests, p.errors]), [[ns(T0 + MINUTE_MS), 60, 3]]);
  });

  it('answer a bad parameter with 400 naming it', async () => {
    const cases: [string, string][] = [
      ['/api/signals?step=soon', 'step'],
      ['/api/signals?start=yesterday', 'start'],
      ['/api/signals?start=2000&end=1000', 'start'],
      ['/api/signals?route=/x', 'route'],
      ['/api/signals?baselineStart=1000', 'baselineEnd'],
      ['/api/signals/routes?baselineEnd=1000', 'baselineStart'],
      ['/api/signals?step=-5', 'step'],
      ['/api/signals?only=routes', 'only'],
      ['/api/signals?service=a&route=/b&only=service', 'only'],
    ];
    for (const [path, param] of cases) {
      const { status, body } = await getJson<{ error: string }>(running.httpUrl, path);
      assert.equal(status, 400, path);
      assert.match(body.error, new RegExp(`^${param}:`), `${path}: ${body.error}`);
    }
  });

  it('outlive the spans they came from', async () => {
    const small = await startTestEngine(1);
    try {
      const spans: Sent[] = [];
      for (let i = 0; i < 3000; i++) spans.push({ route: '/big', kind: SpanKind.SERVER, atMs: i * 10, durationMs: 5 });
      await send(new ProtoExporter({ url: `${small.httpUrl}/v1/traces` }), 'evicted', spans);
      assert.ok(small.engine.traces.evictedSpans > 0, 'the 1 MB budget evicted spans');
      const rows = await getJson<SignalRoute[]>(small.httpUrl, `/api/signals/routes?service=evicted&start=${ns(T0)}&end=${ns(T0 + MINUTE_MS)}`);
      assert.equal(rows.body[0].requests, 3000);
      const ops = await getJson<OperationStats[]>(small.httpUrl, '/api/operations?service=evicted');
      assert.deepEqual(ops.body.map((o) => [o.name, o.count, o.source]), [['GET /big', 3000, 'signals']]);
    } finally {
      await small.close();
    }
  });
});
