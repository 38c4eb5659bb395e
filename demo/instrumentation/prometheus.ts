// A service's Prometheus metrics (prom-client), served at its own /metrics: the
// RED metrics of its HTTP server, plus Node's process metrics.

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class HttpMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status_code'>;
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  readonly inFlight: Gauge<'method' | 'route'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'http_server_requests_total',
      help: 'HTTP requests handled, by route and status code.',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Time from request received to response sent.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.inFlight = new Gauge({
      name: 'http_server_requests_in_flight',
      help: 'Requests being handled right now.',
      labelNames: ['method', 'route'],
      registers,
    });
  }

  /** A counter the application defines for itself, in the same registry. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
