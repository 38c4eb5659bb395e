// OTLP/JSON re-encoded for gRPC says the same as the SDK's own protobuf for the same
// telemetry: both are read back with the engine's protobuf decoders and compared.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { decodeLogsRequest } from '../otlp/protobuf/logs.ts';
import { decodeMetricsRequest } from '../otlp/protobuf/metrics.ts';
import { decodeTracesRequest } from '../otlp/protobuf/traces.ts';
import { otlpJsonToProtobuf } from './jsonToProtobuf.ts';

const resource = resourceFromAttributes({ 'service.name': 'convert', 'host.cores': 8, ratio: 0.5, tags: ['a', 'b'] });

describe('OTLP/JSON to protobuf', () => {
  it('traces: ids, times, attributes, events, links and status', () => {
    const memory = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer('scope', '1.0');
    const root = tracer.startSpan('GET /', { kind: SpanKind.SERVER, attributes: { n: 3, ok: true } });
    root.addEvent('step', { at: 1 });
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'broken' });
    root.end();
    tracer.startSpan('linked', { links: [{ context: root.spanContext(), attributes: { why: 'x' } }] }).end();
    const spans = memory.getFinishedSpans();
    const json = Buffer.from(JsonTraceSerializer.serializeRequest(spans)!);
    const protobuf = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    assert.deepEqual(decodeTracesRequest(otlpJsonToProtobuf('traces', json)), decodeTracesRequest(protobuf));
  });

  it('logs: body, severity, attributes and trace context', async () => {
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
    provider.getLogger('scope').emit({ body: { nested: ['x', 1] }, severityNumber: 17, severityText: 'ERROR', attributes: { k: 'v' } });
    provider.getLogger('scope').emit({ body: 'plain', eventName: 'app.start' });
    await provider.forceFlush();
    const logs = memory.getFinishedLogRecords();
    const json = Buffer.from(JsonLogsSerializer.serializeRequest(logs)!);
    const protobuf = Buffer.from(ProtobufLogsSerializer.serializeRequest(logs)!);
    assert.deepEqual(decodeLogsRequest(otlpJsonToProtobuf('logs', json)), decodeLogsRequest(protobuf));
  });

  it('metrics: sums, gauges, histograms and exponential histograms, negative ints', async () => {
    class OnDemand extends MetricReader {
      protected override async onShutdown(): Promise<void> {}
      protected override async onForceFlush(): Promise<void> {}
    }
    const reader = new OnDemand();
    const meter = new MeterProvider({
      resource, readers: [reader],
      views: [{ instrumentName: 'exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
    }).getMeter('scope');
    meter.createCounter('requests').add(5, { route: '/a' });
    meter.createUpDownCounter('queue').add(-3);
    meter.createGauge('temp').record(21.5);
    const h = meter.createHistogram('latency');
    for (const v of [1, 5, 50, 500]) h.record(v);
    const e = meter.createHistogram('exp');
    for (const v of [0.1, 2, 30, -1]) e.record(v);
    const { resourceMetrics } = await reader.collect();
    const json = Buffer.from(JsonMetricsSerializer.serializeRequest(resourceMetrics)!);
    const protobuf = Buffer.from(ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!);
    assert.deepEqual(decodeMetricsRequest(otlpJsonToProtobuf('metrics', json)), decodeMetricsRequest(protobuf));
  });

  it('says which part of a request it cannot read', () => {
    assert.throws(() => otlpJsonToProtobuf('traces', Buffer.from('{"resourceSpans": [{"scopeSpans": 3}]}')), /scopeSpans/);
    assert.throws(() => otlpJsonToProtobuf('profiles', Buffer.from('{}')), /forwarded over OTLP\/HTTP only/);
  });
});
