// The receivers against the OpenTelemetry JS SDK's own OTLP exporters: what real apps send.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { startOtlpGrpc, type OtlpGrpcListener } from './otlpGrpc.ts';
import { FakeIngest } from './testing/fakeIngest.ts';
import { startOtlpHttpTestServer, type OtlpHttpTestServer } from './testing/otlpHttpServer.ts';

// The exporters type `compression` with an enum from a package we don't depend on directly.
type Compression = NonNullable<NonNullable<ConstructorParameters<typeof GrpcTraceExporter>[0]>['compression']>;
const GZIP = 'gzip' as unknown as Compression;

interface Exporter<T> {
  export(items: T, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

async function exportOnce<T>(exporter: Exporter<T>, items: T): Promise<ExportResult> {
  try {
    return await new Promise<ExportResult>((resolve) => exporter.export(items, resolve));
  } finally {
    await exporter.shutdown();
  }
}

function someSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer('checkout');
  tracer.startSpan('GET /cart').end();
  return memory.getFinishedSpans();
}

async function someLogs(): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
  provider.getLogger('checkout').emit({ body: 'cart loaded' });
  await provider.forceFlush();
  return memory.getFinishedLogRecords();
}

async function someMetrics(): Promise<ResourceMetrics> {
  class CollectOnDemand extends MetricReader {
    protected override async onShutdown(): Promise<void> {}
    protected override async onForceFlush(): Promise<void> {}
  }
  const reader = new CollectOnDemand();
  new MeterProvider({ readers: [reader] }).getMeter('checkout').createCounter('carts').add(2);
  return (await reader.collect()).resourceMetrics;
}

/** Collects the SDK's diagnostic warnings, which is where exporters report partial successes. */
function captureWarnings(): string[] {
  const warnings: string[] = [];
  const keep = (...args: unknown[]): void => void warnings.push(args.map(String).join(' '));
  const ignore = (): void => undefined;
  diag.setLogger({ error: keep, warn: keep, info: ignore, debug: ignore, verbose: ignore }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return warnings;
}

describe('the OpenTelemetry SDK exporters against the receivers', () => {
  const grpcIngest = new FakeIngest();
  let grpcListener: OtlpGrpcListener;
  let http: OtlpHttpTestServer;

  before(async () => {
    grpcListener = await startOtlpGrpc(grpcIngest, { host: '127.0.0.1', port: 0, maxMessageBytes: 4 * 1024 * 1024 });
    http = await startOtlpHttpTestServer(4 * 1024 * 1024);
  });
  after(async () => {
    diag.disable();
    await grpcListener.close();
    await http.close();
  });

  for (const compression of [undefined, GZIP]) {
    const label = compression ? 'with gzip' : 'uncompressed';

    it(`exports spans over gRPC ${label}`, async () => {
      const exporter = new GrpcTraceExporter({ url: `http://127.0.0.1:${grpcListener.port}`, compression });
      const result = await exportOnce(exporter, someSpans());
      assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
      assert.equal(grpcIngest.lastCall?.signal, 'traces');
      assert.ok(grpcIngest.lastCall?.body.includes('GET /cart'));
    });

    it(`exports spans over HTTP/protobuf ${label}`, async () => {
      const exporter = new ProtoTraceExporter({ url: `${http.url}/v1/traces`, compression });
      const result = await exportOnce(exporter, someSpans());
      assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
      assert.equal(http.ingest.lastCall?.encoding, 'protobuf');
      assert.ok(http.ingest.lastCall?.body.includes('GET /cart'));
    });

    it(`exports spans over HTTP/JSON ${label}`, async () => {
      const exporter = new JsonTraceExporter({ url: `${http.url}/v1/traces`, compression });
      const result = await exportOnce(exporter, someSpans());
      assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
      assert.equal(http.ingest.lastCall?.encoding, 'json');
      const sent = JSON.parse(http.ingest.lastCall?.body.toString() ?? '');
      assert.equal(sent.resourceSpans[0].scopeSpans[0].spans[0].name, 'GET /cart');
    });
  }

  it('exports logs over HTTP/protobuf and metrics over gRPC', async () => {
    const logs = await exportOnce(new ProtoLogExporter({ url: `${http.url}/v1/logs`, compression: GZIP }), await someLogs());
    assert.equal(logs.code, ExportResultCode.SUCCESS, String(logs.error));
    assert.equal(http.ingest.lastCall?.signal, 'logs');
    assert.ok(http.ingest.lastCall?.body.includes('cart loaded'));
    const metrics = await exportOnce(new GrpcMetricExporter({ url: `http://127.0.0.1:${grpcListener.port}` }), await someMetrics());
    assert.equal(metrics.code, ExportResultCode.SUCCESS, String(metrics.error));
    assert.equal(grpcIngest.lastCall?.signal, 'metrics');
  });

  it('makes the exporters log a partial success, over gRPC, HTTP/protobuf and HTTP/JSON', async () => {
    const warnings = captureWarnings();
    grpcIngest.result = http.ingest.result = { rejected: 1, message: 'one span had a 3-byte trace id' };
    try {
      const exporters = [
        new GrpcTraceExporter({ url: `http://127.0.0.1:${grpcListener.port}` }),
        new ProtoTraceExporter({ url: `${http.url}/v1/traces` }),
        new JsonTraceExporter({ url: `${http.url}/v1/traces` }),
      ];
      for (const exporter of exporters) {
        const result = await exportOnce(exporter, someSpans());
        assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
      }
    } finally {
      grpcIngest.result = http.ingest.result = { rejected: 0 };
    }
    const partial = warnings.filter((w) => w.includes('Partial Success'));
    assert.equal(partial.length, 3, warnings.join('\n'));
    for (const warning of partial) {
      assert.match(warning, /"rejectedSpans":("1"|1).*"errorMessage":"one span had a 3-byte trace id"/);
    }
  });
});
