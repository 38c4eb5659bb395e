import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { ResourceMetrics as SdkResourceMetrics } from '@opentelemetry/sdk-metrics';
import { decodeMetricsJson } from '../json/metrics.ts';
import type { Metric, MetricsData } from '../../../protocol/otlp.ts';
import { expectedMetric, expectedResource } from '../testSupport/expectedModel.ts';
import { recordMetrics } from '../testSupport/sdkTelemetry.ts';
import { decodeMetricsRequest } from './metrics.ts';
import { DecodeError, WireType } from './wire.ts';
import { ProtoWriter } from './writer.ts';

describe('decodeMetricsRequest against the SDK protobuf encoder', () => {
  let sdk: SdkResourceMetrics;
  let decoded: MetricsData;
  let metrics: Metric[];
  const byName = (name: string) => metrics.find((m) => m.name === name)!;

  before(async () => {
    sdk = await recordMetrics();
    decoded = decodeMetricsRequest(Buffer.from(ProtobufMetricsSerializer.serializeRequest(sdk)!));
    metrics = decoded.resourceMetrics![0].scopeMetrics![0].metrics!;
  });

  it('decodes every metric and point exactly as the SDK aggregated them', () => {
    const sdkMetrics = sdk.scopeMetrics[0].metrics;
    assert.equal(metrics.length, sdkMetrics.length);
    sdkMetrics.forEach((m, i) => assert.deepEqual(metrics[i], expectedMetric(m), m.descriptor.name));
  });

  it('decodes each data kind', () => {
    assert.deepEqual(byName('requests').sum!.isMonotonic, true);
    assert.deepEqual(byName('requests').sum!.dataPoints!.map((p) => p.asInt), ['3', '4']);
    assert.equal(byName('queue.depth').sum!.dataPoints![0].asInt, '-7'); // sfixed64: signed
    assert.equal(byName('queue.depth').sum!.isMonotonic, undefined);
    assert.equal(byName('temperature').gauge!.dataPoints![0].asDouble, -3.25);
    assert.equal(byName('ratio').gauge!.dataPoints![0].asDouble, 0); // a set oneof stays, even at 0
    const histogram = byName('latency').histogram!.dataPoints![0];
    assert.deepEqual(histogram.bucketCounts, ['1', '1', '2', '1', '1']);
    assert.deepEqual(histogram.explicitBounds, [0, 5, 10, 100]);
    assert.deepEqual([histogram.count, histogram.sum, histogram.min, histogram.max], ['6', 1065, 0, 1000]);
    const exponential = byName('latency.exponential').exponentialHistogram!.dataPoints![0];
    assert.equal(exponential.zeroCount, '1');
    assert.ok(exponential.scale! < 0, 'a wide range forces a negative (zigzag-encoded) scale');
    assert.equal(exponential.positive!.bucketCounts!.reduce((a, b) => a + Number(b), 0), 5);
  });

  it('decodes resource and scope', () => {
    assert.deepEqual(decoded.resourceMetrics![0].resource, expectedResource(sdk.resource));
    assert.deepEqual(decoded.resourceMetrics![0].scopeMetrics![0].scope, { name: 'loupe.metrics', version: '3.0.0' });
  });

  it('agrees exactly with the JSON decoding of the SDK JSON encoding', () => {
    const json = Buffer.from(JsonMetricsSerializer.serializeRequest(sdk)!).toString('utf8');
    assert.deepEqual(decodeMetricsJson(json), decoded);
  });
});

/** Wraps one Metric's bytes in MetricsData → ResourceMetrics → ScopeMetrics. */
function request(writeMetric: (w: ProtoWriter) => void): Buffer {
  const w = new ProtoWriter(16);
  const marks: number[] = [];
  for (const field of [1, 2, 2]) {
    w.tag(field, WireType.LengthDelimited);
    marks.push(w.begin());
  }
  writeMetric(w);
  while (marks.length) w.end(marks.pop()!);
  return w.finish();
}

function message(w: ProtoWriter, field: number, body: () => void): void {
  w.message(field, body);
}

const onlyMetric = (data: MetricsData) => data.resourceMetrics![0].scopeMetrics![0].metrics![0];

