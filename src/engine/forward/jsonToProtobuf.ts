// Re-encodes an OTLP/JSON export request as protobuf, for upstreams that only take
// protobuf (OTLP/gRPC). The request is read by the same JSON decoders as ingest (ids
// as hex, 64-bit integers as decimal strings) and written field by field per the
// OTLP protos; spans and log records reuse the store's encoders.

import type {
  EntityRef, Exemplar, ExponentialHistogramBuckets, ExponentialHistogramDataPoint, HistogramDataPoint,
  InstrumentationScope, LogsData, Metric, MetricsData, NumberDataPoint, Resource, SummaryDataPoint, TracesData,
} from '../../protocol/otlp.ts';
import type { Signal } from '../ingest/ingest.ts';
import { decodeLogsJson } from '../otlp/json/logs.ts';
import { decodeMetricsJson } from '../otlp/json/metrics.ts';
import { decodeTracesJson } from '../otlp/json/traces.ts';
import { encodeLogRecord } from '../otlp/protobuf/encodeLogs.ts';
import { writeKeyValues, writeSpan } from '../otlp/protobuf/encodeTraces.ts';
import { WireType } from '../otlp/protobuf/wire.ts';
import { ProtoWriter } from '../otlp/protobuf/writer.ts';

export function otlpJsonToProtobuf(signal: Signal, body: Buffer): Buffer {
  const text = body.toString('utf8');
  const w = new ProtoWriter(Math.max(1024, body.length));
  switch (signal) {
    case 'traces': writeTraces(w, decodeTracesJson(text)); break;
    case 'logs': writeLogs(w, decodeLogsJson(text)); break;
    case 'metrics': writeMetrics(w, decodeMetricsJson(text)); break;
    default: throw new Error(`${signal} in OTLP/JSON are forwarded over OTLP/HTTP only; set the forwarding protocol to http`);
  }
  return w.finish();
}

interface Envelope<R, S, I> {
  scopes(resource: R): S[] | undefined;
  items(scope: S): I[] | undefined;
  item(w: ProtoWriter, item: I): void;
}

/** Export<Signal>ServiceRequest → Resource<Signal> → Scope<Signal> → items: the same field numbers for every signal. */
function writeEnvelope<R extends { resource?: Resource; schemaUrl?: string }, S extends { scope?: InstrumentationScope; schemaUrl?: string }, I>(
  w: ProtoWriter, resources: R[] | undefined, env: Envelope<R, S, I>,
): void {
  for (const r of resources ?? []) {
    sub(w, 1, () => {
      if (r.resource) sub(w, 1, () => writeResource(w, r.resource!));
      for (const s of env.scopes(r) ?? []) {
        sub(w, 2, () => {
          if (s.scope) sub(w, 1, () => writeScope(w, s.scope!));
          for (const item of env.items(s) ?? []) sub(w, 2, () => env.item(w, item));
          str(w, 3, s.schemaUrl);
        });
      }
      str(w, 3, r.schemaUrl);
    });
  }
}

function writeTraces(w: ProtoWriter, data: TracesData): void {
  writeEnvelope(w, data.resourceSpans, { scopes: (r) => r.scopeSpans, items: (s) => s.spans, item: writeSpan });
}

function writeLogs(w: ProtoWriter, data: LogsData): void {
  writeEnvelope(w, data.resourceLogs, { scopes: (r) => r.scopeLogs, items: (s) => s.logRecords, item: (w2, record) => w2.raw(encodeLogRecord(record)) });
}

function writeMetrics(w: ProtoWriter, data: MetricsData): void {
  writeEnvelope(w, data.resourceMetrics, { scopes: (r) => r.scopeMetrics, items: (s) => s.metrics, item: writeMetric });
}

function writeResource(w: ProtoWriter, r: Resource): void {
  if (r.attributes) writeKeyValues(w, 1, r.attributes);
  uint(w, 2, r.droppedAttributesCount);
  for (const ref of r.entityRefs ?? []) sub(w, 3, () => writeEntityRef(w, ref));
}

function writeEntityRef(w: ProtoWriter, ref: EntityRef): void {
  str(w, 1, ref.schemaUrl);
  str(w, 2, ref.type);
  for (const key of ref.idKeys ?? []) str(w, 3, key, true);
  for (const key of ref.descriptionKeys ?? []) str(w, 4, key, true);
}

function writeScope(w: ProtoWriter, s: InstrumentationScope): void {
  str(w, 1, s.name);
  str(w, 2, s.version);
  if (s.attributes) writeKeyValues(w, 3, s.attributes);
  uint(w, 4, s.droppedAttributesCount);
}

function writeMetric(w: ProtoWriter, m: Metric): void {
  str(w, 1, m.name);
  str(w, 2, m.description);
  str(w, 3, m.unit);
  if (m.gauge) sub(w, 5, () => { for (const p of m.gauge!.dataPoints ?? []) sub(w, 1, () => writeNumberPoint(w, p)); });
  if (m.sum) {
    sub(w, 7, () => {
      for (const p of m.sum!.dataPoints ?? []) sub(w, 1, () => writeNumberPoint(w, p));
      uint(w, 2, m.sum!.aggregationTemporality);
      if (m.sum!.isMonotonic) uint(w, 3, 1);
    });
  }
  if (m.histogram) {
    sub(w, 9, () => {
      for (const p of m.histogram!.dataPoints ?? []) sub(w, 1, () => writeHistogramPoint(w, p));
      uint(w, 2, m.histogram!.aggregationTemporality);
    });
  }
  if (m.exponentialHistogram) {
    sub(w, 10, () => {
      for (const p of m.exponentialHistogram!.dataPoints ?? []) sub(w, 1, () => writeExponentialPoint(w, p));
      uint(w, 2, m.exponentialHistogram!.aggregationTemporality);
    });
  }
  if (m.summary) sub(w, 11, () => { for (const p of m.summary!.dataPoints ?? []) sub(w, 1, () => writeSummaryPoint(w, p)); });
  if (m.metadata) writeKeyValues(w, 12, m.metadata);
}

