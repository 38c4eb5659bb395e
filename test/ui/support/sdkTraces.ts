// Sending telemetry to a test engine with the real OpenTelemetry SDK and its OTLP/proto
// exporters. Spans are recorded in memory first (with the times the test chose), then
// exported in batches, so even 100,000 spans arrive whole.

import { context, trace, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import type { LogBody } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

const BATCH = 5000;

export class TraceRecorder {
  private readonly memory = new InMemorySpanExporter();
  private readonly providers = new Map<string, BasicTracerProvider>();

  tracer(service: string, attributes: Record<string, string | number> = {}): Tracer {
    let provider = this.providers.get(service);
    if (!provider) {
      provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service, ...attributes }),
        spanProcessors: [new SimpleSpanProcessor(this.memory)],
        spanLimits: { attributeValueLengthLimit: Infinity, attributeCountLimit: 512, eventCountLimit: 512, linkCountLimit: 128 },
      });
      this.providers.set(service, provider);
    }
    return provider.getTracer('loupe-ui-test', '1.0.0');
  }

  get spans(): ReadableSpan[] {
    return this.memory.getFinishedSpans();
  }

  /** Exports everything recorded so far, then forgets it. */
  async send(engineUrl: string): Promise<ReadableSpan[]> {
    const spans = this.spans;
    const exporter = new OTLPTraceExporter({ url: `${engineUrl}/v1/traces`, timeoutMillis: 60_000 });
    for (let i = 0; i < spans.length; i += BATCH) {
      await new Promise<void>((resolve, reject) => exporter.export(spans.slice(i, i + BATCH), (r) => (r.code === 0 ? resolve() : reject(r.error ?? new Error('export failed')))));
    }
    await exporter.shutdown();
    this.memory.reset();
    return spans;
  }
}

/** Starts a span at `startMs` (epoch ms) as a child of `parent`, ends it at `endMs`. */
export function span(tracer: Tracer, name: string, parent: Span | undefined, startMs: number, endMs: number, options: SpanOptions = {}, body?: (s: Span) => void): Span {
  const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
  const s = tracer.startSpan(name, { ...options, startTime: startMs }, ctx);
  body?.(s);
  s.end(endMs);
  return s;
}

export interface LogLine {
  /** A string, or a structured (map) body. */
  body: string | Record<string, unknown>;
  severityNumber: number;
  severityText: string;
  span?: Span;
  timeMs: number;
  attributes?: Record<string, string | number>;
  eventName?: string;
}

/** Sends log records through the SDK's logs pipeline, tied to spans by trace context. */
export async function sendLogs(engineUrl: string, service: string, lines: LogLine[]): Promise<void> {
  const exporter: LogRecordExporter = new OTLPLogExporter({ url: `${engineUrl}/v1/logs` });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    // Batched: the exporter refuses more than 30 exports in flight.
    processors: [new BatchLogRecordProcessor({ exporter, maxQueueSize: 100_000, maxExportBatchSize: 1000, scheduledDelayMillis: 20 })],
  });
  const logger = provider.getLogger('loupe-ui-test');
  for (const l of lines) {
    logger.emit({
      body: l.body as LogBody, severityNumber: l.severityNumber, eventName: l.eventName, severityText: l.severityText, timestamp: l.timeMs,
      attributes: l.attributes, context: l.span ? trace.setSpan(context.active(), l.span) : undefined,
    });
  }
  await provider.forceFlush();
  await provider.shutdown();
}
