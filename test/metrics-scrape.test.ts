// Metrics made chartable and Prometheus endpoints scraped: a prom-client registry served
// over HTTP is read back exactly, counters become rates, histograms percentile lines,
// exemplars keep their trace ids, and bad targets say what is wrong.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import { parsePromText, type PromSample } from '../src/engine/scrape/promText.ts';
import type { RunningEngine } from '../src/engine/server.ts';
import type { MetricSeriesResponse, MetricSummary, ScrapeTargetStatus } from '../src/protocol/api.ts';
import { getJson, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
let app: Server;
let appUrl: string;
const registry = new Registry();
collectDefaultMetrics({ register: registry });
const requests = new Counter({ name: 'app_requests_total', help: 'Requests "served"\nby route.', labelNames: ['route', 'code'], registers: [registry] });
const inFlight = new Gauge({ name: 'app_in_flight_requests', help: 'Requests in flight.', registers: [registry] });
const latency = new Histogram({ name: 'app_request_duration_seconds', help: 'Latency.', labelNames: ['route'], buckets: [0.01, 0.05, 0.1, 0.5, 1], registers: [registry] });
const sizes = new Summary({ name: 'app_payload_bytes', help: 'Payload sizes.', percentiles: [0.5, 0.9], registers: [registry] });

before(async () => {
  running = await startTestEngine();
  app = createServer((req, res) => {
    if (req.url === '/metrics') {
      void registry.metrics().then((text) => { res.writeHead(200, { 'content-type': registry.contentType }); res.end(text); });
    } else if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><body>{"not": metrics}</body></html>');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});
after(async () => {
  running.engine.scraper.stop();
  await running.close();
  await new Promise((resolve) => app.close(resolve));
});

async function putTargets(targets: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${running.httpUrl}/api/metrics/targets`, { method: 'PUT', body: JSON.stringify(targets) });
  return { status: res.status, body: await res.json() };
}

describe('the Prometheus text parser', () => {
  it("reads every sample of prom-client's own output with the values prom-client holds", async () => {
    requests.inc({ route: '/a "quoted"\\path', code: '200' }, 3);
    latency.observe({ route: '/a' }, 0.02);
    sizes.observe(100);
    const parsed = parsePromText(await registry.metrics());
    assert.equal(parsed.badLines, 0, parsed.firstProblem);
    const json = await registry.getMetricsAsJSON();
    assert.deepEqual(parsed.families.map((f) => f.name).sort(), json.filter((m) => m.values.length).map((m) => m.name).sort());
    for (const metric of json) {
      const family = parsed.families.find((f) => f.name === metric.name);
      if (!metric.values.length) continue;
      assert.equal(family?.type, metric.type, metric.name);
      assert.equal(family.help, metric.help);
      for (const v of metric.values) {
        const name = (v as { metricName?: string }).metricName ?? metric.name;
        const labels = Object.fromEntries(Object.entries(v.labels).map(([k, x]) => [k, String(x)]));
        const sample: PromSample | undefined = family.samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels));
        assert.ok(sample, `${name} ${JSON.stringify(labels)} is parsed`);
        // Default metrics (process_*, nodejs_*) move between the two reads; the app's do not.
        if (metric.name.startsWith('app_')) assert.equal(sample.value, v.value, `${name} ${JSON.stringify(labels)}`);
      }
    }
  });

  it('skips and counts lines it cannot read', () => {
    const parsed = parsePromText('# TYPE ok gauge\nok 1\nbroken{a="1" 2\nok{b="x"} NaN\n');
    assert.equal(parsed.badLines, 1);
    assert.match(parsed.firstProblem!, /^line 3:/);
    assert.equal(parsed.families[0].samples.length, 2);
  });
});

describe('scraping a prom-client registry over HTTP', () => {
  it('stores its counters, gauges, histograms and summaries, charted as rates and percentiles', async () => {
    const put = await putTargets([`shop=${appUrl}/metrics`]);
    assert.equal(put.status, 200);
    await running.engine.scraper.scrapeAll(); // the scrape the new list started
    requests.reset();
    requests.inc({ route: '/users', code: '200' }, 10);
    inFlight.set(4);
    for (const v of [0.005, 0.02, 0.02, 0.07, 0.3, 2]) latency.observe({ route: '/users' }, v);
    await running.engine.scraper.scrapeAll();
    requests.inc({ route: '/users', code: '200' }, 30);
    await new Promise((r) => setTimeout(r, 1100));
    await running.engine.scraper.scrapeAll();

    const [target] = (await getJson<ScrapeTargetStatus[]>(running.httpUrl, '/api/metrics/targets')).body;
    assert.equal(target.state, 'up');
    assert.equal(target.service, 'shop');
    assert.equal(target.lastError, undefined);

    const list = (await getJson<MetricSummary[]>(running.httpUrl, '/api/metrics')).body;
    const names = list.filter((m) => m.series.some((s) => s.service === 'shop' && s.source === 'scrape')).map((m) => m.name);
    for (const n of ['app_requests_total', 'app_in_flight_requests', 'app_request_duration_seconds', 'app_payload_bytes', 'process_cpu_user_seconds_total', 'nodejs_eventloop_lag_seconds']) assert.ok(names.includes(n), n);

    const series = async (name: string) => (await getJson<MetricSeriesResponse>(running.httpUrl, `/api/metrics/series?name=${name}&service=shop`)).body.series;
    const [counter] = (await series('app_requests_total')).filter((s) => s.attributes.route === '/users');
    assert.deepEqual(counter.points.map((p) => p.asDouble).slice(-2), [10, 40]);
    assert.equal(counter.chart.mode, 'rate');
    const rate = counter.chart.lines[0].values.at(-1)!;
    assert.ok(rate > 30 / 2 && rate <= 30 / 1.1, `rate ${rate}/s for +30 over about a second`);

    const [gauge] = await series('app_in_flight_requests');
    assert.equal(gauge.chart.mode, 'value');
    assert.deepEqual(gauge.chart.lines[0].values.slice(-2), [4, 4]);

    const [histogram] = (await series('app_request_duration_seconds')).filter((s) => s.attributes.route === '/users');
    assert.equal(histogram.points.length, 2);
    assert.equal(histogram.kind, 'histogram');
    assert.deepEqual(histogram.points[0].bucketCounts, ['1', '2', '1', '1', '0', '1']);
    assert.deepEqual(histogram.points[0].explicitBounds, [0.01, 0.05, 0.1, 0.5, 1]);
    assert.equal(histogram.points[0].count, '6');
    assert.equal(histogram.chart.mode, 'percentiles');
    const p50 = histogram.chart.lines.find((l) => l.name === 'p50')!.values[0]!;
    assert.ok(p50 > 0.01 && p50 <= 0.05, `p50 ${p50} is in the bucket holding the 3rd of 6 values`);
    // Nothing new was observed between the scrapes: the second interval has no distribution.
    assert.equal(histogram.chart.lines[0].values[1], null);

    const [summary] = await series('app_payload_bytes');
    assert.equal(summary.chart.mode, 'quantiles');
    assert.deepEqual(summary.chart.lines.map((l) => l.name), ['q0.5', 'q0.9']);
  });

  it('reports unreachable, failing and non-Prometheus targets without stopping the others', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await putTargets([`http://127.0.0.1:${deadPort}/metrics`, `${appUrl}/missing`, `${appUrl}/html`, `${appUrl}/metrics`]);
    await running.engine.scraper.scrapeAll();
    const status = (await getJson<ScrapeTargetStatus[]>(running.httpUrl, '/api/metrics/targets')).body;
    const byUrl = new Map(status.map((s) => [s.url, s]));
    assert.equal(byUrl.get(`http://127.0.0.1:${deadPort}/metrics`)!.state, 'down');
    assert.match(byUrl.get(`http://127.0.0.1:${deadPort}/metrics`)!.lastError!, /connection refused/);
    assert.match(byUrl.get(`${appUrl}/missing`)!.lastError!, /HTTP 404/);
    assert.match(byUrl.get(`${appUrl}/html`)!.lastError!, /not Prometheus text/);
    assert.equal(byUrl.get(`${appUrl}/metrics`)!.state, 'up');
    assert.equal(byUrl.get(`${appUrl}/metrics`)!.service, new URL(appUrl).host);
  });

  it('answers a bad target list with 400', async () => {
    for (const body of ['not json', { url: 'x' }, ['ftp://host/metrics'], ['no url here']]) {
      const res = await fetch(`${running.httpUrl}/api/metrics/targets`, { method: 'PUT', body: typeof body === 'string' ? body : JSON.stringify(body) });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(((await res.json()) as { error: string }).error, /^body: /);
    }
  });
});

describe('metrics from the OpenTelemetry JS SDK, charted', () => {
  it('turn a cumulative counter into a rate and histograms into percentile lines', async () => {
    const service = 'charted';
    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${running.httpUrl}/v1/metrics`, temporalityPreference: AggregationTemporality.CUMULATIVE }),
      exportIntervalMillis: 3_600_000,
    });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      readers: [reader],
      views: [{ instrumentName: 'exp.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    });
    const meter = provider.getMeter('chart-test');
    const counter = meter.createCounter('jobs');
    const histogram = meter.createHistogram('latency', { unit: 'ms', advice: { explicitBucketBoundaries: [0, 25, 50, 75, 100] } });
    const exp = meter.createHistogram('exp.latency', { unit: 'ms' });
    counter.add(10);
    await reader.forceFlush();
    counter.add(20);
    for (let v = 1; v <= 100; v++) { histogram.record(v); exp.record(v); }
    await new Promise((r) => setTimeout(r, 200));
    await reader.forceFlush();
    await provider.shutdown();

    const series = async (name: string) => (await getJson<MetricSeriesResponse>(running.httpUrl, `/api/metrics/series?name=${name}&service=${service}`)).body.series[0];
    const jobs = await series('jobs');
    const times = jobs.points.map((p) => Number(p.timeUnixNano));
    assert.equal(jobs.chart.mode, 'rate');
    // The second export added 20 (shutdown exports a third, unchanged point).
    assert.deepEqual(jobs.points.map((p) => p.asDouble ?? Number(p.asInt)).slice(0, 2), [10, 30]);
    const rate = jobs.chart.lines[0].values[1]!;
    assert.ok(Math.abs(rate - 20 / ((times[1] - times[0]) / 1e9)) < 1e-6, `rate ${rate}`);

    const lat = await series('latency');
    // Nothing was recorded before the first export: the first histogram point holds all 100.
    assert.equal(lat.points[0].count, '100');
    const last = (name: string) => lat.chart.lines.find((l) => l.name === name)!.values[0];
    assert.equal(last('p50'), 50);
    assert.equal(last('p90'), 90);
    const e = await series('exp.latency');
    const p50 = e.chart.lines.find((l) => l.name === 'p50')!.values[0]!;
    assert.ok(Math.abs(p50 - 50) / 50 < 0.1, `exponential p50 ${p50} within the bucket resolution of 50`);
  });

  it('keep exemplars with their trace ids', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const body = { resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'exemplary' } }] }, scopeMetrics: [{ metrics: [{
      name: 'req.duration', unit: 'ms',
      histogram: { aggregationTemporality: 1, dataPoints: [{ startTimeUnixNano: '1700000000000000000', timeUnixNano: '1700000010000000000', count: '2', sum: 30, bucketCounts: ['1', '1'], explicitBounds: [10],
        exemplars: [{ timeUnixNano: '1700000005000000000', asDouble: 25, traceId, spanId: 'b7ad6b7169203331' }] }] },
    }] }] }] };
    const res = await fetch(`${running.httpUrl}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200);
    const s = (await getJson<MetricSeriesResponse>(running.httpUrl, '/api/metrics/series?name=req.duration&service=exemplary')).body.series[0];
    assert.deepEqual(s.chart.exemplars, [{ time: '1700000005000000000', value: 25, traceId, spanId: 'b7ad6b7169203331' }]);
  });
});
