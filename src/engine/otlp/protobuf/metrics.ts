// OTLP metric decoding from protobuf (opentelemetry/proto/metrics/v1), down to the
// Metric and its data kind; the data points themselves are in metricPoints.ts. An
// ExportMetricsServiceRequest has the same layout as MetricsData.

import type { KeyValue, Metric, MetricsData } from '../../../protocol/otlp.ts';
import { readKeyValue } from './common.ts';
import { decodeEnvelope, envelope } from './envelope.ts';
import { enter, fieldNames, leave, skipField } from './message.ts';
import {
  readExponentialHistogramPoint, readHistogramPoint, readNumberPoint, readSummaryPoint,
} from './metricPoints.ts';
import { WireReader } from './wire.ts';

// Cases are whole tags: field number << 3 | wire type.

const METRICS = envelope('MetricsData', 'ResourceMetrics', 'ScopeMetrics', 'metrics', 'metrics');
const METRIC = fieldNames('Metric', {
  1: 'name', 2: 'description', 3: 'unit', 5: 'gauge', 7: 'sum', 9: 'histogram',
  10: 'exponential_histogram', 11: 'summary', 12: 'metadata',
});
const GAUGE = fieldNames('Gauge', { 1: 'data_points' });
const SUM = fieldNames('Sum', { 1: 'data_points', 2: 'aggregation_temporality', 3: 'is_monotonic' });
const HISTOGRAM = fieldNames('Histogram', { 1: 'data_points', 2: 'aggregation_temporality' });
const EXPONENTIAL_HISTOGRAM = fieldNames('ExponentialHistogram', { 1: 'data_points', 2: 'aggregation_temporality' });
const SUMMARY = fieldNames('Summary', { 1: 'data_points' });

type Gauge = NonNullable<Metric['gauge']>;
type Sum = NonNullable<Metric['sum']>;
type Histogram = NonNullable<Metric['histogram']>;
type ExponentialHistogram = NonNullable<Metric['exponentialHistogram']>;
type Summary = NonNullable<Metric['summary']>;
type Data =
  | { gauge: Gauge } | { sum: Sum } | { histogram: Histogram }
  | { exponentialHistogram: ExponentialHistogram } | { summary: Summary };

export function decodeMetricsRequest(buf: Buffer): MetricsData {
  return decodeEnvelope<MetricsData>(buf, METRICS, metricBody);
}

function metricBody(r: WireReader): Metric {
  let name = '', description = '', unit = '';
  let data: Data | undefined; // a oneof: the last data field on the wire wins
  let metadata: KeyValue[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: name = r.string(); break;
      case 18: description = r.string(); break;
      case 26: unit = r.string(); break;
      case 42: data = { gauge: readGauge(r) }; break;
      case 58: data = { sum: readSum(r) }; break;
      case 74: data = { histogram: readHistogram(r) }; break;
      case 82: data = { exponentialHistogram: readExponentialHistogram(r) }; break;
      case 90: data = { summary: readSummary(r) }; break;
      case 98: (metadata ??= []).push(readKeyValue(r)); break;
      default: skipField(r, tag, METRIC);
    }
  }
  const metric: Metric = {};
  if (name !== '') metric.name = name;
  if (description !== '') metric.description = description;
  if (unit !== '') metric.unit = unit;
  if (data) Object.assign(metric, data);
  if (metadata) metric.metadata = metadata;
  return metric;
}

function readGauge(r: WireReader): Gauge {
  const outer = enter(r);
  const out: Gauge = {};
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) (out.dataPoints ??= []).push(readNumberPoint(r));
    else skipField(r, tag, GAUGE);
  }
  leave(r, outer);
  return out;
}

function readSum(r: WireReader): Sum {
  const outer = enter(r);
  const out: Sum = {};
  let temporality = 0, monotonic = false;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: (out.dataPoints ??= []).push(readNumberPoint(r)); break;
      case 16: temporality = r.int32(); break;
      case 24: monotonic = r.bool(); break;
      default: skipField(r, tag, SUM);
    }
  }
  leave(r, outer);
  if (temporality !== 0) out.aggregationTemporality = temporality;
  if (monotonic) out.isMonotonic = true;
  return out;
}

function readHistogram(r: WireReader): Histogram {
  const outer = enter(r);
  const out: Histogram = {};
  let temporality = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: (out.dataPoints ??= []).push(readHistogramPoint(r)); break;
      case 16: temporality = r.int32(); break;
      default: skipField(r, tag, HISTOGRAM);
    }
  }
  leave(r, outer);
  if (temporality !== 0) out.aggregationTemporality = temporality;
  return out;
}

function readExponentialHistogram(r: WireReader): ExponentialHistogram {
  const outer = enter(r);
  const out: ExponentialHistogram = {};
  let temporality = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: (out.dataPoints ??= []).push(readExponentialHistogramPoint(r)); break;
      case 16: temporality = r.int32(); break;
      default: skipField(r, tag, EXPONENTIAL_HISTOGRAM);
    }
  }
  leave(r, outer);
  if (temporality !== 0) out.aggregationTemporality = temporality;
  return out;
}

function readSummary(r: WireReader): Summary {
  const outer = enter(r);
  const out: Summary = {};
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) (out.dataPoints ??= []).push(readSummaryPoint(r));
    else skipField(r, tag, SUMMARY);
  }
  leave(r, outer);
  return out;
}
