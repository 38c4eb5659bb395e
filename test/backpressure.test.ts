// Backpressure: an engine that cannot keep up refuses exports unread (OTLP/HTTP 429 or
// 503 with Retry-After, OTLP/gRPC UNAVAILABLE with RetryInfo), counts each refusal, and
// the OpenTelemetry SDK's exporters, retrying, deliver everything exactly once. Open
// connections are bounded per port.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AdmissionLimits } from '../src/engine/receivers/admission.ts';
import type { ConnectionLimits } from '../src/engine/connectionLimits.ts';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const engines: RunningEngine[] = [];
after(async () => {
  await Promise.all(engines.map((e) => e.close()));
});

async function start(admissionLimits: Partial<AdmissionLimits>, connectionLimits?: Partial<ConnectionLimits>): Promise<RunningEngine> {
  const running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 64 * 1048576, maxBodyBytes: 8 * 1048576, admissionLimits, connectionLimits });
  engines.push(running);
  return running;
}

/** An export whose headers and first bytes are sent but whose body is held back until `finish()`. */
function heldExport(running: RunningEngine, body: Buffer): { finish(): Promise<number> } {
  const req = request(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } });
  const answered = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', reject);
  });
  // A test that fails first leaves it unanswered; the engine's close then resets it.
  answered.catch(() => undefined);
  req.write(body.subarray(0, 10));
  return { finish: () => { req.end(body.subarray(10)); return answered; } };
}

async function post(running: RunningEngine, body: Buffer, contentType = 'application/x-protobuf'): Promise<{ status: number; retryAfter: string | null; text: string }> {
  const res = await fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
}

