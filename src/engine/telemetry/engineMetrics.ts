// The engine's own Prometheus metrics (GET /metrics): what it received, rejected and
// evicted, how long OTLP requests took, what the store holds, and request metrics
// derived from the server and consumer spans it received.

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Signal, Transport } from '../ingest/ingest.ts';

const MAX_REQUEST_SERIES = 2000;

type RequestCounter = Counter<'service' | 'route' | 'outcome'>;
type RequestHistogram = Histogram<'service' | 'route'>;
interface RequestSeries { ok: ReturnType<RequestCounter['labels']>; error: ReturnType<RequestCounter['labels']>; duration: ReturnType<RequestHistogram['labels']> }

export class EngineMetrics {
  readonly registry = new Registry();
  private readonly received: Counter<'signal' | 'transport'>;
  private readonly rejected: Counter<'signal' | 'transport'>;
  private readonly evicted: Counter<'signal'>;
  private readonly refusedRequests: Counter<'signal' | 'transport' | 'reason'>;
  private readonly refusedConnections: Counter<'listener'>;
  private readonly requestDuration: Histogram<'signal' | 'transport' | 'code'>;
  private readonly spanRequests: RequestCounter;
  private readonly spanDuration: RequestHistogram;
  private readonly requestSeries = new Map<string, RequestSeries>();

  constructor(storeBytes: () => Record<Signal, number>) {
    const registers = [this.registry];
    this.received = new Counter({ name: 'loupe_received_items_total', help: 'Spans, log records and metric points accepted, by signal and transport.', labelNames: ['signal', 'transport'], registers });
    this.rejected = new Counter({ name: 'loupe_rejected_items_total', help: 'Items rejected as invalid (counted in partial_success), by signal and transport.', labelNames: ['signal', 'transport'], registers });
    this.evicted = new Counter({ name: 'loupe_evicted_items_total', help: 'Items evicted from the store to stay within its memory budget.', labelNames: ['signal'], registers });
    this.refusedRequests = new Counter({ name: 'loupe_refused_requests_total', help: 'Exports turned away unread by backpressure (HTTP 429/503, gRPC UNAVAILABLE), by signal, transport and reason.', labelNames: ['signal', 'transport', 'reason'], registers });
    this.refusedConnections = new Counter({ name: 'loupe_refused_connections_total', help: 'Connections closed on accept because the listener had its maximum open.', labelNames: ['listener'], registers });
    this.requestDuration = new Histogram({
      name: 'loupe_otlp_request_duration_seconds', help: 'Time to receive, decode and store one OTLP export request.',
      labelNames: ['signal', 'transport', 'code'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers,
    });
    new Gauge({
      name: 'loupe_store_bytes', help: 'Estimated memory held by the store, by signal.', labelNames: ['signal'], registers,
      collect() {
        for (const [signal, bytes] of Object.entries(storeBytes())) this.set({ signal }, bytes);
      },
    });
    this.spanRequests = new Counter({ name: 'loupe_span_requests_total', help: 'Requests seen as server or consumer spans, by service, route and outcome.', labelNames: ['service', 'route', 'outcome'], registers });
    this.spanDuration = new Histogram({
      name: 'loupe_span_request_duration_seconds', help: 'Duration of server and consumer spans, by service and route.',
      labelNames: ['service', 'route'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers,
    });
  }

  private processMetricsOn = false;

  /**
   * The exposition text. The process's own figures (CPU, memory, event-loop delay) start
   * with the first scrape: their event-loop monitor lives as long as the process, and
   * only the engine that is scraped (not one holding an opened file) should start it.
   */
  async text(): Promise<string> {
    if (!this.processMetricsOn) {
      this.processMetricsOn = true;
      // prom-client's own names already say what they are (process_cpu_…, nodejs_heap_…).
      collectDefaultMetrics({ register: this.registry, prefix: 'loupe_' });
    }
    return this.registry.metrics();
  }

  exported(signal: Signal, transport: Transport, accepted: number, rejected: number): void {
    if (accepted) this.received.inc({ signal, transport }, accepted);
    if (rejected) this.rejected.inc({ signal, transport }, rejected);
  }

  request(signal: Signal, transport: Transport, code: string, seconds: number): void {
    this.requestDuration.observe({ signal, transport, code }, seconds);
  }

  refusedRequest(signal: Signal, transport: Transport, reason: string): void {
    this.refusedRequests.inc({ signal, transport, reason });
  }

  refusedConnection(listener: Transport): void {
    this.refusedConnections.inc({ listener });
  }

  evictedItems(signal: Signal, count: number): void {
    if (count) this.evicted.inc({ signal }, count);
  }

  /** Called for every stored server/consumer span: label lookups are cached per series. */
  requestSpan(service: string, route: string, durationNs: number, isError: boolean): void {
    let key = service + '\u0000' + route;
    let series = this.requestSeries.get(key);
    // Span names without http.route can be unbounded (ids in paths): cap the series.
    if (!series && this.requestSeries.size >= MAX_REQUEST_SERIES) {
      route = '(other)';
      key = service + '\u0000' + route;
      series = this.requestSeries.get(key);
    }
    if (!series) {
      series = {
        ok: this.spanRequests.labels(service, route, 'ok'),
        error: this.spanRequests.labels(service, route, 'error'),
        duration: this.spanDuration.labels(service, route),
      };
      this.requestSeries.set(key, series);
    }
    (isError ? series.error : series.ok).inc();
    series.duration.observe(durationNs / 1e9);
  }

  reset(): void {
    this.spanRequests.reset();
    this.spanDuration.reset();
    this.requestSeries.clear();
  }
}
