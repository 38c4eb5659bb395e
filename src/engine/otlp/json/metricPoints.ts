// OTLP/JSON normalization of metric data points and exemplars.

import type {
  Exemplar, ExponentialHistogramBuckets, ExponentialHistogramDataPoint, HistogramDataPoint, NumberDataPoint,
  SummaryDataPoint, SummaryValueAtQuantile,
} from '../../../protocol/otlp.ts';
import { isDefaultDouble } from '../protobuf/message.ts';
import { keyValuesField } from './common.ts';
import {
  arrayField, fail, hexIdField, int32Field, type Json, mapMessages, messageField, optionalDoubleField,
  optionalInt64Field, type Path, toDouble, toInt64String, uint32Field, uint64Field,
} from './fields.ts';

/** The fields every data point kind starts with. */
interface PointBase {
  attributes?: NumberDataPoint['attributes'];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
}

function readBase(point: PointBase, o: Json, path: Path): void {
  const attributes = keyValuesField(o, 'attributes', path);
  if (attributes) point.attributes = attributes;
  const start = uint64Field(o, 'startTimeUnixNano', path);
  if (start !== '0') point.startTimeUnixNano = start;
  const time = uint64Field(o, 'timeUnixNano', path);
  if (time !== '0') point.timeUnixNano = time;
}

/** asDouble and asInt form a oneof: present means present, even when zero. */
function readNumberValue(target: { asDouble?: number; asInt?: string }, o: Json, path: Path): void {
  const asDouble = optionalDoubleField(o, 'asDouble', path);
  const asInt = optionalInt64Field(o, 'asInt', path);
  if (asDouble !== undefined && asInt !== undefined) fail(path, undefined, 'both asDouble and asInt set');
  if (asDouble !== undefined) target.asDouble = asDouble;
  if (asInt !== undefined) target.asInt = asInt;
}

export function readNumberPoint(o: Json, path: Path): NumberDataPoint {
  const point: NumberDataPoint = {};
  readBase(point, o, path);
  readNumberValue(point, o, path);
  const exemplars = mapMessages(o, 'exemplars', path, readExemplar);
  if (exemplars) point.exemplars = exemplars;
  const flags = uint32Field(o, 'flags', path);
  if (flags !== 0) point.flags = flags;
  return point;
}

export function readHistogramPoint(o: Json, path: Path): HistogramDataPoint {
  const point: HistogramDataPoint = {};
  readBase(point, o, path);
  const count = uint64Field(o, 'count', path);
  if (count !== '0') point.count = count;
  // sum, min and max are proto3 `optional`: kept whenever present.
  const sum = optionalDoubleField(o, 'sum', path);
  if (sum !== undefined) point.sum = sum;
  const bucketCounts = uint64List(o, 'bucketCounts', path);
  if (bucketCounts) point.bucketCounts = bucketCounts;
  const bounds = doubleList(o, 'explicitBounds', path);
  if (bounds) point.explicitBounds = bounds;
  const exemplars = mapMessages(o, 'exemplars', path, readExemplar);
  if (exemplars) point.exemplars = exemplars;
  const flags = uint32Field(o, 'flags', path);
  if (flags !== 0) point.flags = flags;
  const min = optionalDoubleField(o, 'min', path);
  if (min !== undefined) point.min = min;
  const max = optionalDoubleField(o, 'max', path);
  if (max !== undefined) point.max = max;
  return point;
}

export function readExponentialHistogramPoint(o: Json, path: Path): ExponentialHistogramDataPoint {
  const point: ExponentialHistogramDataPoint = {};
  readBase(point, o, path);
  const count = uint64Field(o, 'count', path);
  if (count !== '0') point.count = count;
  const sum = optionalDoubleField(o, 'sum', path);
  if (sum !== undefined) point.sum = sum;
  const scale = int32Field(o, 'scale', path);
  if (scale !== 0) point.scale = scale;
  const zeroCount = uint64Field(o, 'zeroCount', path);
  if (zeroCount !== '0') point.zeroCount = zeroCount;
  const positive = messageField(o, 'positive', path, readBuckets);
  if (positive) point.positive = positive;
  const negative = messageField(o, 'negative', path, readBuckets);
  if (negative) point.negative = negative;
  const flags = uint32Field(o, 'flags', path);
  if (flags !== 0) point.flags = flags;
  const exemplars = mapMessages(o, 'exemplars', path, readExemplar);
  if (exemplars) point.exemplars = exemplars;
  const min = optionalDoubleField(o, 'min', path);
  if (min !== undefined) point.min = min;
  const max = optionalDoubleField(o, 'max', path);
  if (max !== undefined) point.max = max;
  const zeroThreshold = optionalDoubleField(o, 'zeroThreshold', path);
  if (zeroThreshold !== undefined && !isDefaultDouble(zeroThreshold)) point.zeroThreshold = zeroThreshold;
  return point;
}

function readBuckets(o: Json, path: Path): ExponentialHistogramBuckets {
  const buckets: ExponentialHistogramBuckets = {};
  const offset = int32Field(o, 'offset', path);
  if (offset !== 0) buckets.offset = offset;
  const counts = uint64List(o, 'bucketCounts', path);
  if (counts) buckets.bucketCounts = counts;
  return buckets;
}

export function readSummaryPoint(o: Json, path: Path): SummaryDataPoint {
  const point: SummaryDataPoint = {};
  readBase(point, o, path);
  const count = uint64Field(o, 'count', path);
  if (count !== '0') point.count = count;
  const sum = optionalDoubleField(o, 'sum', path);
  if (sum !== undefined && !isDefaultDouble(sum)) point.sum = sum;
  const quantiles = mapMessages(o, 'quantileValues', path, readQuantile);
  if (quantiles) point.quantileValues = quantiles;
  const flags = uint32Field(o, 'flags', path);
  if (flags !== 0) point.flags = flags;
  return point;
}

function readQuantile(o: Json, path: Path): SummaryValueAtQuantile {
  const out: SummaryValueAtQuantile = {};
  const quantile = optionalDoubleField(o, 'quantile', path);
  if (quantile !== undefined && !isDefaultDouble(quantile)) out.quantile = quantile;
  const value = optionalDoubleField(o, 'value', path);
  if (value !== undefined && !isDefaultDouble(value)) out.value = value;
  return out;
}

function readExemplar(o: Json, path: Path): Exemplar {
  const exemplar: Exemplar = {};
  const filtered = keyValuesField(o, 'filteredAttributes', path);
  if (filtered) exemplar.filteredAttributes = filtered;
  const time = uint64Field(o, 'timeUnixNano', path);
  if (time !== '0') exemplar.timeUnixNano = time;
  readNumberValue(exemplar, o, path);
  const spanId = hexIdField(o, 'spanId', path);
  if (spanId !== '') exemplar.spanId = spanId;
  const traceId = hexIdField(o, 'traceId', path);
  if (traceId !== '') exemplar.traceId = traceId;
  return exemplar;
}

function uint64List(o: Json, key: string, path: Path): string[] | undefined {
  const arr = arrayField(o, key, path);
  if (arr === undefined) return undefined;
  const out: string[] = [];
  for (let i = 0; i < arr.length; i++) out.push(toInt64String(arr[i], false, path, key, i));
  return out;
}

function doubleList(o: Json, key: string, path: Path): number[] | undefined {
  const arr = arrayField(o, key, path);
  if (arr === undefined) return undefined;
  const out: number[] = [];
  for (let i = 0; i < arr.length; i++) out.push(toDouble(arr[i], path, key, i));
  return out;
}