function writeNumberPoint(w: ProtoWriter, p: NumberDataPoint): void {
  fixed64(w, 2, p.startTimeUnixNano);
  fixed64(w, 3, p.timeUnixNano);
  if (p.asDouble !== undefined) double(w, 4, p.asDouble);
  for (const e of p.exemplars ?? []) sub(w, 5, () => writeExemplar(w, e));
  if (p.asInt !== undefined) sfixed64(w, 6, p.asInt);
  if (p.attributes) writeKeyValues(w, 7, p.attributes);
  uint(w, 8, p.flags);
}

function writeHistogramPoint(w: ProtoWriter, p: HistogramDataPoint): void {
  fixed64(w, 2, p.startTimeUnixNano);
  fixed64(w, 3, p.timeUnixNano);
  fixed64(w, 4, p.count);
  if (p.sum !== undefined) double(w, 5, p.sum);
  if (p.bucketCounts?.length) packed(w, 6, () => { for (const c of p.bucketCounts!) w.fixed64Decimal(c); });
  if (p.explicitBounds?.length) packed(w, 7, () => { for (const b of p.explicitBounds!) w.double(b); });
  for (const e of p.exemplars ?? []) sub(w, 8, () => writeExemplar(w, e));
  if (p.attributes) writeKeyValues(w, 9, p.attributes);
  uint(w, 10, p.flags);
  if (p.min !== undefined) double(w, 11, p.min);
  if (p.max !== undefined) double(w, 12, p.max);
}

function writeExponentialPoint(w: ProtoWriter, p: ExponentialHistogramDataPoint): void {
  if (p.attributes) writeKeyValues(w, 1, p.attributes);
  fixed64(w, 2, p.startTimeUnixNano);
  fixed64(w, 3, p.timeUnixNano);
  fixed64(w, 4, p.count);
  if (p.sum !== undefined) double(w, 5, p.sum);
  if (p.scale) { w.tag(6, WireType.Varint); w.sint32(p.scale); }
  fixed64(w, 7, p.zeroCount);
  if (p.positive) sub(w, 8, () => writeBuckets(w, p.positive!));
  if (p.negative) sub(w, 9, () => writeBuckets(w, p.negative!));
  uint(w, 10, p.flags);
  for (const e of p.exemplars ?? []) sub(w, 11, () => writeExemplar(w, e));
  if (p.min !== undefined) double(w, 12, p.min);
  if (p.max !== undefined) double(w, 13, p.max);
  if (p.zeroThreshold) double(w, 14, p.zeroThreshold);
}

function writeBuckets(w: ProtoWriter, b: ExponentialHistogramBuckets): void {
  if (b.offset) { w.tag(1, WireType.Varint); w.sint32(b.offset); }
  if (b.bucketCounts?.length) packed(w, 2, () => { for (const c of b.bucketCounts!) w.varint64Decimal(c); });
}

function writeSummaryPoint(w: ProtoWriter, p: SummaryDataPoint): void {
  fixed64(w, 2, p.startTimeUnixNano);
  fixed64(w, 3, p.timeUnixNano);
  fixed64(w, 4, p.count);
  if (p.sum) double(w, 5, p.sum);
  for (const q of p.quantileValues ?? []) {
    sub(w, 6, () => {
      if (q.quantile) double(w, 1, q.quantile);
      if (q.value) double(w, 2, q.value);
    });
  }
  if (p.attributes) writeKeyValues(w, 7, p.attributes);
  uint(w, 8, p.flags);
}

function writeExemplar(w: ProtoWriter, e: Exemplar): void {
  fixed64(w, 2, e.timeUnixNano);
  if (e.asDouble !== undefined) double(w, 3, e.asDouble);
  if (e.spanId) { w.tag(4, WireType.LengthDelimited); w.hexBytes(e.spanId); }
  if (e.traceId) { w.tag(5, WireType.LengthDelimited); w.hexBytes(e.traceId); }
  if (e.asInt !== undefined) sfixed64(w, 6, e.asInt);
  if (e.filteredAttributes) writeKeyValues(w, 7, e.filteredAttributes);
}

function sub(w: ProtoWriter, field: number, body: () => void): void {
  w.tag(field, WireType.LengthDelimited);
  const mark = w.begin();
  body();
  w.end(mark);
}

const packed = sub;

function str(w: ProtoWriter, field: number, s: string | undefined, evenIfEmpty = false): void {
  if (s === undefined || (s === '' && !evenIfEmpty)) return;
  w.tag(field, WireType.LengthDelimited);
  w.string(s);
}

function uint(w: ProtoWriter, field: number, n: number | undefined): void {
  if (!n) return;
  w.tag(field, WireType.Varint);
  w.uint32(n);
}

function double(w: ProtoWriter, field: number, n: number): void {
  w.tag(field, WireType.Fixed64);
  w.double(n);
}

function fixed64(w: ProtoWriter, field: number, decimal: string | undefined): void {
  if (!decimal || decimal === '0') return;
  w.tag(field, WireType.Fixed64);
  w.fixed64Decimal(decimal);
}

function sfixed64(w: ProtoWriter, field: number, decimal: string): void {
  const bits = BigInt.asUintN(64, BigInt(decimal));
  w.tag(field, WireType.Fixed64);
  w.fixed64(Number(bits & 0xffffffffn), Number(bits >> 32n));
}
