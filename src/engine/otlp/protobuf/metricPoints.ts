// Decoders for the metric data points and exemplars (opentelemetry/proto/metrics/v1).
// Repeated numeric fields accept both the packed encoding (what encoders send) and the
// unpacked one, as every proto3 parser must.

import type {
  Exemplar, ExponentialHistogramBuckets, ExponentialHistogramDataPoint, HistogramDataPoint, KeyValue,
  NumberDataPoint, SummaryDataPoint, SummaryValueAtQuantile,
} from '../../../protocol/otlp.ts';
import { readKeyValue } from './common.ts';
import { readFixed64Decimal, readSfixed64Decimal } from './decimal.ts';
import { enter, fieldNames, isDefaultDouble, leave, skipField, zigzag32 } from './message.ts';
import { DecodeError, type WireReader } from './wire.ts';

// Cases are whole tags: field number << 3 | wire type.

const NUMBER_POINT = fieldNames('NumberDataPoint', {
  2: 'start_time_unix_nano', 3: 'time_unix_nano', 4: 'as_double', 5: 'exemplars', 6: 'as_int', 7: 'attributes', 8: 'flags',
});
const HISTOGRAM_POINT = fieldNames('HistogramDataPoint', {
  2: 'start_time_unix_nano', 3: 'time_unix_nano', 4: 'count', 5: 'sum', 6: 'bucket_counts', 7: 'explicit_bounds',
  8: 'exemplars', 9: 'attributes', 10: 'flags', 11: 'min', 12: 'max',
});
const EXPONENTIAL_POINT = fieldNames('ExponentialHistogramDataPoint', {
  1: 'attributes', 2: 'start_time_unix_nano', 3: 'time_unix_nano', 4: 'count', 5: 'sum', 6: 'scale', 7: 'zero_count',
  8: 'positive', 9: 'negative', 10: 'flags', 11: 'exemplars', 12: 'min', 13: 'max', 14: 'zero_threshold',
});
const BUCKETS = fieldNames('ExponentialHistogramDataPoint.Buckets', { 1: 'offset', 2: 'bucket_counts' });
const SUMMARY_POINT = fieldNames('SummaryDataPoint', {
  2: 'start_time_unix_nano', 3: 'time_unix_nano', 4: 'count', 5: 'sum', 6: 'quantile_values', 7: 'attributes', 8: 'flags',
});
const QUANTILE = fieldNames('SummaryDataPoint.ValueAtQuantile', { 1: 'quantile', 2: 'value' });
const EXEMPLAR = fieldNames('Exemplar', {
  2: 'time_unix_nano', 3: 'as_double', 4: 'span_id', 5: 'trace_id', 6: 'as_int', 7: 'filtered_attributes',
});

/** The fields every data point kind has, gathered before the kind-specific ones. */
interface PointBase {
  attributes?: KeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
}

export function readNumberPoint(r: WireReader): NumberDataPoint {
  const outer = enter(r);
  const point: NumberDataPoint = {};
  let start = '0', time = '0', flags = 0;
  let asDouble: number | undefined; // a oneof with asInt: the last one on the wire wins
  let asInt: string | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 17: start = readFixed64Decimal(r); break;
      case 25: time = readFixed64Decimal(r); break;
      case 33: asDouble = r.double(); asInt = undefined; break;
      case 42: (point.exemplars ??= []).push(readExemplar(r)); break;
      case 49: asInt = readSfixed64Decimal(r); asDouble = undefined; break;
      case 58: (point.attributes ??= []).push(readKeyValue(r)); break;
      case 64: flags = r.uint32(); break;
      default: skipField(r, tag, NUMBER_POINT);
    }
  }
  leave(r, outer);
  setTimes(point, start, time);
  if (asDouble !== undefined) point.asDouble = asDouble;
  if (asInt !== undefined) point.asInt = asInt;
  if (flags !== 0) point.flags = flags;
  return point;
}

