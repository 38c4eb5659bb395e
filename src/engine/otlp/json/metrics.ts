// OTLP/JSON metric decoding (an ExportMetricsServiceRequest body) into the canonical
// model, down to the Metric and its data kind; data points are in metricPoints.ts.

import type { Metric, MetricsData } from '../../../protocol/otlp.ts';
import { keyValuesField } from './common.ts';
import {
  boolField, fail, int32Field, type Json, mapMessages, messageField, type Path, stringField,
} from './fields.ts';
import { decodeEnvelopeJson } from './envelope.ts';
import {
  readExponentialHistogramPoint, readHistogramPoint, readNumberPoint, readSummaryPoint,
} from './metricPoints.ts';

export function decodeMetricsJson(text: string): MetricsData {
  return decodeEnvelopeJson<MetricsData>(text, { resource: 'resourceMetrics', scope: 'scopeMetrics', items: 'metrics' }, readMetric);
}

function readMetric(o: Json, path: Path): Metric {
  const metric: Metric = {};
  const name = stringField(o, 'name', path);
  if (name !== '') metric.name = name;
  const description = stringField(o, 'description', path);
  if (description !== '') metric.description = description;
  const unit = stringField(o, 'unit', path);
  if (unit !== '') metric.unit = unit;
  // The data kinds form a oneof: at most one may be set.
  let kinds = 0;
  const gauge = messageField(o, 'gauge', path, readGauge);
  if (gauge) { metric.gauge = gauge; kinds++; }
  const sum = messageField(o, 'sum', path, readSum);
  if (sum) { metric.sum = sum; kinds++; }
  const histogram = messageField(o, 'histogram', path, readHistogram);
  if (histogram) { metric.histogram = histogram; kinds++; }
  const exponential = messageField(o, 'exponentialHistogram', path, readExponentialHistogram);
  if (exponential) { metric.exponentialHistogram = exponential; kinds++; }
  const summary = messageField(o, 'summary', path, readSummary);
  if (summary) { metric.summary = summary; kinds++; }
  if (kinds > 1) fail(path, undefined, 'more than one data kind set in a Metric');
  const metadata = keyValuesField(o, 'metadata', path);
  if (metadata) metric.metadata = metadata;
  return metric;
}

function readGauge(o: Json, path: Path): NonNullable<Metric['gauge']> {
  const dataPoints = mapMessages(o, 'dataPoints', path, readNumberPoint);
  return dataPoints ? { dataPoints } : {};
}

function readSum(o: Json, path: Path): NonNullable<Metric['sum']> {
  const out: NonNullable<Metric['sum']> = {};
  const dataPoints = mapMessages(o, 'dataPoints', path, readNumberPoint);
  if (dataPoints) out.dataPoints = dataPoints;
  const temporality = int32Field(o, 'aggregationTemporality', path);
  if (temporality !== 0) out.aggregationTemporality = temporality;
  if (boolField(o, 'isMonotonic', path)) out.isMonotonic = true;
  return out;
}

function readHistogram(o: Json, path: Path): NonNullable<Metric['histogram']> {
  const out: NonNullable<Metric['histogram']> = {};
  const dataPoints = mapMessages(o, 'dataPoints', path, readHistogramPoint);
  if (dataPoints) out.dataPoints = dataPoints;
  const temporality = int32Field(o, 'aggregationTemporality', path);
  if (temporality !== 0) out.aggregationTemporality = temporality;
  return out;
}

function readExponentialHistogram(o: Json, path: Path): NonNullable<Metric['exponentialHistogram']> {
  const out: NonNullable<Metric['exponentialHistogram']> = {};
  const dataPoints = mapMessages(o, 'dataPoints', path, readExponentialHistogramPoint);
  if (dataPoints) out.dataPoints = dataPoints;
  const temporality = int32Field(o, 'aggregationTemporality', path);
  if (temporality !== 0) out.aggregationTemporality = temporality;
  return out;
}

function readSummary(o: Json, path: Path): NonNullable<Metric['summary']> {
  const dataPoints = mapMessages(o, 'dataPoints', path, readSummaryPoint);
  return dataPoints ? { dataPoints } : {};
}
