// Forwarding: what the engine receives reaches an upstream OTLP endpoint unchanged —
// a second engine, or stand-ins that record bytes or misbehave on purpose.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startOtlpGrpc } from '../src/engine/receivers/otlpGrpc.ts';
import { startOtlpHttpTestServer } from '../src/engine/receivers/testing/otlpHttpServer.ts';
import { FakeIngest } from '../src/engine/receivers/testing/fakeIngest.ts';
import type { RunningEngine } from '../src/engine/server.ts';
import type { ForwardStatus } from '../src/protocol/forward.ts';
import type { StatusResponse, TracesResponse } from '../src/protocol/api.ts';
import { getJson, startTestEngine } from './support/engine.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

const closers: (() => Promise<void>)[] = [];
after(async () => { for (const close of closers.reverse()) await close(); });

async function engine(): Promise<RunningEngine> {
  const running = await startTestEngine();
  closers.push(() => running.close());
  return running;
}

async function putForward(running: RunningEngine, settings: Record<string, unknown>): Promise<{ status: number; body: ForwardStatus & { error?: string } }> {
  const res = await fetch(`${running.httpUrl}/api/forward`, { method: 'PUT', body: JSON.stringify(settings) });
  return { status: res.status, body: await res.json() as ForwardStatus & { error?: string } };
}

async function forwardStatus(running: RunningEngine): Promise<ForwardStatus> {
  return (await getJson<StatusResponse>(running.httpUrl, '/api/status')).body.forward!;
}

/** Polls `check` until it returns true; fails with `what` after a generous while. */
async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`still not true after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function postTraces(running: RunningEngine, body: Buffer, type = 'application/x-protobuf'): Promise<number> {
  const res = await fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': type }, body });
  await res.arrayBuffer();
  return res.status;
}

async function sendSdkTraces(exporter: SpanExporter, service: string, count: number): Promise<void> {
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('forward-test');
  for (let i = 0; i < count; i++) tracer.startSpan(`op ${i}`).end();
  await provider.forceFlush();
  await provider.shutdown();
}

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('forwarding to a second engine', () => {
  it('sends traces, logs and metrics from the real SDK exporters on over OTLP/HTTP; the upstream answers the same queries', async () => {
    const [local, upstream] = await Promise.all([engine(), engine()]);
    const put = await putForward(local, { endpoint: upstream.httpUrl, protocol: 'http' });
    assert.equal(put.status, 200);
    assert.equal(put.body.state, 'idle');
    await sendSdkTraces(new ProtoTraceExporter({ url: `${local.httpUrl}/v1/traces` }), 'proto-svc', 5);
    await sendSdkTraces(new JsonTraceExporter({ url: `${local.httpUrl}/v1/traces` }), 'json-svc', 3);
    const logs = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: new JsonLogExporter({ url: `${local.httpUrl}/v1/logs` }) })] });
    logs.getLogger('forward-test').emit({ body: 'forwarded log line' });
    await logs.forceFlush();
    await logs.shutdown();
    const meters = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: new ProtoMetricExporter({ url: `${local.httpUrl}/v1/metrics` }), exportIntervalMillis: 60_000 })] });
    meters.getMeter('forward-test').createCounter('forwarded.count').add(7);
    await meters.forceFlush();
    await meters.shutdown();

    await eventually('the upstream has the 8 spans, the log and the metric point', async () => {
      const s = (await getJson<StatusResponse>(upstream.httpUrl, '/api/status')).body.counts;
      return s.spans === 8 && s.logs === 1 && s.metricPoints >= 1;
    });
    const mine = (await getJson<TracesResponse>(local.httpUrl, '/api/traces?limit=100')).body.traces;
    const theirs = (await getJson<TracesResponse>(upstream.httpUrl, '/api/traces?limit=100')).body.traces;
    assert.deepEqual(theirs.map((t) => t.traceId).sort(), mine.map((t) => t.traceId).sort());
    const one = mine[0].traceId;
    assert.deepEqual((await getJson(upstream.httpUrl, `/api/traces/${one}`)).body, (await getJson(local.httpUrl, `/api/traces/${one}`)).body);
    const received = (await getJson<StatusResponse>(upstream.httpUrl, '/api/status')).body.counts;
    await eventually('every item counted as forwarded', async () => (await forwardStatus(local)).items.forwarded === received.spans + received.logs + received.metricPoints);
    const settled = await forwardStatus(local);
    assert.equal(settled.items.dropped, 0);
    assert.equal(settled.queue.requests, 0);
    const metrics = await (await fetch(`${local.httpUrl}/metrics`)).text();
    assert.match(metrics, /loupe_forward_items_total\{signal="traces",outcome="forwarded"\} 8/);
  });

  it('sends over OTLP/gRPC, re-encoding OTLP/JSON arrivals as protobuf', async () => {
    const [local, upstream] = await Promise.all([engine(), engine()]);
    assert.equal((await putForward(local, { endpoint: `http://${upstream.grpcAddress}`, protocol: 'grpc', gzip: true })).status, 200);
    await sendSdkTraces(new JsonTraceExporter({ url: `${local.httpUrl}/v1/traces` }), 'json-over-grpc', 4);
    await sendSdkTraces(new ProtoTraceExporter({ url: `${local.httpUrl}/v1/traces` }), 'proto-over-grpc', 2);
    await eventually('the upstream has all 6 spans', async () => (await getJson<StatusResponse>(upstream.httpUrl, '/api/status')).body.counts.spans === 6);
    const mine = (await getJson<TracesResponse>(local.httpUrl, '/api/traces?limit=100')).body.traces;
    for (const t of mine) {
      assert.deepEqual((await getJson(upstream.httpUrl, `/api/traces/${t.traceId}`)).body, (await getJson(local.httpUrl, `/api/traces/${t.traceId}`)).body);
    }
  });
});