export function readHistogramPoint(r: WireReader): HistogramDataPoint {
  const outer = enter(r);
  const point: HistogramDataPoint = {};
  let start = '0', time = '0', count = '0', flags = 0;
  let sum: number | undefined, min: number | undefined, max: number | undefined;
  let bucketCounts: string[] | undefined, bounds: number[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 17: start = readFixed64Decimal(r); break;
      case 25: time = readFixed64Decimal(r); break;
      case 33: count = readFixed64Decimal(r); break;
      case 41: sum = r.double(); break;
      case 49: (bucketCounts ??= []).push(readFixed64Decimal(r)); break;
      case 50: readPackedFixed64(r, (bucketCounts ??= []), 'HistogramDataPoint.bucket_counts'); break;
      case 57: (bounds ??= []).push(r.double()); break;
      case 58: readPackedDoubles(r, (bounds ??= []), 'HistogramDataPoint.explicit_bounds'); break;
      case 66: (point.exemplars ??= []).push(readExemplar(r)); break;
      case 74: (point.attributes ??= []).push(readKeyValue(r)); break;
      case 80: flags = r.uint32(); break;
      case 89: min = r.double(); break;
      case 97: max = r.double(); break;
      default: skipField(r, tag, HISTOGRAM_POINT);
    }
  }
  leave(r, outer);
  setTimes(point, start, time);
  if (count !== '0') point.count = count;
  // sum, min and max are proto3 `optional`: present means present, even when 0.
  if (sum !== undefined) point.sum = sum;
  if (bucketCounts && bucketCounts.length > 0) point.bucketCounts = bucketCounts;
  if (bounds && bounds.length > 0) point.explicitBounds = bounds;
  if (flags !== 0) point.flags = flags;
  if (min !== undefined) point.min = min;
  if (max !== undefined) point.max = max;
  return point;
}

export function readExponentialHistogramPoint(r: WireReader): ExponentialHistogramDataPoint {
  const outer = enter(r);
  const point: ExponentialHistogramDataPoint = {};
  let start = '0', time = '0', count = '0', zeroCount = '0', scale = 0, flags = 0, zeroThreshold = 0;
  let sum: number | undefined, min: number | undefined, max: number | undefined;
  let positive: ExponentialHistogramBuckets | undefined, negative: ExponentialHistogramBuckets | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: (point.attributes ??= []).push(readKeyValue(r)); break;
      case 17: start = readFixed64Decimal(r); break;
      case 25: time = readFixed64Decimal(r); break;
      case 33: count = readFixed64Decimal(r); break;
      case 41: sum = r.double(); break;
      case 48: scale = zigzag32(r.uint32()); break;
      case 57: zeroCount = readFixed64Decimal(r); break;
      case 66: positive = readBuckets(r); break;
      case 74: negative = readBuckets(r); break;
      case 80: flags = r.uint32(); break;
      case 90: (point.exemplars ??= []).push(readExemplar(r)); break;
      case 97: min = r.double(); break;
      case 105: max = r.double(); break;
      case 113: zeroThreshold = r.double(); break;
      default: skipField(r, tag, EXPONENTIAL_POINT);
    }
  }
  leave(r, outer);
  setTimes(point, start, time);
  if (count !== '0') point.count = count;
  if (sum !== undefined) point.sum = sum;
  if (scale !== 0) point.scale = scale;
  if (zeroCount !== '0') point.zeroCount = zeroCount;
  if (positive) point.positive = positive;
  if (negative) point.negative = negative;
  if (flags !== 0) point.flags = flags;
  if (min !== undefined) point.min = min;
  if (max !== undefined) point.max = max;
  if (!isDefaultDouble(zeroThreshold)) point.zeroThreshold = zeroThreshold;
  return point;
}

