// What the decoders must produce for a given SDK object, built straight from the SDK's
// own fields and the OTLP specification (not from otlp-transformer), so that a test
// comparing a decoding with it checks every field. Test support only.

import { type HrTime, ValueType } from '@opentelemetry/api';
import type { Resource as SdkResource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AnyValue, KeyValue, LogRecord, Metric, NumberDataPoint, Resource, Span } from '../../../protocol/otlp.ts';

export function nanos(t: HrTime): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}

export function anyValue(v: unknown): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (v instanceof Uint8Array) return { bytesValue: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return { arrayValue: v.length ? { values: v.map(anyValue) } : {} };
  if (v !== null && typeof v === 'object') {
    const values = keyValues(v as Record<string, unknown>);
    return { kvlistValue: values ? { values } : {} };
  }
  return {};
}

export function keyValues(attrs: Record<string, unknown> | undefined): KeyValue[] | undefined {
  if (!attrs) return undefined;
  const list = Object.keys(attrs).map((key) => ({ key, value: anyValue(attrs[key]) }));
  return list.length ? list : undefined;
}

export function expectedResource(r: SdkResource): Resource {
  const attributes = keyValues(r.attributes);
  return attributes ? { attributes } : {};
}

/** Span flags per the OTLP spec: W3C trace flags, plus "has is_remote" and "is_remote" bits. */
function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);
}

export function expectedSpan(s: ReadableSpan): Span {
  const ctx = s.spanContext();
  const span: Span = { traceId: ctx.traceId, spanId: ctx.spanId };
  const traceState = ctx.traceState?.serialize();
  if (traceState) span.traceState = traceState;
  if (s.parentSpanContext) span.parentSpanId = s.parentSpanContext.spanId;
  span.flags = spanFlags(ctx.traceFlags, s.parentSpanContext?.isRemote);
  span.name = s.name;
  span.kind = s.kind + 1; // the API has no "unspecified"; OTLP's enum starts at 1 for internal
  span.startTimeUnixNano = nanos(s.startTime);
  span.endTimeUnixNano = nanos(s.endTime);
  const attributes = keyValues(s.attributes);
  if (attributes) span.attributes = attributes;
  if (s.droppedAttributesCount) span.droppedAttributesCount = s.droppedAttributesCount;
  if (s.events.length) {
    span.events = s.events.map((e) => {
      const event: NonNullable<Span['events']>[number] = { timeUnixNano: nanos(e.time), name: e.name };
      const attrs = keyValues(e.attributes);
      if (attrs) event.attributes = attrs;
      if (e.droppedAttributesCount) event.droppedAttributesCount = e.droppedAttributesCount;
      return event;
    });
  }
  if (s.droppedEventsCount) span.droppedEventsCount = s.droppedEventsCount;
  if (s.links.length) {
    span.links = s.links.map((l) => {
      const link: NonNullable<Span['links']>[number] = { traceId: l.context.traceId, spanId: l.context.spanId };
      const state = l.context.traceState?.serialize();
      if (state) link.traceState = state;
      const attrs = keyValues(l.attributes);
      if (attrs) link.attributes = attrs;
      if (l.droppedAttributesCount) link.droppedAttributesCount = l.droppedAttributesCount;
      link.flags = spanFlags(l.context.traceFlags, l.context.isRemote);
      return link;
    });
  }
  if (s.droppedLinksCount) span.droppedLinksCount = s.droppedLinksCount;
  span.status = {};
  if (s.status.message) span.status.message = s.status.message;
  if (s.status.code) span.status.code = s.status.code;
  return span;
}

export function expectedLogRecord(l: ReadableLogRecord): LogRecord {
  const record: LogRecord = {};
  const time = nanos(l.hrTime);
  if (time !== '0') record.timeUnixNano = time;
  record.observedTimeUnixNano = nanos(l.hrTimeObserved);
  if (l.severityNumber) record.severityNumber = l.severityNumber;
  if (l.severityText) record.severityText = l.severityText;
  if (l.body !== undefined) record.body = anyValue(l.body);
  const attributes = keyValues(l.attributes);
  if (attributes) record.attributes = attributes;
  if (l.droppedAttributesCount) record.droppedAttributesCount = l.droppedAttributesCount;
  if (l.spanContext) {
    if (l.spanContext.traceFlags) record.flags = l.spanContext.traceFlags;
    record.traceId = l.spanContext.traceId;
    record.spanId = l.spanContext.spanId;
  }
  if (l.eventName) record.eventName = l.eventName;
  return record;
}

function temporality(t: AggregationTemporality): number {
  return t === AggregationTemporality.DELTA ? 1 : 2;
}

export function expectedMetric(m: MetricData): Metric {
  const metric: Metric = { name: m.descriptor.name };
  if (m.descriptor.description) metric.description = m.descriptor.description;
  if (m.descriptor.unit) metric.unit = m.descriptor.unit;
  const base = (p: MetricData['dataPoints'][number]) => {
    const point: NumberDataPoint = {};
    const attributes = keyValues(p.attributes);
    if (attributes) point.attributes = attributes;
    point.startTimeUnixNano = nanos(p.startTime);
    point.timeUnixNano = nanos(p.endTime);
    return point;
  };
  switch (m.dataPointType) {
    case DataPointType.SUM:
    case DataPointType.GAUGE: {
      const isInt = m.descriptor.valueType === ValueType.INT;
      const dataPoints = m.dataPoints.map((p) => {
        const point = base(p);
        if (isInt) point.asInt = String(p.value);
        else point.asDouble = p.value;
        return point;
      });
      if (m.dataPointType === DataPointType.GAUGE) metric.gauge = { dataPoints };
      else {
        metric.sum = { dataPoints, aggregationTemporality: temporality(m.aggregationTemporality) };
        if (m.isMonotonic) metric.sum.isMonotonic = true;
      }
      break;
    }
    case DataPointType.HISTOGRAM:
      metric.histogram = {
        aggregationTemporality: temporality(m.aggregationTemporality),
        dataPoints: m.dataPoints.map((p) => {
          const v = p.value;
          return {
            ...base(p), count: String(v.count), sum: v.sum, bucketCounts: v.buckets.counts.map(String),
            explicitBounds: v.buckets.boundaries, min: v.min, max: v.max,
          };
        }),
      };
      break;
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      metric.exponentialHistogram = {
        aggregationTemporality: temporality(m.aggregationTemporality),
        dataPoints: m.dataPoints.map((p) => {
          const v = p.value;
          const buckets = (b: { offset: number; bucketCounts: number[] }) => ({
            ...(b.offset ? { offset: b.offset } : {}),
            ...(b.bucketCounts.length ? { bucketCounts: b.bucketCounts.map(String) } : {}),
          });
          return {
            ...base(p), count: String(v.count), sum: v.sum, ...(v.scale ? { scale: v.scale } : {}),
            ...(v.zeroCount ? { zeroCount: String(v.zeroCount) } : {}),
            positive: buckets(v.positive), negative: buckets(v.negative), min: v.min, max: v.max,
          };
        }),
      };
      break;
  }
  return metric;
}