describe('forwarding, byte for byte', () => {
  it('passes the request bytes and content type as received, with the configured headers and gzip', async () => {
    const seen: { url?: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
    const capture = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => capture.close(() => r())));
    const local = await engine();
    const base = `http://127.0.0.1:${(capture.address() as AddressInfo).port}/otlp`;
    await putForward(local, { endpoint: base, headers: { 'x-api-key': 'secret-1' }, gzip: true });
    const protobuf = tracesRequest([validSpan(), validSpan()]);
    const json = Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'json span', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }] }));
    assert.equal(await postTraces(local, protobuf), 200);
    assert.equal(await postTraces(local, json, 'application/json'), 200);
    await eventually('both requests reached the upstream', () => seen.length === 2);
    const byType = new Map(seen.map((s) => [s.headers['content-type'], s]));
    const proto = byType.get('application/x-protobuf')!;
    assert.equal(proto.url, '/otlp/v1/traces');
    assert.equal(proto.headers['content-encoding'], 'gzip');
    assert.equal(proto.headers['x-api-key'], 'secret-1');
    assert.ok(gunzipSync(proto.body).equals(protobuf), 'the protobuf bytes arrive unchanged');
    assert.ok(gunzipSync(byType.get('application/json')!.body).equals(json), 'the JSON bytes arrive unchanged');
    const status = await forwardStatus(local);
    assert.deepEqual(status.headerNames, ['x-api-key']);
    assert.ok(!JSON.stringify(status).includes('secret-1'), 'header values are not shown');
  });

  it('passes protobuf bytes unchanged over OTLP/gRPC too', async () => {
    const ingest = new FakeIngest();
    const grpc = await startOtlpGrpc(ingest, { host: '127.0.0.1', port: 0, maxMessageBytes: 1 << 24 });
    closers.push(() => grpc.close());
    const local = await engine();
    await putForward(local, { endpoint: `http://127.0.0.1:${grpc.port}`, protocol: 'grpc', headers: { authorization: 'Bearer t' } });
    const protobuf = tracesRequest([validSpan()]);
    await postTraces(local, protobuf);
    await eventually('the request reached the gRPC upstream', () => ingest.calls.length === 1);
    assert.ok(ingest.calls[0].body.equals(protobuf));
    assert.equal(ingest.calls[0].transport, 'grpc');
  });
});

