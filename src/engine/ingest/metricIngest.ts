// Metric ingest: decode (either encoding) and store points by series.

import { decodeMetricsJson } from '../otlp/json/metrics.ts';
import { decodeMetricsRequest } from '../otlp/protobuf/metrics.ts';
import type { Metric, MetricsData } from '../../protocol/otlp.ts';
import type { MetricStore } from '../store/metricStore.ts';
import type { Encoding, ExportResult } from './ingest.ts';
import { Rejections } from './rejections.ts';

export class MetricIngest {
  lastAccepted = 0;

  constructor(private readonly store: MetricStore) {}

  export(body: Buffer, encoding: Encoding): ExportResult {
    const data: MetricsData = encoding === 'protobuf' ? decodeMetricsRequest(body) : decodeMetricsJson(body.toString('utf8'));
    const rejections = new Rejections();
    let accepted = 0;
    for (const rm of data.resourceMetrics ?? []) {
      const resource = rm.resource ?? {};
      const resourceKey = JSON.stringify(resource);
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) {
          if (!metric.name) {
            rejections.add('a metric must have a name', dataPointCount(metric));
            continue;
          }
          accepted += this.store.add(metric, resource, resourceKey, sm.scope ?? {});
        }
      }
    }
    this.lastAccepted = accepted;
    return rejections.result('data points');
  }
}

/** partial_success counts data points (`rejected_data_points`). */
function dataPointCount(metric: Metric): number {
  const data = metric.gauge ?? metric.sum ?? metric.histogram ?? metric.exponentialHistogram ?? metric.summary;
  return Math.max(1, data?.dataPoints?.length ?? 0);
}
