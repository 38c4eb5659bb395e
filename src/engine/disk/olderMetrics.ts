// Request metrics of the last session's older segments (those not loaded back into memory
// on start) are counted into the golden signals derived from metrics, as spans are into
// the span-derived ones. Their points go through a metric store of their own, let go at
// once: only its series stay, so a counter's next point counts from the one before it.

import type { Encoding } from '../ingest/ingest.ts';
import { MetricIngest } from '../ingest/metricIngest.ts';
import type { MetricSignals } from '../signals/fromMetrics/metricSignals.ts';
import { MetricStore } from '../store/metricStore.ts';

/** Counts one metrics request body into `signals`; throws as the ingest does on a body it cannot decode. */
export function olderMetricsCounter(signals: MetricSignals): (body: Buffer, encoding: Encoding) => void {
  const store = new MetricStore();
  store.observer = (series, point, service) => signals.add(series, point, service);
  const ingest = new MetricIngest(store);
  return (body, encoding) => {
    ingest.export(body, encoding);
    while (store.pointCount > 0) store.evictOldest();
  };
}
