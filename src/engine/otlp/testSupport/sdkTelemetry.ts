// Real telemetry from the OpenTelemetry JS SDK, for proving the decoders against the
// reference encoders of @opentelemetry/otlp-transformer. Test support only.

import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, ValueType } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, type ReadableLogRecord, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const resource = resourceFromAttributes({
  'service.name': 'checkout',
  'host.cores': 8,
  'deploy.canary': false,
  'sample.ratio': 0.25,
  'process.command_args': ['node', 'server.js'],
});

/** Span attributes of every kind the SDK accepts for spans (it drops bytes and maps). */
export const SPAN_ATTRIBUTES = {
  'http.method': 'GET',
  'http.status_code': 200,
  'retry.delta': -3,
  'big.safe': Number.MAX_SAFE_INTEGER,
  'load': 0.75,
  'cache.hit': true,
  'empty': '',
  'utf8': 'ünïcødé ✓ 🚀',
  'tags': ['a', 'b', 'c'],
  'ports': [80, 443],
  'weights': [0.5, 1.5],
  'flags': [true, false],
};

export const START: [number, number] = [1_700_000_000, 123_456_789];
export const END: [number, number] = [1_700_000_001, 987_654_321];

export const REMOTE_PARENT = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: new TraceState('vendor=abc,other=x'),
};

export function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource,
    spanLimits: { attributeCountLimit: 16, eventCountLimit: 4, linkCountLimit: 2 },
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('loupe.test', '1.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
  const other = provider.getTracer('loupe.other');

  const root = tracer.startSpan('GET /checkout', { kind: SpanKind.SERVER, attributes: SPAN_ATTRIBUTES, startTime: START });
  root.addEvent('cache.miss', { key: 'cart:42', attempt: 2 }, [1_700_000_000, 500_000_000]);
  root.addEvent('no attributes', [1_700_000_000, 600_000_001]);
  root.addLink({ context: { ...REMOTE_PARENT, spanId: '00f067aa0ba902b7' }, attributes: { 'link.kind': 'follows' } });
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });

  const ctx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan('SELECT carts', { kind: SpanKind.CLIENT, startTime: [1_700_000_000, 200_000_000] }, ctx);
  child.setStatus({ code: SpanStatusCode.OK });
  child.end([1_700_000_000, 300_000_000]);

  const remoteCtx = trace.setSpanContext(ROOT_CONTEXT, REMOTE_PARENT);
  const consumer = other.startSpan('process order', { kind: SpanKind.CONSUMER, startTime: START }, remoteCtx);
  consumer.end(END);

  const overflow = tracer.startSpan('overflow', { kind: SpanKind.PRODUCER, startTime: START });
  for (let i = 0; i < 20; i++) overflow.setAttribute(`attr.${i}`, i);
  for (let i = 0; i < 6; i++) overflow.addEvent(`event ${i}`, START);
  for (let i = 0; i < 3; i++) overflow.addLink({ context: { ...REMOTE_PARENT, spanId: `00000000000000a${i}` } });
  overflow.end(END);

  const internal = tracer.startSpan('compute', { kind: SpanKind.INTERNAL, startTime: START }, ctx);
  internal.end(END);

  root.end(END);
  return exporter.getFinishedSpans();
}

/** Log attributes and bodies may hold bytes, maps and nested arrays. */
export const LOG_ATTRIBUTES = {
  'user.id': 'u-17',
  'payload': new Uint8Array([0, 1, 2, 250, 255]),
  'retry': 3,
  'latency': 12.5,
  'ok': false,
  'request': { method: 'POST', headers: { 'content-type': 'application/json' }, sizes: [1, 2, 3] },
};

export const STRUCTURED_BODY = {
  message: 'order placed',
  items: [{ sku: 'A1', qty: 2 }, { sku: 'B2', qty: 1 }],
  total: 99.95,
  raw: new Uint8Array([104, 105]),
  nested: { deeper: { deepest: [true, 'x', 7] } },
};

export function recordLogs(): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('loupe.logs', '2.0.0', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    attributes: { 'scope.attr': 'yes' },
  });
  const spanCtx = trace.setSpanContext(ROOT_CONTEXT, { ...REMOTE_PARENT, isRemote: false });

  logger.emit({
    timestamp: START, observedTimestamp: END, severityNumber: SeverityNumber.INFO, severityText: 'INFO',
    body: 'plain message', attributes: LOG_ATTRIBUTES, context: spanCtx,
  });
  logger.emit({
    timestamp: START, observedTimestamp: END, severityNumber: SeverityNumber.ERROR2, severityText: 'ERROR',
    body: STRUCTURED_BODY, eventName: 'order.placed',
  });
  logger.emit({ timestamp: START, observedTimestamp: END, severityNumber: SeverityNumber.FATAL4, body: ['x', 1, 2.5, false] });
  logger.emit({ timestamp: START, observedTimestamp: END, body: 42 });
  logger.emit({ observedTimestamp: END, body: new Uint8Array([9, 8, 7]) });
  return exporter.getFinishedLogRecords();
}

class CollectingReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export async function recordMetrics(): Promise<ResourceMetrics> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [{ instrumentName: 'latency.exponential', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('loupe.metrics', '3.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });

  const requests = meter.createCounter('requests', { description: 'Requests served', unit: '{request}', valueType: ValueType.INT });
  requests.add(3, { route: '/a' });
  requests.add(4, { route: '/b', ok: true });
  const queue = meter.createUpDownCounter('queue.depth', { valueType: ValueType.INT });
  queue.add(5);
  queue.add(-12);
  const temperature = meter.createGauge('temperature', { unit: 'Cel' });
  temperature.record(-3.25, { room: 'lab' });
  const latency = meter.createHistogram('latency', { unit: 'ms', advice: { explicitBucketBoundaries: [0, 5, 10, 100] } });
  for (const v of [0, 1, 7, 7, 50, 1000]) latency.record(v, { route: '/a' });
  const exponential = meter.createHistogram('latency.exponential', { unit: 's' });
  for (const v of [0, 1e-300, 0.5, 2, 2, 1e300]) exponential.record(v);
  const ratio = meter.createObservableGauge('ratio');
  ratio.addCallback((result) => result.observe(0, { constant: 'zero' }));

  const { resourceMetrics, errors } = await reader.collect();
  if (errors.length > 0) throw new AggregateError(errors);
  await provider.shutdown();
  return resourceMetrics;
}
