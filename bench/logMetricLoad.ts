// Benchmark load for logs and metrics: real SDK log records and metric points,
// serialized by the OpenTelemetry JS serializers into one protobuf request each.

import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, JsonMetricsSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

export const LOGS_PER_BATCH = 512;
const ROUTES = ['/users/:id', '/orders/:id', '/cart', '/search', '/checkout'];

function resource(batchIndex: number) {
  return resourceFromAttributes({ 'service.name': `bench-service-${batchIndex % 4}`, 'service.version': '1.4.2', 'host.name': 'devbox' });
}

/** 512 log records, each in a trace, with a message and five attributes. */
export function makeLogBatch(batchIndex: number, encoding: 'protobuf' | 'json' = 'protobuf'): Buffer {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: resource(batchIndex), processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('bench', '1.0.0');
  for (let i = 0; i < LOGS_PER_BATCH; i++) {
    const n = batchIndex * 1000 + i;
    const traceId = (0x10000000 + n).toString(16).padStart(32, '0');
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: n.toString(16).padStart(16, '0'), traceFlags: TraceFlags.SAMPLED });
    const failed = n % 50 === 0;
    logger.emit({
      severityNumber: failed ? SeverityNumber.ERROR : SeverityNumber.INFO, severityText: failed ? 'ERROR' : 'INFO',
      body: failed ? `request ${n} failed: connection reset by peer` : `served ${ROUTES[i % ROUTES.length]} for user:${n} in ${i % 40} ms`,
      attributes: { 'http.route': ROUTES[i % ROUTES.length], 'user.id': `user:${n}`, 'http.response.status_code': failed ? 500 : 200, 'thread.id': 1, 'code.function.name': 'handleRequest' },
      context: ctx,
    });
  }
  const serializer = encoding === 'json' ? JsonLogsSerializer : ProtobufLogsSerializer;
  const bytes = Buffer.from(serializer.serializeRequest(exporter.getFinishedLogRecords())!);
  void provider.shutdown();
  return bytes;
}

class CollectingReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/** One collection of a service's request metrics: counters, a gauge and a histogram per route. */
export async function makeMetricBatch(batchIndex: number, encoding: 'protobuf' | 'json' = 'protobuf'): Promise<{ bytes: Buffer; points: number }> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource: resource(batchIndex), readers: [reader] });
  const meter = provider.getMeter('bench', '1.0.0');
  const requests = meter.createCounter('http.server.requests');
  const inFlight = meter.createUpDownCounter('http.server.active_requests');
  const heap = meter.createGauge('process.memory.heap', { unit: 'By' });
  const latency = meter.createHistogram('http.server.request.duration', { unit: 's' });
  for (let r = 0; r < ROUTES.length * 20; r++) {
    const attrs = { 'http.route': ROUTES[r % ROUTES.length], 'http.response.status_code': 200 + (r % 20), 'server.port': 8080 };
    requests.add(r + 1, attrs);
    inFlight.add(r % 3, attrs);
    heap.record(1e6 * (r + 1), attrs);
    for (let k = 0; k < 5; k++) latency.record(0.001 * (r + k), attrs);
  }
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  let points = 0;
  for (const sm of resourceMetrics.scopeMetrics) for (const m of sm.metrics) points += m.dataPoints.length;
  const serializer = encoding === 'json' ? JsonMetricsSerializer : ProtobufMetricsSerializer;
  return { bytes: Buffer.from(serializer.serializeRequest(resourceMetrics)!), points };
}
