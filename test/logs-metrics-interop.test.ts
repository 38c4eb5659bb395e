// Logs and metrics sent by the real OpenTelemetry JS SDK over each OTLP exporter come
// back from the query API as they were sent.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { RunningEngine } from '../src/engine/server.ts';
import type { LogPatternSummary, LogsResponse, MetricSeriesResponse, MetricSummary } from '../src/protocol/api.ts';
import { getJson, hrTimeToNanos, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => { await running.close(); });

const logExporters: [string, (url: string, grpc: string) => LogRecordExporter][] = [
  ['OTLP/HTTP protobuf', (url) => new ProtoLogExporter({ url: `${url}/v1/logs` })],
  ['OTLP/HTTP JSON', (url) => new JsonLogExporter({ url: `${url}/v1/logs` })],
  ['OTLP/gRPC', (_u, grpc) => new GrpcLogExporter({ url: `http://${grpc}` })],
];

describe('logs sent by the OpenTelemetry JS SDK', () => {
  for (const [name, make] of logExporters) {
    it(`come back with bodies, severities, attributes and trace ids over ${name}`, async () => {
      const service = `logs-${name.replace(/\W+/g, '-')}`;
      const memory = new InMemoryLogRecordExporter();
      const provider = new LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        processors: [new SimpleLogRecordProcessor({ exporter: make(running.httpUrl, running.grpcAddress) }), new SimpleLogRecordProcessor({ exporter: memory })],
      });
      const logger = provider.getLogger('log-test', '2.0.0');
      logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'user 42 logged in', attributes: { 'user.id': 42, 'http.route': '/login' } });
      logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: { message: 'db timeout', retries: 3, nested: { ok: false } }, attributes: { 'db.system': 'postgresql' } });
      logger.emit({ severityNumber: SeverityNumber.WARN, body: 'slow request', eventName: 'request.slow', timestamp: new Date(1700000000123) });
      await provider.forceFlush();
      const sent = memory.getFinishedLogRecords();
      await provider.shutdown();

      const { status, body } = await getJson<LogsResponse>(running.httpUrl, `/api/logs?service=${service}`);
      assert.equal(status, 200);
      assert.equal(body.logs.length, 3);
      for (const want of sent) {
        const got = body.logs.find((l) => JSON.stringify(l.body) === JSON.stringify(want.body));
        assert.ok(got, `log ${JSON.stringify(want.body)} is there`);
        assert.equal(got.timeUnixNano, hrTimeToNanos(want.hrTime));
        assert.equal(got.severityNumber, want.severityNumber);
        assert.equal(got.severityText, want.severityText ?? '');
        assert.deepEqual(got.attributes, { ...want.attributes });
        assert.equal(got.service, service);
        assert.equal(got.eventName, want.eventName);
      }
      const errors = await getJson<LogsResponse>(running.httpUrl, `/api/logs?service=${service}&minSeverity=error`);
      assert.deepEqual(errors.body.logs.map((l) => l.severityText), ['ERROR']);
      const text = await getJson<LogsResponse>(running.httpUrl, `/api/logs?service=${service}&q=LOGGED`);
      assert.deepEqual(text.body.logs.map((l) => l.body), ['user 42 logged in']);
    });
  }

  it('are found by trace id and span id', async () => {
    const traceId = 'ab'.repeat(16);
    const spanId = 'cd'.repeat(8);
    const payload = { resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'correlated' } }] }, scopeLogs: [{ logRecords: [
      { timeUnixNano: '1700000000000000001', body: { stringValue: 'in the span' }, traceId, spanId },
      { timeUnixNano: '1700000000000000002', body: { stringValue: 'elsewhere' } },
    ] }] }] };
    const res = await fetch(`${running.httpUrl}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    assert.equal(res.status, 200);
    const byTrace = await getJson<LogsResponse>(running.httpUrl, `/api/logs?traceId=${traceId}`);
    assert.deepEqual(byTrace.body.logs.map((l) => [l.body, l.traceId, l.spanId]), [['in the span', traceId, spanId]]);
    const bySpan = await getJson<LogsResponse>(running.httpUrl, `/api/logs?spanId=${spanId}`);
    assert.equal(bySpan.body.logs.length, 1);
    assert.equal((await getJson(running.httpUrl, '/api/logs?traceId=xyz')).status, 400);
  });
});

describe('log patterns and filters over records sent by the OpenTelemetry JS SDK', () => {
  for (const [name, make] of logExporters) {
    it(`count exactly over ${name}`, async () => {
      const service = `patterns-${name.replace(/\W+/g, '-')}`;
      const provider = new LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        processors: [new BatchLogRecordProcessor({ exporter: make(running.httpUrl, running.grpcAddress), maxExportBatchSize: 64, scheduledDelayMillis: 10 })],
      });
      const logger = provider.getLogger('pattern-test');
      const t0 = Date.now() - 60_000;
      for (let i = 0; i < 120; i++) {
        logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `order ${1000 + i} shipped in ${i % 40} ms`, attributes: { 'order.id': 1000 + i, region: i % 3 ? 'eu' : 'us' }, timestamp: t0 + i * 100 });
        if (i % 4 === 0) logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: `retry ${i} for order ${1000 + i} after "gateway timeout"`, timestamp: t0 + i * 100 + 1 });
        if (i % 40 === 0) logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: `payment 3fa85f64-5717-4562-b3fc-2c963f66a${String(100 + i).padStart(3, '0')} declined`, timestamp: t0 + i * 100 + 2 });
      }
      await provider.forceFlush();
      await provider.shutdown();

      const all = await getJson<LogsResponse>(running.httpUrl, `/api/logs?service=${service}&limit=5000`);
      assert.equal(all.body.logs.length, 120 + 30 + 3);
      const patterns = await getJson<LogPatternSummary[]>(running.httpUrl, `/api/logs/patterns?service=${service}`);
      assert.deepEqual(patterns.body.map((p) => [p.pattern, p.count, p.severities]), [
        ['order <num> shipped in <duration>', 120, { INFO: 120 }],
        ['retry <num> for order <num> after "<*>"', 30, { WARN: 30 }],
        ['payment <uuid> declined', 3, { ERROR: 3 }],
      ]);
      assert.equal(patterns.body[0].example, 'order 1119 shipped in 39 ms');
      assert.equal(patterns.body[0].points.reduce((n, p) => n + p.count, 0), 120);
      const retries = await getJson<LogsResponse>(running.httpUrl, `/api/logs?pattern=${patterns.body[1].id}&limit=5000`);
      assert.equal(retries.body.logs.length, 30);
      assert.ok(retries.body.logs.every((l) => l.patternId === patterns.body[1].id && /^retry /.test(l.body as string)));
      const us = await getJson<LogsResponse>(running.httpUrl, `/api/logs?service=${service}&attr=region=us&limit=5000`);
      assert.equal(us.body.logs.length, 40);
      const one = await getJson<LogsResponse>(running.httpUrl, `/api/logs?service=${service}&attr=order.id=1042`);
      assert.deepEqual(one.body.logs.map((l) => l.body), ['order 1042 shipped in 2 ms']);
      const warnUp = await getJson<LogPatternSummary[]>(running.httpUrl, `/api/logs/patterns?service=${service}&minSeverity=warn`);
      assert.deepEqual(warnUp.body.map((p) => p.count), [30, 3]);
      const bad = await getJson<{ error: string }>(running.httpUrl, '/api/logs/patterns?minSeverity=loud');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /^minSeverity: /);
      assert.match((await getJson<{ error: string }>(running.httpUrl, '/api/logs?pattern=x')).body.error, /^pattern: /);
    });
  }
});

const metricExporters: [string, (url: string, grpc: string) => PushMetricExporter][] = [
  ['OTLP/HTTP protobuf', (url) => new ProtoMetricExporter({ url: `${url}/v1/metrics` })],
  ['OTLP/HTTP JSON', (url) => new JsonMetricExporter({ url: `${url}/v1/metrics` })],
  ['OTLP/gRPC', (_u, grpc) => new GrpcMetricExporter({ url: `http://${grpc}` })],
];

