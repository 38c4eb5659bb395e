// Writes the telemetry-file fixtures with the real OpenTelemetry SDK and its own OTLP/JSON
// serializers (what an SDK, and so a Collector's file exporter, writes). Run with
// `npx tsx test/files/makeFixtures.ts`; the output is committed.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const dir = __dirname;
const resource = resourceFromAttributes({ 'service.name': 'file-checkout', 'service.version': '2.0.0' });

async function main(): Promise<void> {
  const spans = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('fixture', '1.0.0');
  const root = tracer.startSpan('POST /checkout', { kind: SpanKind.SERVER, attributes: { 'http.route': '/checkout', 'http.response.status_code': 500 } });
  const child = tracer.startSpan('charge card', { kind: SpanKind.CLIENT, attributes: { 'payment.provider': 'acme' } }, trace.setSpan(context.active(), root));
  child.addEvent('retrying', { attempt: 2 });
  child.end();
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  root.end();

  const logs = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logs })] });
  context.with(trace.setSpan(context.active(), root), () => {
    loggerProvider.getLogger('fixture').emit({ severityNumber: 17, severityText: 'ERROR', body: 'card declined for order 1234', attributes: { 'order.id': 1234 } });
  });
  loggerProvider.getLogger('fixture').emit({ severityNumber: 9, severityText: 'INFO', body: 'checkout service ready' });
  await loggerProvider.forceFlush();

  class OnDemand extends MetricReader {
    protected override async onShutdown(): Promise<void> {}
    protected override async onForceFlush(): Promise<void> {}
  }
  const reader = new OnDemand();
  const meter = new MeterProvider({ resource, readers: [reader] }).getMeter('fixture');
  meter.createCounter('checkout.orders').add(3, { outcome: 'failed' });
  meter.createHistogram('checkout.duration', { unit: 'ms' }).record(120);
  const { resourceMetrics } = await reader.collect();

  const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString('utf8');
  const tracesJson = text(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans()));
  const logsJson = text(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords()));
  const metricsJson = text(JsonMetricsSerializer.serializeRequest(resourceMetrics));
  writeFileSync(join(dir, 'checkout.otlp.json'), `${JSON.stringify(JSON.parse(tracesJson), null, 2)}\n`);
  const lines = `${tracesJson}\n${logsJson}\n${metricsJson}\n`;
  writeFileSync(join(dir, 'checkout.otlp.jsonl'), lines);
  writeFileSync(join(dir, 'checkout.otlp.jsonl.gz'), gzipSync(Buffer.from(lines)));
  writeFileSync(join(dir, 'broken-line.otlp.jsonl'), `${tracesJson}\n{"resourceLogs": [\n${metricsJson}\n`);
}

void main();
