// The server's request metrics, twice over: Prometheus (scraped from /metrics) and
// OpenTelemetry (pushed over OTLP with the semantic-convention names), as services
// that are moving from one to the other often do.

import type { Meter } from '@opentelemetry/api';
import type { HttpMetrics } from './prometheus.ts';

export class RequestMetrics {
  private readonly duration;
  private readonly active;

  constructor(
    meter: Meter,
    private readonly prometheus: HttpMetrics,
  ) {
    this.duration = meter.createHistogram('http.server.request.duration', {
      unit: 's',
      description: 'Duration of HTTP server requests.',
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] },
    });
    this.active = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}', description: 'Requests being handled.' });
  }

  /** Counts the request as in flight; the returned function records its end. */
  start(method: string, route: string | undefined): (status: number) => void {
    const started = performance.now();
    const labels = { method, route: route ?? 'unmatched' };
    this.prometheus.inFlight.inc(labels);
    this.active.add(1, { 'http.request.method': method });
    return (status) => {
      const seconds = (performance.now() - started) / 1000;
      const statusLabels = { ...labels, status_code: String(status) };
      this.prometheus.inFlight.dec(labels);
      this.prometheus.requests.inc(statusLabels);
      this.prometheus.duration.observe(statusLabels, seconds);
      this.active.add(-1, { 'http.request.method': method });
      this.duration.record(seconds, { 'http.request.method': method, 'http.response.status_code': status, ...(route ? { 'http.route': route } : {}) });
    };
  }
}