describe('metrics sent by the OpenTelemetry JS SDK', () => {
  for (const [name, make] of metricExporters) {
    it(`come back as series of points over ${name}`, async () => {
      const service = `metrics-${name.replace(/\W+/g, '-')}`;
      const reader = new PeriodicExportingMetricReader({ exporter: make(running.httpUrl, running.grpcAddress), exportIntervalMillis: 3_600_000 });
      const provider = new MeterProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        readers: [reader],
        views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
      });
      const meter = provider.getMeter('metric-test');
      meter.createCounter('requests', { unit: '{request}' }).add(5, { route: '/a' });
      meter.createUpDownCounter('active').add(-2);
      meter.createGauge('cpu.utilization', { unit: '1' }).record(0.75);
      const latency = meter.createHistogram('latency', { unit: 'ms' });
      for (const v of [3, 30, 300]) latency.record(v, { route: '/a' });
      meter.createHistogram('payload.size').record(1024);
      await provider.forceFlush();
      await provider.shutdown();

      const list = await getJson<MetricSummary[]>(running.httpUrl, '/api/metrics');
      const mine = (metric: string) => list.body.find((m) => m.name === metric && m.series.some((s) => s.service === service));
      assert.equal(mine('requests')?.kind, 'sum');
      assert.equal(mine('active')?.kind, 'sum');
      assert.equal(mine('cpu.utilization')?.kind, 'gauge');
      assert.equal(mine('latency')?.kind, 'histogram');
      assert.equal(mine('payload.size')?.kind, 'exponentialHistogram');

      const series = async (metric: string) => (await getJson<MetricSeriesResponse>(running.httpUrl, `/api/metrics/series?name=${metric}&service=${service}`)).body.series;
      const [requests] = await series('requests');
      assert.deepEqual(requests.attributes, { route: '/a' });
      assert.equal(requests.isMonotonic, true);
      assert.equal(requests.points[0].asDouble ?? Number(requests.points[0].asInt), 5);
      const [active] = await series('active');
      assert.equal(active.points[0].asDouble ?? Number(active.points[0].asInt), -2);
      const [cpu] = await series('cpu.utilization');
      assert.equal(cpu.points[0].asDouble, 0.75);
      const [hist] = await series('latency');
      assert.equal(hist.points[0].count, '3');
      assert.equal(hist.points[0].sum, 333);
      assert.equal(hist.points[0].min, 3);
      assert.equal(hist.points[0].max, 300);
      const [exp] = await series('payload.size');
      assert.equal(exp.points[0].count, '1');
      assert.equal((await getJson(running.httpUrl, '/api/metrics/series')).status, 400);
    });
  }
});