/** Waits until the held export is admitted (its headers were read): a probe export is then refused. */
async function untilInFlight(running: RunningEngine): Promise<void> {
  for (let i = 0; i < 200; i++) {
    // The held export is admitted once its headers are read; a probe that is refused proves it.
    const probe = await post(running, tracesRequest([validSpan()]));
    if (probe.status === 429) return;
    assert.equal(probe.status, 200, probe.text);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail('the held export never counted as in flight');
}

/** One export over gRPC; with no `client` given, on a channel of its own that is closed after. */
function grpcExport(address: string, body: Buffer, client?: grpc.Client): Promise<{ err: grpc.ServiceError | null }> {
  const channel = client ?? new grpc.Client(address, grpc.credentials.createInsecure());
  const identity = (b: Buffer): Buffer => b;
  return new Promise((resolve) => {
    channel.makeUnaryRequest(TRACE_EXPORT, identity, identity, body, (err) => {
      if (!client) channel.close();
      resolve({ err });
    });
  });
}

/** A tiny reader for google.rpc.Status with a RetryInfo detail: [code, message, type URL, retry seconds]. */
function readStatusDetails(bytes: Buffer): { code: number; message: string; typeUrl: string; seconds: number } {
  const fields = (buf: Buffer): Map<number, (number | Buffer)[]> => {
    const out = new Map<number, (number | Buffer)[]>();
    let pos = 0;
    const varint = (): number => {
      let n = 0;
      for (let scale = 1; ; scale *= 128) {
        const b = buf[pos++];
        n += (b & 0x7f) * scale;
        if (b < 0x80) return n;
      }
    };
    while (pos < buf.length) {
      const tag = varint();
      let value: number | Buffer;
      if ((tag & 7) === 0) value = varint();
      else {
        const length = varint();
        value = buf.subarray(pos, pos + length);
        pos += length;
      }
      out.set(tag >> 3, [...(out.get(tag >> 3) ?? []), value]);
    }
    return out;
  };
  const status = fields(bytes);
  const any = fields(status.get(3)![0] as Buffer);
  const retryInfo = fields(any.get(2)![0] as Buffer);
  const duration = fields(retryInfo.get(1)![0] as Buffer);
  return {
    code: status.get(1)![0] as number,
    message: (status.get(2)![0] as Buffer).toString(),
    typeUrl: (any.get(1)![0] as Buffer).toString(),
    seconds: duration.get(1)![0] as number,
  };
}

function spansOf(count: number, name: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer('backpressure');
  for (let i = 0; i < count; i++) tracer.startSpan(`${name} ${i}`).end();
  return memory.getFinishedSpans();
}

describe('backpressure', () => {
  it('answers 429 with Retry-After while too many bytes are in flight, stores nothing of it, and counts it', async () => {
    const running = await start({ maxInFlightBytes: 1 });
    const held = heldExport(running, tracesRequest([validSpan(), validSpan()]));
    await untilInFlight(running);
    const stored = running.engine.traces.spanCount;
    const refused = await post(running, tracesRequest([validSpan()]));
    assert.equal(refused.status, 429);
    assert.match(refused.retryAfter ?? '', /^[123]$/, 'a second, spread over three so that clients refused together come back apart');
    // The body is a google.rpc.Status in the request's encoding (protobuf here): its message is readable in it.
    assert.match(refused.text, /Loupe is storing \d+ bytes of exports already.*Retry-After/);
    assert.equal(running.engine.traces.spanCount, stored, 'nothing of the refused export is stored');
    assert.equal(await held.finish(), 200);
    assert.equal(running.engine.traces.spanCount, stored + 2);
    const accepted = await post(running, tracesRequest([validSpan()]));
    assert.equal(accepted.status, 200, 'admitted again once nothing is in flight');
    const status = (await (await fetch(`${running.httpUrl}/api/status`)).json()) as { dropped: { refusedRequests: number } };
    assert.equal(status.dropped.refusedRequests, running.engine.refusedRequests);
    assert.ok(running.engine.refusedRequests >= 2, 'the probe and the refused export');
    const metrics = await (await fetch(`${running.httpUrl}/metrics`)).text();
    assert.match(metrics, new RegExp(`loupe_refused_requests_total\\{signal="traces",transport="http",reason="in-flight"\\} ${running.engine.refusedRequests}`));
  });

  it('answers OTLP/gRPC with UNAVAILABLE, RetryInfo and a pushback, and a client with a retry policy gets through', async () => {
    const running = await start({ maxInFlightBytes: 1 });
    const held = heldExport(running, tracesRequest([validSpan()]));
    await untilInFlight(running);
    const { err } = await grpcExport(running.grpcAddress, tracesRequest([validSpan()]));
    assert.equal(err?.code, grpc.status.UNAVAILABLE);
    const pushback = String(err?.metadata.get('grpc-retry-pushback-ms')[0]);
    assert.match(pushback, /^[123]000$/);
    const details = readStatusDetails(err?.metadata.get('grpc-status-details-bin')[0] as Buffer);
    assert.equal(details.code, grpc.status.UNAVAILABLE);
    assert.equal(details.typeUrl, 'type.googleapis.com/google.rpc.RetryInfo');
    assert.equal(details.seconds * 1000, Number(pushback), 'the same delay both ways');
    assert.match(details.message, /Loupe is storing/);

    // A client with a retry policy (as Go and Java SDKs have) waits the pushback and sends again.
    const serviceConfig = { methodConfig: [{ name: [{ service: 'opentelemetry.proto.collector.trace.v1.TraceService' }], retryPolicy: { maxAttempts: 5, initialBackoff: '0.1s', maxBackoff: '2s', backoffMultiplier: 2, retryableStatusCodes: ['UNAVAILABLE'] } }] };
    const retrying = new grpc.Client(running.grpcAddress, grpc.credentials.createInsecure(), { 'grpc.service_config': JSON.stringify(serviceConfig) });
    const before = { refused: running.engine.refusedRequests, spans: running.engine.traces.spanCount };
    const retried = grpcExport(running.grpcAddress, tracesRequest([validSpan(), validSpan(), validSpan()]), retrying);
    const heldDone = new Promise<number>((resolve) => setTimeout(() => resolve(held.finish()), 300));
    assert.equal((await retried).err, null);
    assert.equal(await heldDone, 200);
    retrying.close();
    assert.ok(running.engine.refusedRequests > before.refused, 'refused first');
    assert.equal(running.engine.traces.spanCount, before.spans + 1 + 3, 'the held export and the retried one, each once');
  });

  it('refuses with 503 while the event loop is behind, and the SDK exporters deliver every span exactly once', async () => {
    // An engine slowed on purpose: its first exports take 200 ms of the event loop each, so
    // an export that arrives meanwhile finds the loop more than 100 ms behind; then it
    // catches up, and the retries go through before the SDK's own timeout. (Every export
    // at 40 ms refused only in bursts a quiet machine did not always make; every export at
    // 200 ms refused so often that an exporter ran out of retries.)
    const running = await start({ maxLagMs: 100, busyUtilization: 0 });
    const engine = running.engine;
    const exportFast = engine.export.bind(engine);
    let slow = 4;
    engine.export = (...args) => {
      const until = performance.now() + (slow-- > 0 ? 200 : 0);
      while (performance.now() < until) { /* busy, as a slow decoder would be */ }
      return exportFast(...args);
    };
    // Eight apps, each exporting one batch at a time as the SDK's batch processor does.
    const url = `${running.httpUrl}/v1/traces`;
    const exporters = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => i % 4 === 0 ? new ProtoTraceExporter({ url })
      : i % 4 === 1 ? new JsonTraceExporter({ url, compression: 'gzip' as never })
      : i % 4 === 2 ? new JsonTraceExporter({ url })
      : new ProtoTraceExporter({ url, compression: 'gzip' as never }));
    const results: ExportResult[] = [];
    await Promise.all(exporters.map(async (exporter, e) => {
      for (let b = 0; b < 3; b++) {
        results.push(await new Promise<ExportResult>((resolve) => exporter.export(spansOf(10, `exporter ${e} batch ${b}`), resolve)));
      }
      await exporter.shutdown();
    }));
    for (const r of results) assert.equal(r.code, ExportResultCode.SUCCESS, String(r.error));
    assert.equal(engine.traces.spanCount, 8 * 3 * 10, 'every span stored, none twice');
    assert.ok(engine.refusedRequests > 0, 'some exports were refused and retried');
    const metrics = await (await fetch(`${running.httpUrl}/metrics`)).text();
    assert.match(metrics, /loupe_refused_requests_total\{signal="traces",transport="http",reason="lagging"\} [1-9]/);
    assert.match(metrics, /loupe_otlp_request_duration_seconds_count\{signal="traces",transport="http",code="503"\} [1-9]/);
  });

  it('closes connections over the bound at once, counts them, and serves again once one closes', async () => {
    const running = await start({}, { maxConnections: 3 });
    for (const [listener, port] of [['http', new URL(running.httpUrl).port], ['grpc', String(running.grpcPort)]] as const) {
      const open: Socket[] = [];
      for (let i = 0; i < 3; i++) open.push(await connected(Number(port)));
      const extra = await connected(Number(port));
      // Closed by the engine, without a byte: the port is full.
      await new Promise<void>((resolve) => { if (extra.destroyed) resolve(); else extra.once('close', () => resolve()); });
      open.pop()!.destroy();
      await new Promise((r) => setTimeout(r, 50));
      const text = await (await fetch(`${running.httpUrl}/metrics`)).text();
      assert.match(text, new RegExp(`loupe_refused_connections_total\\{listener="${listener}"\\} [1-9]`));
      for (const s of open) s.destroy();
    }
    const { err } = await grpcExport(running.grpcAddress, tracesRequest([validSpan()]));
    assert.equal(err, null);
    assert.equal((await post(running, tracesRequest([validSpan()]))).status, 200);
  });
});

function connected(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