describe('forwarding when the upstream misbehaves', () => {
  it('keeps requests while the upstream is down and delivers them all when it is back', async () => {
    const port = await freePort();
    const local = await engine();
    await putForward(local, { endpoint: `http://127.0.0.1:${port}` });
    const bodies = Array.from({ length: 20 }, () => tracesRequest([validSpan()]));
    for (const body of bodies) assert.equal(await postTraces(local, body), 200, 'ingest answers at once while the upstream is down');
    await eventually('a retry was counted', async () => (await forwardStatus(local)).items.retried > 0);
    const down = await forwardStatus(local);
    assert.equal(down.state, 'backing-off');
    assert.match(down.lastError?.message ?? '', /ECONNREFUSED/);
    assert.equal(down.items.dropped, 0);

    const upstream = await startOtlpHttpTestServerOn(port);
    await eventually('all 20 requests arrived', () => upstream.ingest.calls.length >= 20, 60_000);
    const arrived = new Set(upstream.ingest.calls.map((c) => c.body.toString('hex')));
    for (const body of bodies) assert.ok(arrived.has(body.toString('hex')), 'every request arrives');
    const back = await forwardStatus(local);
    assert.equal(back.items.forwarded, 20);
    assert.equal(back.items.dropped, 0);
    assert.equal(back.queue.bytes, 0);
  });

  it('holds at most the queue bound for a dead upstream, and counts what it drops', async () => {
    const port = await freePort();
    const local = await engine();
    const queueBytes = 64 * 1024;
    await putForward(local, { endpoint: `http://127.0.0.1:${port}`, queueBytes });
    const spansPerRequest = 50;
    let sent = 0;
    for (let i = 0; i < 60; i++) {
      await postTraces(local, tracesRequest(Array.from({ length: spansPerRequest }, () => validSpan({ attributes: [{ key: 'pad', value: { stringValue: 'x'.repeat(200) } }] }))));
      sent += spansPerRequest;
      const s = await forwardStatus(local);
      assert.ok(s.queue.bytes <= queueBytes, `queue holds ${s.queue.bytes} bytes, bound ${queueBytes}`);
    }
    const status = (await getJson<StatusResponse>(local.httpUrl, '/api/status')).body;
    const s = status.forward!;
    assert.ok(status.memoryBytes >= s.queue.bytes && s.queue.bytes > 0, 'the queue counts in the memory budget');
    assert.ok(s.items.dropped > 0, 'items were dropped');
    assert.equal(s.items.forwarded, 0);
    assert.equal(s.items.dropped + s.queue.items, sent, 'every item is queued (or in flight) or counted as dropped');
    assert.match(s.lastError?.message ?? '', /queue is full|ECONNREFUSED/);
    const metrics = await (await fetch(`${local.httpUrl}/metrics`)).text();
    assert.match(metrics, /loupe_forward_items_total\{signal="traces",outcome="dropped"\} [1-9]/);
    assert.match(metrics, /loupe_forward_queue_bytes \d+/);
  });

  it('waits as long as a 429 answer\'s Retry-After says before sending again', async () => {
    const attempts: number[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        attempts.push(Date.now());
        if (attempts.length === 1) res.writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' }).end('{"message":"slow down"}');
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const local = await engine();
    await putForward(local, { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    await postTraces(local, tracesRequest([validSpan()]));
    await eventually('the 429 was answered', () => attempts.length === 1);
    const waiting = await forwardStatus(local);
    assert.equal(waiting.state, 'backing-off');
    assert.match(waiting.lastError!.message, /429: slow down/);
    assert.ok(Date.parse(waiting.retryAt!) - attempts[0] >= 1900, 'the retry is due after Retry-After');
    await eventually('the request was sent again', () => attempts.length === 2, 10_000);
    assert.ok(attempts[1] - attempts[0] >= 1900, `sent again after ${attempts[1] - attempts[0]} ms, not before the 2 s asked`);
    const done = await forwardStatus(local);
    assert.deepEqual([done.items.forwarded, done.items.retried, done.items.dropped], [1, 1, 0]);
  });

  it('counts what the upstream rejects in its partial_success, and drops what it refuses for good', async () => {
    const upstream = await startOtlpHttpTestServer(1 << 24);
    closers.push(() => upstream.close());
    upstream.ingest.result = { rejected: 2, message: '2 spans had no name' };
    const local = await engine();
    await putForward(local, { endpoint: upstream.url });
    await postTraces(local, tracesRequest([validSpan(), validSpan(), validSpan()]));
    await eventually('forwarded', async () => (await forwardStatus(local)).items.forwarded === 3);
    let s = await forwardStatus(local);
    assert.equal(s.items.rejectedUpstream, 2);
    assert.match(s.lastError!.message, /refused 2 of 3 traces items: 2 spans had no name/);

    await putForward(local, { endpoint: `${upstream.url}/wrong-path` });
    await postTraces(local, tracesRequest([validSpan()]));
    await eventually('dropped', async () => (await forwardStatus(local)).items.dropped === 1);
    s = await forwardStatus(local);
    assert.match(s.lastError!.message, /answered 404/);
    assert.equal(s.items.retried, 0, 'a 404 is not retried');
  });

  it('refuses bad settings with a message that says what to fix', async () => {
    const local = await engine();
    const bad = await putForward(local, { endpoint: 'collector:4318' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error!, /must start with http:\/\/ or https:\/\/, as in http:\/\/collector:4318/);
    assert.match((await putForward(local, { endpoint: 'not a url' })).body.error!, /is not a URL/);
    assert.match((await putForward(local, { endpoint: 'http://x', protocol: 'thrift' })).body.error!, /protocol "thrift" is not one of http, grpc/);
    assert.match((await putForward(local, { endpoint: 'http://x', headers: { 'bad name': 'v' } })).body.error!, /header name "bad name"/);
    const off = await putForward(local, { endpoint: '' });
    assert.equal(off.body.state, 'off');
  });
});

async function startOtlpHttpTestServerOn(port: number): Promise<{ ingest: FakeIngest }> {
  const ingest = new FakeIngest();
  const { createOtlpHttpHandler } = await import('../src/engine/receivers/otlpHttp.ts');
  const handle = createOtlpHttpHandler(ingest, { maxBodyBytes: 1 << 24 });
  const server = http.createServer((req, res) => { if (!handle(req, res)) res.writeHead(404).end(); });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  closers.push(() => { server.closeAllConnections(); return new Promise((r) => server.close(() => r())); });
  return { ingest };
}
