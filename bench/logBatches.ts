// Benchmark log load: records made by the OpenTelemetry JS logs SDK and serialized by
// its protobuf serializer, in batches of 1,000 from four services, shaped like an app's
// logs: a dozen message templates at several levels, five attributes, trace context on
// most. Each record's body and `order.id` carry a 9-digit number that is rewritten per
// send (like the trace ids), so a million records are a million different lines.

import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';

export const RECORDS_PER_BATCH = 1000;
const PLACEHOLDER = '#########';
const TRACE_MARK = 'f00dfeed';

const MESSAGES: [SeverityNumber, string, (n: string, i: number) => string][] = [
  [SeverityNumber.INFO, 'INFO', (n, i) => `GET /orders/${n} answered 200 in ${i % 97} ms`],
  [SeverityNumber.INFO, 'INFO', (n) => `order ${n} shipped to warehouse-${n.slice(-1)}`],
  [SeverityNumber.INFO, 'INFO', (n, i) => `user u-${n} logged in from 10.1.${i % 200}.${i % 250}`],
  [SeverityNumber.DEBUG, 'DEBUG', (n, i) => `cache hit for key order:${n} (${i % 13} ms)`],
  [SeverityNumber.INFO, 'INFO', (n) => `payment ${n} authorized`],
  [SeverityNumber.DEBUG, 'DEBUG', (n, i) => `SELECT order ${n} returned ${i % 40} rows`],
  [SeverityNumber.INFO, 'INFO', (n) => `email queued for order ${n}`],
  [SeverityNumber.WARN, 'WARN', (n, i) => `slow query for order ${n}: ${200 + (i % 800)} ms`],
  [SeverityNumber.INFO, 'INFO', (n) => `inventory reserved for order ${n}`],
  [SeverityNumber.WARN, 'WARN', (n, i) => `retrying charge ${n} (attempt ${i % 3 + 1})`],
  [SeverityNumber.ERROR, 'ERROR', (n) => `charge ${n} failed: card declined by issuer`],
  [SeverityNumber.INFO, 'INFO', (n) => `order ${n} completed`],
];

export interface LogBatch {
  bytes: Buffer;
  /** Where each record's 9-digit number is, in order of records. */
  numberOffsets: number[];
  traceOffsets: number[];
}

export function makeLogBatch(batchIndex: number): LogBatch {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': `bench-service-${batchIndex % 4}`, 'service.version': '1.4.2', 'deployment.environment': 'local', 'host.name': 'devbox' }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('bench.app', '1.0.0');
  const t0 = Date.now();
  for (let i = 0; i < RECORDS_PER_BATCH; i++) {
    const [severityNumber, severityText, message] = MESSAGES[(i * 7 + batchIndex) % MESSAGES.length];
    // Most records are written inside a request, so carry its trace context.
    const traced = i % 10 < 7;
    const spanContext = { traceId: TRACE_MARK + (batchIndex * RECORDS_PER_BATCH + i).toString(16).padStart(24, '0'), spanId: (i + 1).toString(16).padStart(16, '0'), traceFlags: TraceFlags.SAMPLED };
    logger.emit({
      timestamp: t0 + i, severityNumber, severityText, body: message(PLACEHOLDER, i),
      attributes: { 'order.id': `ord-${PLACEHOLDER}`, 'http.route': '/orders/:id', 'customer.tier': ['gold', 'silver', 'bronze'][i % 3], 'code.function.name': 'handleOrder', 'code.line.number': 40 + (i % 60) },
      context: traced ? trace.setSpanContext(context.active(), spanContext) : undefined,
    });
  }
  const bytes = Buffer.from(ProtobufLogsSerializer.serializeRequest(memory.getFinishedLogRecords())!);
  void provider.shutdown();
  return { bytes, numberOffsets: offsetsOf(bytes, Buffer.from(PLACEHOLDER)), traceOffsets: offsetsOf(bytes, Buffer.from(TRACE_MARK, 'hex')) };
}

function offsetsOf(bytes: Buffer, needle: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) offsets.push(at);
  return offsets;
}

/** Gives every record of this send its own number and trace id, in place. */
export function patchLogBatch(batch: LogBatch, sendNumber: number): void {
  // Two placeholders a record (body, order.id), in order: both get the record's number.
  batch.numberOffsets.forEach((at, k) => {
    batch.bytes.write(String((sendNumber * RECORDS_PER_BATCH + (k >> 1)) % 1e9).padStart(9, '0'), at, 'latin1');
  });
  for (const at of batch.traceOffsets) batch.bytes.writeUInt32BE(sendNumber >>> 0, at);
}
