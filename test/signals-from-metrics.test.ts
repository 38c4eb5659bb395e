// Golden signals for apps that only export request metrics: the real OpenTelemetry JS
// metrics SDK (explicit and exponential histograms, cumulative and delta) and a prom-client
// registry scraped over HTTP, as a "golden signals" collector exposes it. Known values go
// in; requests and errors come out exact, percentiles within the bucket they fall in, and
// a restarted app never gives a negative rate.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Counter, Histogram, Registry, Summary } from 'prom-client';
import type { RunningEngine } from '../src/engine/server.ts';
import type { LatencyResolution, SignalFigures, SignalRoute, SignalsResponse } from '../src/protocol/api.ts';
import { getJson, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => {
  running.engine.scraper.stop();
  await running.close();
});

/** The nearest-rank percentile, the value a bucket count of q·n lands on. */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** The percentile's bucket holds the exact value, and the estimate lies in that bucket. */
function withinBucket(row: SignalFigures & { resolution?: LatencyResolution }, key: 'p50Ms' | 'p90Ms' | 'p99Ms', exactMs: number): void {
  const bucket = row.resolution?.[key];
  assert.ok(bucket, `${key} states the bucket it fell in`);
  const [lower, upper] = bucket;
  const eps = 1e-6;
  assert.ok(exactMs >= lower - eps && (upper === null || exactMs <= upper + eps), `${key}: exact ${exactMs} ms lies in the bucket ${lower}–${upper} ms`);
  const got = row[key]!;
  assert.ok(got >= lower - eps && (upper === null || got <= upper + eps), `${key}: estimate ${got} ms lies in its bucket ${lower}–${upper} ms`);
}

async function routes(service: string, extra = ''): Promise<SignalRoute[]> {
  return (await getJson<SignalRoute[]>(running.httpUrl, `/api/signals/routes?service=${service}${extra}`)).body;
}