function readBuckets(r: WireReader): ExponentialHistogramBuckets {
  const outer = enter(r);
  let offset = 0;
  let counts: string[] | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: offset = zigzag32(r.uint32()); break;
      case 16: (counts ??= []).push(r.uint64String()); break;
      case 18: {
        const o = enter(r);
        counts ??= [];
        while (r.pos < r.end) counts.push(r.uint64String());
        leave(r, o);
        break;
      }
      default: skipField(r, tag, BUCKETS);
    }
  }
  leave(r, outer);
  const buckets: ExponentialHistogramBuckets = {};
  if (offset !== 0) buckets.offset = offset;
  if (counts && counts.length > 0) buckets.bucketCounts = counts;
  return buckets;
}

export function readSummaryPoint(r: WireReader): SummaryDataPoint {
  const outer = enter(r);
  const point: SummaryDataPoint = {};
  let start = '0', time = '0', count = '0', sum = 0, flags = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 17: start = readFixed64Decimal(r); break;
      case 25: time = readFixed64Decimal(r); break;
      case 33: count = readFixed64Decimal(r); break;
      case 41: sum = r.double(); break;
      case 50: (point.quantileValues ??= []).push(readQuantile(r)); break;
      case 58: (point.attributes ??= []).push(readKeyValue(r)); break;
      case 64: flags = r.uint32(); break;
      default: skipField(r, tag, SUMMARY_POINT);
    }
  }
  leave(r, outer);
  setTimes(point, start, time);
  if (count !== '0') point.count = count;
  if (!isDefaultDouble(sum)) point.sum = sum;
  if (flags !== 0) point.flags = flags;
  return point;
}

function readQuantile(r: WireReader): SummaryValueAtQuantile {
  const outer = enter(r);
  let quantile = 0, value = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 9: quantile = r.double(); break;
      case 17: value = r.double(); break;
      default: skipField(r, tag, QUANTILE);
    }
  }
  leave(r, outer);
  const out: SummaryValueAtQuantile = {};
  if (!isDefaultDouble(quantile)) out.quantile = quantile;
  if (!isDefaultDouble(value)) out.value = value;
  return out;
}

function readExemplar(r: WireReader): Exemplar {
  const outer = enter(r);
  const exemplar: Exemplar = {};
  let time = '0', spanId = '', traceId = '';
  let asDouble: number | undefined;
  let asInt: string | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 17: time = readFixed64Decimal(r); break;
      case 25: asDouble = r.double(); asInt = undefined; break;
      case 34: spanId = r.hex(); break;
      case 42: traceId = r.hex(); break;
      case 49: asInt = readSfixed64Decimal(r); asDouble = undefined; break;
      case 58: (exemplar.filteredAttributes ??= []).push(readKeyValue(r)); break;
      default: skipField(r, tag, EXEMPLAR);
    }
  }
  leave(r, outer);
  if (time !== '0') exemplar.timeUnixNano = time;
  if (asDouble !== undefined) exemplar.asDouble = asDouble;
  if (asInt !== undefined) exemplar.asInt = asInt;
  if (spanId !== '') exemplar.spanId = spanId;
  if (traceId !== '') exemplar.traceId = traceId;
  return exemplar;
}

function setTimes(point: PointBase, start: string, time: string): void {
  if (start !== '0') point.startTimeUnixNano = start;
  if (time !== '0') point.timeUnixNano = time;
}

function readPackedFixed64(r: WireReader, out: string[], field: string): void {
  const end = r.delimitedEnd();
  if ((end - r.pos) % 8 !== 0) throw new DecodeError(`${field}: packed length is not a multiple of 8`);
  while (r.pos < end) out.push(readFixed64Decimal(r));
}

function readPackedDoubles(r: WireReader, out: number[], field: string): void {
  const end = r.delimitedEnd();
  if ((end - r.pos) % 8 !== 0) throw new DecodeError(`${field}: packed length is not a multiple of 8`);
  while (r.pos < end) out.push(r.double());
}
