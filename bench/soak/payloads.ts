// What the soak's clients send: requests made by the OpenTelemetry JS SDK's serializers
// (a few per signal, made once), spans given fresh trace ids on every send, and now and
// then a small hand-made request with one invalid item, so that the engine's rejection
// counts are part of the sum the soak checks.

import { context, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { encodeLogRecord } from '../../src/engine/otlp/protobuf/encodeLogs.ts';
import { encodeBatch, makeSpans, patchTraceIds, type Batch } from '../batches.ts';
import { LOGS_PER_BATCH, makeLogBatch, makeMetricBatch } from '../logMetricLoad.ts';
import { field, tracesRequest } from '../../test/support/otlp.ts';

import type { Encoding, Signal as EngineSignal } from '../../src/engine/ingest/ingest.ts';

/** The signals the soak sends (profiles are not part of it). */
export type Signal = Exclude<EngineSignal, 'profiles'>;
export type { Encoding };

/** One request to send (uncompressed): how many items it carries and how many of them are invalid. */
export interface Request {
  body: Buffer;
  items: number;
  invalid: number;
}

export interface Source {
  readonly itemsPerBatch: number;
  /** The request for send number `n` of this client (`n` is unique across the run's clients). */
  next(n: number): Request;
}

const VARIANTS = 8;
/** One send in this many carries an invalid item instead of a batch. */
const INVALID_EVERY = 40;

export async function makeSource(signal: Signal, encoding: Encoding, wide: boolean): Promise<Source> {
  const indexes = Array.from({ length: VARIANTS }, (_, i) => i);
  let batches: { bytes: Buffer; items: number; batch?: Batch }[];
  if (signal === 'traces') {
    batches = indexes.map((i) => {
      const spans = wide ? makeWideSpans(i) : makeSpans(i);
      const batch = encodeBatch(spans, encoding);
      return { bytes: batch.bytes, items: spans.length, batch };
    });
  } else if (signal === 'logs') {
    batches = indexes.map((i) => ({ bytes: makeLogBatch(i, encoding), items: LOGS_PER_BATCH }));
  } else {
    batches = await Promise.all(indexes.map(async (i) => {
      const m = await makeMetricBatch(i, encoding);
      return { bytes: m.bytes, items: m.points };
    }));
  }
  const mixed = mixedRequest(signal, encoding);
  return {
    itemsPerBatch: batches[0].items,
    next(n) {
      if (n % INVALID_EVERY === INVALID_EVERY - 1) return mixed;
      const b = batches[n % VARIANTS];
      if (!b.batch) return { body: b.bytes, items: b.items, invalid: 0 };
      // A copy per send: requests in flight at once must not share bytes.
      const copy = { ...b.batch, bytes: Buffer.from(b.batch.bytes) };
      patchTraceIds(copy, n);
      return { body: copy.bytes, items: b.items, invalid: 0 };
    },
  };
}

// --- The wide variant: spans carrying many or large attributes. ---

const WIDE_SPANS_PER_BATCH = 20;

/** Pseudo-random lowercase text (seeded, so runs compare): does not compress to nothing. */
function text(seed: number, length: number): string {
  let x = (seed * 2654435761) >>> 0 || 1;
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = 97 + (x % 26);
  }
  return out.toString('latin1');
}

/**
 * Two-span traces: the server span carries 100 attributes of 50 bytes, its child 20
 * attributes of 5 KB (a response body, a big query), about 5 KB and 100 KB a span.
 */
export function makeWideSpans(batchIndex: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `wide-service-${batchIndex % 2}`, 'host.name': 'devbox' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('soak-wide', '1.0.0');
  for (let t = 0; t < WIDE_SPANS_PER_BATCH / 2; t++) {
    const seed = batchIndex * 1000 + t;
    const many: Record<string, string> = { 'http.route': '/wide' };
    for (let a = 0; a < 100; a++) many[`app.field.${a}`] = text(seed * 131 + a, 50);
    const root = tracer.startSpan('POST /wide', { kind: SpanKind.SERVER, attributes: many });
    const large: Record<string, string> = {};
    for (let a = 0; a < 20; a++) large[`app.blob.${a}`] = text(seed * 137 + a + 7, 5 * 1024);
    tracer.startSpan('render', { kind: SpanKind.INTERNAL, attributes: large }, trace.setSpan(context.active(), root)).end();
    root.end();
  }
  const spans = memory.getFinishedSpans();
  void provider.shutdown();
  return spans;
}

// --- Requests with one invalid item among valid ones. ---

const T0 = '1700000000000000000';
const T1 = '1700000000100000000';

function mixedRequest(signal: Signal, encoding: Encoding): Request {
  if (signal === 'traces') {
    const span = (traceId: string, spanId: string) => ({ traceId, spanId, name: 'soak mixed', kind: 1, startTimeUnixNano: T0, endTimeUnixNano: T1 });
    const spans = [span('5a'.repeat(16), '01'.repeat(8)), span('5a'.repeat(16), '02'.repeat(8)), span('abcd', '03'.repeat(8))];
    const body = encoding === 'json'
      ? Buffer.from(JSON.stringify({ resourceSpans: [{ resource: SOAK_RESOURCE, scopeSpans: [{ spans }] }] }))
      : tracesRequest(spans);
    return { body, items: 3, invalid: 1 };
  }
  if (signal === 'logs') {
    const records = [
      { timeUnixNano: T0, severityNumber: 9, body: { stringValue: 'soak mixed record' } },
      { timeUnixNano: T1, severityNumber: 9, body: { stringValue: 'soak mixed record' }, traceId: 'abcd' },
    ];
    const body = encoding === 'json'
      ? Buffer.from(JSON.stringify({ resourceLogs: [{ resource: SOAK_RESOURCE, scopeLogs: [{ logRecords: records }] }] }))
      : field(1, field(2, Buffer.concat(records.map((r) => field(2, encodeLogRecord(r))))));
    return { body, items: 2, invalid: 1 };
  }
  // A gauge without a name (two points, both rejected) beside a named one (one point).
  const body = encoding === 'json'
    ? Buffer.from(JSON.stringify({ resourceMetrics: [{ resource: SOAK_RESOURCE, scopeMetrics: [{ metrics: [
      { gauge: { dataPoints: [{ timeUnixNano: T0, asDouble: 1 }, { timeUnixNano: T1, asDouble: 2 }] } },
      { name: 'soak.mixed', gauge: { dataPoints: [{ timeUnixNano: T0, asDouble: 3 }] } },
    ] }] }] }))
    : field(1, field(2, Buffer.concat([
      field(2, field(5, Buffer.concat([field(1, numberPoint(1)), field(1, numberPoint(2))]))),
      field(2, Buffer.concat([field(1, Buffer.from('soak.mixed')), field(5, field(1, numberPoint(3)))])),
    ])));
  return { body, items: 3, invalid: 2 };
}

const SOAK_RESOURCE = { attributes: [{ key: 'service.name', value: { stringValue: 'soak-mixed' } }] };

/** NumberDataPoint { fixed64 time_unix_nano = 3; double as_double = 4; } */
function numberPoint(value: number): Buffer {
  const b = Buffer.alloc(18);
  b[0] = (3 << 3) | 1;
  b.writeBigUInt64LE(BigInt(T0), 1);
  b[9] = (4 << 3) | 1;
  b.writeDoubleLE(value, 10);
  return b;
}
