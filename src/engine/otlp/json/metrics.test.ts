import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Metric, MetricsData } from '../../../protocol/otlp.ts';
import { DecodeError } from '../protobuf/wire.ts';
import { decodeMetricsJson } from './metrics.ts';

const EXAMPLES = '/work/shared/reference/otlp/examples';
const withMetric = (json: string) => `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[${json}]}]}]}`;
const onlyMetric = (data: MetricsData): Metric => data.resourceMetrics![0].scopeMetrics![0].metrics![0];

describe('decodeMetricsJson', () => {
  it('decodes the specification example, keeping optional zeros and dropping default ones', () => {
    const metrics = decodeMetricsJson(readFileSync(`${EXAMPLES}/metrics.json`, 'utf8')).resourceMetrics![0].scopeMetrics![0].metrics!;
    assert.deepEqual(metrics.map((m) => m.name), ['my.counter', 'my.gauge', 'my.histogram', 'my.exponential.histogram']);
    assert.deepEqual(metrics[0].sum, {
      aggregationTemporality: 1, isMonotonic: true,
      dataPoints: [{
        attributes: [{ key: 'my.counter.attr', value: { stringValue: 'some value' } }],
        startTimeUnixNano: '1544712660300000000', timeUnixNano: '1544712660300000000', asDouble: 5,
      }],
    });
    const histogram = metrics[2].histogram!.dataPoints![0];
    assert.deepEqual([histogram.count, histogram.sum, histogram.bucketCounts, histogram.explicitBounds, histogram.min, histogram.max],
      ['2', 2, ['1', '1'], [1], 0, 2]);
    const exponential = metrics[3].exponentialHistogram!.dataPoints![0];
    assert.equal(exponential.scale, undefined); // 0 is the default of a plain field
    assert.equal(exponential.zeroThreshold, undefined);
    assert.equal(exponential.min, 0); // min is `optional`: present means present
    assert.deepEqual(exponential.positive, { offset: 1, bucketCounts: ['0', '2'] });
  });

  it('decodes summaries, exemplars and special doubles', () => {
    const metric = onlyMetric(decodeMetricsJson(withMetric(`{
      "name": "s", "metadata": [{"key": "m", "value": {"stringValue": "v"}}],
      "summary": {"dataPoints": [{"count": 18446744073709551615, "sum": "Infinity", "flags": "1",
        "quantileValues": [{"quantile": 0, "value": 1}, {"quantile": "0.99", "value": "NaN"}]}]}
    }`)));
    assert.deepEqual(metric, {
      name: 's',
      summary: { dataPoints: [{
        count: '18446744073709551615', sum: Infinity, flags: 1,
        quantileValues: [{ value: 1 }, { quantile: 0.99, value: NaN }],
      }] },
      metadata: [{ key: 'm', value: { stringValue: 'v' } }],
    });
    const gauge = onlyMetric(decodeMetricsJson(withMetric(`{"gauge": {"dataPoints": [{"asInt": 0, "exemplars": [
      {"asInt": "-5", "timeUnixNano": "1", "spanId": "00F067AA0BA902B7", "filteredAttributes": [{"key": "u"}]},
      {"asDouble": 0}
    ]}]}}`))).gauge!;
    assert.deepEqual(gauge, { dataPoints: [{ asInt: '0', exemplars: [
      { filteredAttributes: [{ key: 'u' }], timeUnixNano: '1', asInt: '-5', spanId: '00f067aa0ba902b7' },
      { asDouble: 0 },
    ] }] });
  });

  it('decodes exponential histograms with negative scale and buckets', () => {
    const metric = onlyMetric(decodeMetricsJson(withMetric(`{"exponentialHistogram": {"aggregationTemporality": 2, "dataPoints": [{
      "scale": -4, "zeroCount": 3, "zeroThreshold": 1e-9, "sum": 0,
      "positive": {"offset": -3, "bucketCounts": [1, "2"]}, "negative": {}
    }]}}`)));
    assert.deepEqual(metric.exponentialHistogram, { aggregationTemporality: 2, dataPoints: [{
      sum: 0, scale: -4, zeroCount: '3', positive: { offset: -3, bucketCounts: ['1', '2'] }, negative: {}, zeroThreshold: 1e-9,
    }] });
  });

  it('rejects invalid shapes with the field path', () => {
    const rejects = (json: string, message: RegExp) =>
      assert.throws(() => decodeMetricsJson(withMetric(json)), (err) => err instanceof DecodeError && message.test(err.message));
    rejects('{"gauge": {}, "sum": {}}', /metrics\[0\]: more than one data kind/);
    rejects('{"sum": {"isMonotonic": 1}}', /metrics\[0\]\.sum\.isMonotonic: expected a boolean/);
    rejects('{"histogram": {"dataPoints": [{"bucketCounts": [1, 2.5]}]}}', /dataPoints\[0\]\.bucketCounts\[1\]: expected an integer/);
    rejects('{"histogram": {"dataPoints": [{"explicitBounds": [1, "x"]}]}}', /dataPoints\[0\]\.explicitBounds\[1\]: expected a number/);
    rejects('{"gauge": {"dataPoints": [{"asInt": 1, "asDouble": 1}]}}', /dataPoints\[0\]: both asDouble and asInt/);
    rejects('{"gauge": {"dataPoints": [{"exemplars": [{"traceId": "xyz0"}]}]}}', /exemplars\[0\]\.traceId: expected an id in hex/);
    rejects('{"sum": {"aggregationTemporality": "AGGREGATION_TEMPORALITY_DELTA"}}', /sum\.aggregationTemporality: expected an integer/);
  });
});