function meterProvider(service: string, temporality: AggregationTemporality, exponential = false) {
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${running.httpUrl}/v1/metrics`, temporalityPreference: temporality }),
    exportIntervalMillis: 3_600_000,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    readers: [reader],
    views: exponential ? [{ instrumentName: '*duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }] : [],
  });
  return { provider, reader, meter: provider.getMeter('golden-test') };
}

const SEMCONV_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** 180 requests to one route: 160 between 12 and 92 ms, 20 failures (HTTP 500) between 300 and 680 ms. */
function knownRequests(): { ms: number; status: number }[] {
  const out: { ms: number; status: number }[] = [];
  for (let i = 0; i < 160; i++) out.push({ ms: 12 + i * 0.5, status: 200 });
  for (let i = 0; i < 20; i++) out.push({ ms: 300 + i * 20, status: 500 });
  return out;
}

describe('golden signals from OTLP http.server.request.duration (the real metrics SDK)', () => {
  for (const temporality of [AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA]) {
    const name = temporality === AggregationTemporality.CUMULATIVE ? 'cumulative' : 'delta';
    it(`derives requests, errors and percentiles per route from ${name} explicit buckets`, async () => {
      const service = `orders-${name}`;
      const { provider, reader, meter } = meterProvider(service, temporality);
      const duration = meter.createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: SEMCONV_BOUNDS } });
      const sent = knownRequests();
      // Two exports: the second carries only what came after the first (cumulative ones are diffed).
      for (const [i, r] of sent.entries()) {
        duration.record(r.ms / 1000, { 'http.request.method': 'GET', 'http.route': '/orders/:id', 'http.response.status_code': r.status });
        if (i === 99) await reader.forceFlush();
      }
      for (let i = 0; i < 30; i++) duration.record(0.004, { 'http.request.method': 'POST', 'http.route': '/orders', 'http.response.status_code': 201 });
      await reader.forceFlush();
      await provider.shutdown();

      const rows = await routes(service);
      const byRoute = new Map(rows.map((r) => [r.route, r]));
      const orders = byRoute.get('/orders/:id')!;
      assert.equal(orders.source, 'otlp-metrics');
      assert.equal(orders.requests, 180);
      assert.equal(orders.errors, 20);
      assert.equal(orders.resolution?.buckets, 'explicit');
      const ms = sent.map((r) => r.ms);
      withinBucket(orders, 'p50Ms', exact(ms, 0.5));
      withinBucket(orders, 'p90Ms', exact(ms, 0.9));
      withinBucket(orders, 'p99Ms', exact(ms, 0.99));
      assert.deepEqual([byRoute.get('/orders')!.requests, byRoute.get('/orders')!.errors], [30, 0]);
      assert.ok(byRoute.get('/orders')!.p99Ms! <= 5, 'all under the first bound');

      const signals = (await getJson<SignalsResponse>(running.httpUrl, `/api/signals?service=${service}`)).body;
      const whole = signals.series.find((s) => s.route === null)!;
      assert.equal(whole.source, 'otlp-metrics');
      assert.equal(whole.totals.requests, 210);
      assert.ok(whole.points.every((p) => p.requests >= 0));
      assert.equal(whole.points.reduce((n, p) => n + p.requests, 0), 210);
    });
  }

  it('reads exponential histograms of rpc.server.duration, per rpc.service/rpc.method, gRPC failures as errors', async () => {
    const service = 'grpc-users';
    const { provider, reader, meter } = meterProvider(service, AggregationTemporality.DELTA, true);
    const duration = meter.createHistogram('rpc.server.duration', { unit: 'ms' });
    const values: number[] = [];
    for (let i = 0; i < 400; i++) {
      const v = 2 + (i % 100) * 1.7 + (i >= 396 ? 900 : 0);
      values.push(v);
      // Code 13 (INTERNAL) is a server error; 5 (NOT_FOUND) is the caller's.
      duration.record(v, { 'rpc.system': 'grpc', 'rpc.service': 'users.Users', 'rpc.method': 'Get', 'rpc.grpc.status_code': i % 40 === 0 ? 13 : i % 40 === 1 ? 5 : 0 });
      if (i === 199) await reader.forceFlush();
    }
    await reader.forceFlush();
    await provider.shutdown();
    const [row] = await routes(service);
    assert.equal(row.route, 'users.Users/Get');
    assert.equal(row.requests, 400);
    assert.equal(row.errors, 10);
    assert.equal(row.resolution?.buckets, 'exponential');
    assert.ok(row.resolution!.relative! > 0 && row.resolution!.relative! < 0.2, `relative resolution ${row.resolution!.relative}`);
    withinBucket(row, 'p50Ms', exact(values, 0.5));
    withinBucket(row, 'p90Ms', exact(values, 0.9));
    withinBucket(row, 'p99Ms', exact(values, 0.99));
  });

  it('counts a restarted app from zero: no negative requests, nothing lost', async () => {
    const service = 'restarts';
    const first = meterProvider(service, AggregationTemporality.CUMULATIVE);
    const h1 = first.meter.createHistogram('http.server.request.duration', { unit: 's' });
    for (let i = 0; i < 100; i++) h1.record(0.02, { 'http.route': '/r', 'http.response.status_code': 200 });
    await first.reader.forceFlush();
    for (let i = 0; i < 20; i++) h1.record(0.02, { 'http.route': '/r', 'http.response.status_code': 200 });
    await first.reader.forceFlush();
    await first.provider.shutdown();
    // The app restarts: a new SDK, a new start time, its cumulative counts from zero again.
    await new Promise((r) => setTimeout(r, 20));
    const second = meterProvider(service, AggregationTemporality.CUMULATIVE);
    const h2 = second.meter.createHistogram('http.server.request.duration', { unit: 's' });
    for (let i = 0; i < 5; i++) h2.record(0.02, { 'http.route': '/r', 'http.response.status_code': 200 });
    for (let i = 0; i < 3; i++) h2.record(0.02, { 'http.route': '/r', 'http.response.status_code': 503 });
    await second.reader.forceFlush();
    await second.provider.shutdown();
    const [row] = await routes(service);
    assert.deepEqual([row.requests, row.errors], [128, 3]);
    const signals = (await getJson<SignalsResponse>(running.httpUrl, `/api/signals?service=${service}&step=10`)).body;
    for (const s of signals.series) for (const p of s.points) assert.ok(p.requests >= 0 && p.errors >= 0, `no negative counts: ${JSON.stringify(p)}`);
  });
});

describe('golden signals from a scraped prom-client registry (a golden-signals collector)', () => {
  let app: Server;
  let appUrl: string;
  const full = new Registry();
  const duration = new Histogram({ name: 'http_request_duration_seconds', help: 'Latency.', labelNames: ['method', 'route', 'status_code'], registers: [full] });
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests.', labelNames: ['method', 'route', 'status_code'], registers: [full] });
  const errors = new Counter({ name: 'http_errors_total', help: 'Errors.', labelNames: ['method', 'route'], registers: [full] });
  // A second app: counters and a summary, no histogram.
  const counters = new Registry();
  const counted = new Counter({ name: 'http_requests_total', help: 'Requests.', labelNames: ['method', 'endpoint'], registers: [counters] });
  const failed = new Counter({ name: 'http_errors_total', help: 'Errors.', labelNames: ['method', 'endpoint'], registers: [counters] });
  const summary = new Summary({ name: 'http_request_duration_seconds', help: 'Latency.', labelNames: ['endpoint'], percentiles: [0.5, 0.99], registers: [counters] });

  before(async () => {
    app = createServer((req, res) => {
      const registry = req.url === '/metrics' ? full : req.url === '/counters' ? counters : undefined;
      if (!registry) return void res.writeHead(404).end();
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    const put = await fetch(`${running.httpUrl}/api/metrics/targets`, { method: 'PUT', body: JSON.stringify([`golden=${appUrl}/metrics`, `counted=${appUrl}/counters`]) });
    assert.equal(put.status, 200);
    await running.engine.scraper.scrapeAll();
  });
  after(async () => { await new Promise((resolve) => app.close(resolve)); });

  it('derives requests, errors and percentiles per route, with no negative rate after a reset', async () => {
    // The app has been running: its series exist (at zero) when the engine first scrapes it;
    // what a scrape sees first is the baseline, not new requests.
    for (const status of ['200', '500']) {
      duration.zero({ method: 'GET', route: '/api/items/:id', status_code: status });
      requests.inc({ method: 'GET', route: '/api/items/:id', status_code: status }, 0);
    }
    errors.inc({ method: 'GET', route: '/api/items/:id' }, 0);
    await running.engine.scraper.scrapeAll();
    const sent = knownRequests();
    const observe = (list: { ms: number; status: number }[]) => {
      for (const r of list) {
        const labels = { method: 'GET', route: '/api/items/:id', status_code: String(r.status) };
        duration.observe(labels, r.ms / 1000);
        requests.inc(labels);
        if (r.status >= 500) errors.inc({ method: 'GET', route: '/api/items/:id' });
      }
    };
    observe(sent);
    await running.engine.scraper.scrapeAll();
    let [row] = await routes('golden');
    assert.equal(row.source, 'scrape');
    assert.equal(row.route, '/api/items/:id');
    // The histogram counts each request once; the request counter beside it is not added again.
    assert.deepEqual([row.requests, row.errors], [180, 20]);
    const ms = sent.map((r) => r.ms);
    withinBucket(row, 'p50Ms', exact(ms, 0.5));
    withinBucket(row, 'p90Ms', exact(ms, 0.9));
    withinBucket(row, 'p99Ms', exact(ms, 0.99));

    // The app restarts: its counters start from zero.
    full.resetMetrics();
    observe(sent.slice(0, 10));
    await running.engine.scraper.scrapeAll();
    [row] = await routes('golden');
    assert.deepEqual([row.requests, row.errors], [190, 20]);
    const signals = (await getJson<SignalsResponse>(running.httpUrl, '/api/signals?service=golden&step=10')).body;
    for (const s of signals.series) {
      assert.equal(s.source, 'scrape');
      for (const p of s.points) assert.ok(p.requests >= 0 && p.errors >= 0, `no negative counts: ${JSON.stringify(p)}`);
    }
  });

  it('uses counters without a histogram, and shows summaries as reported quantile lines', async () => {
    counted.inc({ method: 'GET', endpoint: '/health' }, 0);
    failed.inc({ method: 'GET', endpoint: '/health' }, 0);
    summary.observe({ endpoint: '/health' }, 0.001);
    await running.engine.scraper.scrapeAll();
    for (let i = 0; i < 50; i++) {
      counted.inc({ method: 'GET', endpoint: '/health' });
      summary.observe({ endpoint: '/health' }, 0.001 * (1 + (i % 10)));
    }
    failed.inc({ method: 'GET', endpoint: '/health' }, 4);
    await running.engine.scraper.scrapeAll();
    const [row] = await routes('counted');
    assert.equal(row.route, '/health');
    assert.deepEqual([row.requests, row.errors], [50, 4]);
    const signals = (await getJson<SignalsResponse>(running.httpUrl, '/api/signals?service=counted&route=/health')).body;
    const [series] = signals.series;
    assert.equal(series.summaries?.length, 1);
    const reported = series.summaries![0];
    assert.equal(reported.metric, 'http_request_duration_seconds');
    assert.deepEqual(reported.lines.map((l) => l.quantile), [0.5, 0.99]);
    // As prom-client reports them (seconds → ms), not recomputed.
    const p99 = reported.lines[1].valuesMs.at(-1)!;
    assert.ok(p99 >= 9 && p99 <= 10, `reported p99 ${p99} ms`);
  });

  it('takes odd metric names from the user', async () => {
    const odd = new Registry();
    const latency = new Histogram({ name: 'shop_latency_ms', help: 'Latency in ms.', labelNames: ['op', 'result'], buckets: [5, 10, 50, 100], registers: [odd] });
    app.removeAllListeners('request');
    app.on('request', (req, res) => void odd.metrics().then((text) => res.writeHead(200, { 'content-type': odd.contentType }).end(text)));
    const bad = await fetch(`${running.httpUrl}/api/signals/metric-names`, { method: 'PUT', body: JSON.stringify([{ name: 'shop_latency_ms', role: 'latency', unit: 'minutes' }]) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /\[0\]\.unit/);
    const put = await fetch(`${running.httpUrl}/api/signals/metric-names`, { method: 'PUT', body: JSON.stringify([{ name: 'shop_latency_ms', role: 'latency', unit: 'ms', routeKeys: ['op'], statusKeys: ['result'] }]) });
    assert.equal(put.status, 200);
    latency.zero({ op: 'checkout', result: '200' });
    latency.zero({ op: 'checkout', result: '500' });
    await fetch(`${running.httpUrl}/api/metrics/targets`, { method: 'PUT', body: JSON.stringify([`odd=${appUrl}/metrics`]) });
    await running.engine.scraper.scrapeAll();
    for (let i = 0; i < 40; i++) latency.observe({ op: 'checkout', result: i < 4 ? '500' : '200' }, 20);
    await running.engine.scraper.scrapeAll();
    const [row] = await routes('odd');
    assert.deepEqual([row.route, row.requests, row.errors], ['checkout', 40, 4]);
    assert.deepEqual(row.resolution?.p50Ms, [10, 50]);
  });
});

describe('a service with both spans and request metrics', () => {
  it('shows the spans, and the metrics beside them on request, flagging a large disagreement', async () => {
    const service = 'both';
    const tracer = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${running.httpUrl}/v1/traces` }))] });
    const t = tracer.getTracer('both');
    for (let i = 0; i < 30; i++) t.startSpan('GET /cart', { kind: SpanKind.SERVER, attributes: { 'http.route': '/cart' } }).end();
    await tracer.forceFlush();
    await tracer.shutdown();
    // The metrics saw three times as many requests: two in three spans were sampled away.
    const { provider, reader, meter } = meterProvider(service, AggregationTemporality.DELTA);
    const h = meter.createHistogram('http.server.request.duration', { unit: 's' });
    for (let i = 0; i < 90; i++) h.record(0.01, { 'http.route': '/cart', 'http.response.status_code': 200 });
    await reader.forceFlush();
    await provider.shutdown();

    const [plain] = await routes(service);
    assert.equal(plain.source, undefined);
    assert.equal(plain.requests, 30);
    assert.equal(plain.metrics, undefined);
    const [row] = await routes(service, '&metrics=1');
    assert.equal(row.requests, 30);
    assert.equal(row.metrics?.source, 'otlp-metrics');
    assert.equal(row.metrics?.figures.requests, 90);
    assert.match(row.metrics!.disagreement!, /metrics count 90 requests, spans 30/);
    const signals = (await getJson<SignalsResponse>(running.httpUrl, `/api/signals?service=${service}&metrics=1`)).body;
    const cart = signals.series.find((s) => s.route === '/cart')!;
    assert.equal(cart.source, undefined);
    assert.equal(cart.metrics?.totals.requests, 90);
  });
});
