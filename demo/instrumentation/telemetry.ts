// The OpenTelemetry SDK set up by hand for one service: traces, logs and metrics, each
// exported over OTLP/HTTP (protobuf) to Loupe. Both demo services run in one process,
// so each has its own providers (and so its own service.name) rather than global ones.

import { randomUUID } from 'node:crypto';
import { context, propagation, type Meter, type Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface ServiceTelemetry {
  service: string;
  tracer: Tracer;
  logger: Logger;
  meter: Meter;
  /** Sends what is still buffered, then stops; says what could not be sent. */
  shutdown(): Promise<string[]>;
}

/**
 * Process-wide, once: the active span follows async calls (AsyncLocalStorage), and
 * crosses HTTP as a W3C `traceparent` header.
 */
export function registerContextPropagation(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/** Export often: a demo should look live. */
const EXPORT_DELAY_MS = 1000;
const METRIC_INTERVAL_MS = 5000;

export function startServiceTelemetry(service: { name: string; version: string }, otlpEndpoint: string): ServiceTelemetry {
  const resource = defaultResource().merge(
    resourceFromAttributes({
      'service.name': service.name,
      'service.version': service.version,
      'service.namespace': 'loupe-demo',
      'service.instance.id': randomUUID(),
      'deployment.environment.name': 'local',
      'process.pid': process.pid,
    }),
  );
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: signalUrl(otlpEndpoint, 'traces') }), { scheduledDelayMillis: EXPORT_DELAY_MS }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: signalUrl(otlpEndpoint, 'logs') }), scheduledDelayMillis: EXPORT_DELAY_MS }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: signalUrl(otlpEndpoint, 'metrics') }),
        exportIntervalMillis: METRIC_INTERVAL_MS,
      }),
    ],
  });
  const scope = 'loupe-demo';
  return {
    service: service.name,
    tracer: tracerProvider.getTracer(scope, service.version),
    logger: loggerProvider.getLogger(scope, service.version),
    meter: meterProvider.getMeter(scope, service.version),
    async shutdown() {
      const results = await Promise.allSettled([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
      return results.flatMap((r) => (r.status === 'rejected' ? [`${service.name}: ${(r.reason as Error).message}`] : []));
    },
  };
}

/**
 * Where one signal goes. When OTEL_EXPORTER_OTLP_*ENDPOINT variables are set (Loupe
 * sets them in VS Code terminals) the exporter reads them itself; otherwise the
 * engine's default address, as 127.0.0.1: "localhost" may resolve to ::1 first.
 */
function signalUrl(endpoint: string, signal: 'traces' | 'logs' | 'metrics'): string | undefined {
  const env = process.env;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`]) return undefined;
  return `${endpoint}/v1/${signal}`;
}