describe('decodeMetricsRequest on hand-built messages', () => {
  it('decodes a summary with quantiles', () => {
    const bytes = request((w) => {
      w.tag(1, WireType.LengthDelimited); w.string('rpc.duration');
      message(w, 11, () => message(w, 1, () => {
        w.tag(2, WireType.Fixed64); w.fixed64Decimal('1700000000000000000');
        w.tag(3, WireType.Fixed64); w.fixed64Decimal('1700000000123456789');
        w.tag(4, WireType.Fixed64); w.fixed64Decimal('18446744073709551615');
        w.tag(5, WireType.Fixed64); w.double(12.5);
        for (const [q, v] of [[0, 0.1], [0.5, 0.4], [1, 9]]) {
          message(w, 6, () => {
            w.tag(1, WireType.Fixed64); w.double(q);
            w.tag(2, WireType.Fixed64); w.double(v);
          });
        }
        message(w, 7, () => { w.tag(1, WireType.LengthDelimited); w.string('host'); });
        w.tag(8, WireType.Varint); w.uint32(1);
      }));
    });
    assert.deepEqual(onlyMetric(decodeMetricsRequest(bytes)), {
      name: 'rpc.duration',
      summary: { dataPoints: [{
        attributes: [{ key: 'host' }],
        startTimeUnixNano: '1700000000000000000',
        timeUnixNano: '1700000000123456789',
        count: '18446744073709551615',
        sum: 12.5,
        quantileValues: [{ value: 0.1 }, { quantile: 0.5, value: 0.4 }, { quantile: 1, value: 9 }],
        flags: 1,
      }] },
    });
  });

  it('accepts unpacked repeated numbers and keeps optional zeros', () => {
    const bytes = request((w) => message(w, 9, () => {
      message(w, 1, () => {
        for (const c of ['1', '2']) { w.tag(6, WireType.Fixed64); w.fixed64Decimal(c); } // unpacked
        message(w, 6, () => w.fixed64Decimal('3')); // then packed: both append
        w.tag(7, WireType.Fixed64); w.double(2.5); // unpacked bound
        w.tag(5, WireType.Fixed64); w.double(0); // optional sum, present as 0
        w.tag(11, WireType.Fixed64); w.double(0); // optional min
      });
      w.tag(2, WireType.Varint); w.int32(1);
    }));
    assert.deepEqual(onlyMetric(decodeMetricsRequest(bytes)).histogram, {
      dataPoints: [{ sum: 0, bucketCounts: ['1', '2', '3'], explicitBounds: [2.5], min: 0 }],
      aggregationTemporality: 1,
    });
  });

  it('decodes exponential buckets, negative zigzag scale and offsets, and exemplars', () => {
    const bytes = request((w) => message(w, 10, () => message(w, 1, () => {
      w.tag(6, WireType.Varint); w.sint32(-3);
      w.tag(7, WireType.Fixed64); w.fixed64Decimal('2');
      message(w, 8, () => {
        w.tag(1, WireType.Varint); w.sint32(-2);
        message(w, 2, () => { w.varint64Decimal('5'); w.varint64Decimal('18446744073709551615'); });
      });
      message(w, 9, () => {
        w.tag(1, WireType.Varint); w.sint32(7);
        w.tag(2, WireType.Varint); w.varint64Decimal('4'); // unpacked
      });
      w.tag(14, WireType.Fixed64); w.double(1e-9);
      message(w, 11, () => {
        w.tag(2, WireType.Fixed64); w.fixed64Decimal('1700000000000000001');
        w.tag(6, WireType.Fixed64); w.fixed64Decimal('-9223372036854775808'); // as_int, sfixed64
        w.tag(4, WireType.LengthDelimited); w.hexBytes('00f067aa0ba902b7');
        w.tag(5, WireType.LengthDelimited); w.hexBytes('4bf92f3577b34da6a3ce929d0e0e4736');
        message(w, 7, () => { w.tag(1, WireType.LengthDelimited); w.string('user'); });
      });
      message(w, 11, () => { w.tag(3, WireType.Fixed64); w.double(0); });
    })));
    assert.deepEqual(onlyMetric(decodeMetricsRequest(bytes)).exponentialHistogram, {
      dataPoints: [{
        scale: -3, zeroCount: '2',
        positive: { offset: -2, bucketCounts: ['5', '18446744073709551615'] },
        negative: { offset: 7, bucketCounts: ['4'] },
        zeroThreshold: 1e-9,
        exemplars: [
          {
            filteredAttributes: [{ key: 'user' }], timeUnixNano: '1700000000000000001', asInt: '-9223372036854775808',
            spanId: '00f067aa0ba902b7', traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
          },
          { asDouble: 0 },
        ],
      }],
    });
  });

  it('keeps the last data kind when a metric carries two (a oneof), and reads metadata', () => {
    const bytes = request((w) => {
      message(w, 5, () => undefined); // gauge
      message(w, 7, () => { w.tag(3, WireType.Varint); w.uint32(1); }); // sum, monotonic
      message(w, 12, () => { w.tag(1, WireType.LengthDelimited); w.string('meta'); });
    });
    assert.deepEqual(onlyMetric(decodeMetricsRequest(bytes)), { sum: { isMonotonic: true }, metadata: [{ key: 'meta' }] });
  });

  it('rejects a packed fixed64 field whose length is not a multiple of 8', () => {
    const bytes = request((w) => message(w, 9, () => message(w, 1, () => message(w, 6, () => w.uint32(7)))));
    assert.throws(() => decodeMetricsRequest(bytes), { name: 'DecodeError', message: /bucket_counts/ });
  });

  it('names a data point field with the wrong wire type', () => {
    const bytes = request((w) => message(w, 5, () => message(w, 1, () => { w.tag(4, WireType.Varint); w.uint32(1); })));
    assert.throws(() => decodeMetricsRequest(bytes), (err) => err instanceof DecodeError && /NumberDataPoint\.as_double/.test(err.message));
  });
});
