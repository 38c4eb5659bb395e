// The optional API key, with the OpenTelemetry SDK's own exporters configured the way
// the extension configures apps (OTEL_EXPORTER_OTLP_HEADERS from otelEnvironment), and
// the browser origins allowed with --cors-origin.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import { otelEnvironment } from '../src/extension/environment/otelEnvironment.ts';
import { apiKeyCheck } from '../src/engine/receivers/apiKey.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

const KEY = 's3cret-Key_0123456789';

let running: RunningEngine;
before(async () => {
  running = await startEngine({
    host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 16 * 1048576, maxBodyBytes: 1048576,
    apiKey: KEY, corsOrigins: ['http://myapp.test:8080'],
  });
  diag.disable();
});
after(async () => { await running.close(); });
afterEach(() => { delete process.env.OTEL_EXPORTER_OTLP_HEADERS; });

function someSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer('checkout');
  tracer.startSpan('GET /cart').end();
  return memory.getFinishedSpans();
}

async function exportWith(exporter: ProtoTraceExporter | GrpcTraceExporter): Promise<ExportResult> {
  try {
    return await new Promise<ExportResult>((resolve) => exporter.export(someSpans(), resolve));
  } finally {
    await exporter.shutdown();
  }
}

/** Exporters read OTEL_EXPORTER_OTLP_HEADERS when they are made: set it as a terminal would have it. */
function withInjectedEnvironment<T>(apiKey: string | undefined, make: () => T): T {
  const env = otelEnvironment(running.httpUrl, apiKey);
  if (env.OTEL_EXPORTER_OTLP_HEADERS) process.env.OTEL_EXPORTER_OTLP_HEADERS = env.OTEL_EXPORTER_OTLP_HEADERS;
  else delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
  return make();
}

const spans = () => running.engine.traces.spanCount;

function post(path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: running.httpPort, method: 'POST', path, headers }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the API key, with the SDK exporters as the extension configures them', () => {
  it('OTLP/HTTP: the injected header passes, a missing or wrong one gets 401 and nothing is stored', async () => {
    const start = spans();
    const ok = await exportWith(withInjectedEnvironment(KEY, () => new ProtoTraceExporter({ url: `${running.httpUrl}/v1/traces` })));
    assert.equal(ok.code, ExportResultCode.SUCCESS, ok.error?.message);
    assert.equal(spans(), start + 1);

    const missing = await exportWith(withInjectedEnvironment(undefined, () => new ProtoTraceExporter({ url: `${running.httpUrl}/v1/traces` })));
    assert.equal(missing.code, ExportResultCode.FAILED);
    const wrong = await exportWith(withInjectedEnvironment(`${KEY}x`, () => new ProtoTraceExporter({ url: `${running.httpUrl}/v1/traces` })));
    assert.equal(wrong.code, ExportResultCode.FAILED);
    assert.equal(spans(), start + 1);

    const raw = await post('/v1/traces', { 'content-type': 'application/json' }, Buffer.from('{}'));
    assert.equal(raw.status, 401);
    assert.match(raw.text, /x-otlp-api-key/);
  });

  it('OTLP/gRPC: the injected metadata passes, a missing one gets UNAUTHENTICATED', async () => {
    const url = `http://${running.grpcAddress}`;
    const start = spans();
    const ok = await exportWith(withInjectedEnvironment(KEY, () => new GrpcTraceExporter({ url })));
    assert.equal(ok.code, ExportResultCode.SUCCESS, ok.error?.message);
    assert.equal(spans(), start + 1);
    const missing = await exportWith(withInjectedEnvironment(undefined, () => new GrpcTraceExporter({ url })));
    assert.equal(missing.code, ExportResultCode.FAILED);
    // grpc-js reports "16 UNAUTHENTICATED: <details>".
    assert.match(String(missing.error?.message), /UNAUTHENTICATED|16/);
    assert.match(String(missing.error?.message), /x-otlp-api-key/);
    assert.equal(spans(), start + 1);
  });

  it('the query API and UI need no key (the key guards what is stored, the Host and Origin checks guard reads)', async () => {
    assert.equal((await fetch(`${running.httpUrl}/api/status`)).status, 200);
  });

  it('compares keys of any length without throwing', () => {
    const check = apiKeyCheck(KEY);
    assert.equal(check(KEY), true);
    for (const given of ['', 'x', KEY.slice(0, -1), `${KEY}${KEY}`, 'é'.repeat(1000)]) assert.equal(check(given), false);
    assert.equal(check([KEY, KEY]), false, 'a repeated header is refused');
    assert.equal(check(undefined), false);
    assert.equal(apiKeyCheck(undefined)(undefined), true);
  });
});

describe('browser apps on origins allowed with --cors-origin', () => {
  const headers = (origin: string) => ({ host: `127.0.0.1:${running.httpPort}`, origin, 'x-otlp-api-key': KEY, 'content-type': 'application/x-protobuf' });

  it('may send OTLP and read the answer; the preflight allows the API key header', async () => {
    const preflight = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1', port: running.httpPort, method: 'OPTIONS', path: '/v1/traces',
        headers: { origin: 'http://myapp.test:8080', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-otlp-api-key' },
      }, (res) => { res.resume(); res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers })); });
      req.on('error', reject);
      req.end();
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'http://myapp.test:8080');
    assert.match(String(preflight.headers['access-control-allow-headers']), /x-otlp-api-key/);
    const sent = await post('/v1/traces', headers('http://myapp.test:8080'), tracesRequest([validSpan()]));
    assert.equal(sent.status, 200);
    assert.equal(sent.headers['access-control-allow-origin'], 'http://myapp.test:8080');
  });

  it('exactly those origins: another port, scheme or sub-domain is refused, and so is the query API', async () => {
    for (const origin of ['http://myapp.test:8081', 'https://myapp.test:8080', 'http://evil.myapp.test:8080', 'http://myapp.test:8080.evil.example']) {
      assert.equal((await post('/v1/traces', headers(origin), tracesRequest([validSpan()]))).status, 403, origin);
    }
    assert.equal((await post('/api/shutdown', headers('http://myapp.test:8080'))).status, 403);
    const read = await fetch(`${running.httpUrl}/api/status`, { headers: { origin: 'http://myapp.test:8080' } });
    assert.equal(read.status, 403);
  });
});
