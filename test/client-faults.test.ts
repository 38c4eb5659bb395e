// Faults on the client side: slow clients that trickle headers or bodies (HTTP and
// gRPC), one or forty at once, are cut off while other exports, queries and the event
// stream are served, and a shutdown during ingest answers every in-flight request (200
// or 503), ends the event streams and frees both ports for the next engine at once.

import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect as connectHttp2, constants } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ClientLimits } from '../src/engine/clientLimits.ts';
import { startEngine, type RunningEngine } from '../src/engine/server.ts';
import { tracesRequest, validSpan } from './support/otlp.ts';

const LIMITS: ClientLimits = { headersMs: 400, requestMs: 1200, shutdownGraceMs: 1500 };
/** Generous: a cut-off must come long before this, however loaded the machine. */
const GIVE_UP_MS = 20_000;

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** Short client limits for the slow-client tests; the shutdown tests keep the defaults but a short grace. */
function start(ports: { httpPort: number; grpcPort: number } = { httpPort: 0, grpcPort: 0 }, clientLimits = LIMITS): Promise<RunningEngine> {
  return startEngine({ host: '127.0.0.1', ...ports, memoryBudgetBytes: 64 * 1048576, maxBodyBytes: 8 * 1048576, clientLimits });
}

const SHUTDOWN_LIMITS: ClientLimits = { headersMs: 10_000, requestMs: 60_000, shutdownGraceMs: 3000 };

function someSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer('checkout');
  tracer.startSpan('GET /cart').end();
  return memory.getFinishedSpans();
}

async function grpcExport(address: string): Promise<ExportResult> {
  const exporter = new GrpcTraceExporter({ url: `http://${address}` });
  try {
    return await new Promise<ExportResult>((resolve) => exporter.export(someSpans(), resolve));
  } finally {
    await exporter.shutdown();
  }
}

async function httpExport(running: RunningEngine): Promise<number> {
  const res = await fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: tracesRequest([validSpan()]) });
  await res.arrayBuffer();
  return res.status;
}

/** Writes `chunks` one at a time, `everyMs` apart, until the server closes the socket; resolves with what it answered. */
function trickle(port: number, first: Buffer | string, chunks: () => Buffer | string, everyMs = 50): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (d) => { answer += d.toString('latin1'); });
  socket.on('error', () => undefined);
  socket.write(first);
  const timer = setInterval(() => { if (!socket.destroyed) socket.write(chunks()); }, everyMs);
  const giveUp = setTimeout(() => socket.destroy(new Error('never cut off')), GIVE_UP_MS);
  const closed = new Promise<string>((resolve, reject) => socket.on('close', () => {
    clearInterval(timer);
    clearTimeout(giveUp);
    if (socket.errored?.message === 'never cut off') reject(new Error(`the server kept a trickling client for ${GIVE_UP_MS} ms`));
    else resolve(answer);
  }));
  return { socket, closed };
}

describe('slow clients', () => {
  let running: RunningEngine;
  before(async () => {
    running = await start();
    diag.disable();
  });
  after(async () => { await running.close(); });

  it('OTLP/HTTP: trickled headers are cut off with 408 while other clients are served', async () => {
    let n = 0;
    const slow = trickle(running.httpPort, 'POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n', () => `x-slow-${n++}: 1\r\n`);
    assert.equal(await httpExport(running), 200, 'a normal export while the slow one trickles');
    assert.equal(slow.socket.destroyed, false, 'served while the slow client was still connected');
    assert.match(await slow.closed, /^HTTP\/1\.1 408/);
  });

  it('OTLP/HTTP: a trickled body is cut off with 408, and nothing of it is stored', async () => {
    const spansBefore = running.engine.traces.spanCount;
    const body = tracesRequest([validSpan()]);
    let at = 0;
    const slow = trickle(
      running.httpPort,
      `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${body.length + 100000}\r\n\r\n`,
      () => body.subarray(at % body.length, (at++ % body.length) + 1),
    );
    assert.equal(await httpExport(running), 200);
    assert.equal(slow.socket.destroyed, false);
    assert.match(await slow.closed, /^HTTP\/1\.1 408/);
    assert.equal(running.engine.traces.spanCount, spansBefore + 1, 'only the normal export');
  });

  it('OTLP/gRPC: a connection that trickles its HTTP/2 preface is closed while other clients are served', async () => {
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    let at = 1;
    const slow = trickle(running.grpcPort, preface.subarray(0, 1), () => preface.subarray(at, ++at > preface.length ? (at = preface.length) : at));
    const ok = await grpcExport(running.grpcAddress);
    assert.equal(ok.code, ExportResultCode.SUCCESS, ok.error?.message);
    assert.equal(slow.socket.destroyed, false);
    await slow.closed;
  });

  it('OTLP/gRPC: a call that trickles its message is cancelled while other calls go on', async () => {
    const session = connectHttp2(`http://${running.grpcAddress}`);
    session.on('error', () => undefined);
    const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT, 'content-type': 'application/grpc', te: 'trailers' });
    stream.on('error', () => undefined);
    stream.resume();
    // A gRPC frame header claiming 100 KB, then the bytes one at a time.
    const header = Buffer.alloc(5);
    header.writeUInt32BE(100_000, 1);
    stream.write(header);
    const timer = setInterval(() => { if (!stream.closed) stream.write(Buffer.from([0])); }, 50);
    const closed = new Promise<number>((resolve) => stream.on('close', () => resolve(stream.rstCode ?? -1)));
    const ok = await grpcExport(running.grpcAddress);
    assert.equal(ok.code, ExportResultCode.SUCCESS, ok.error?.message);
    assert.equal(stream.closed, false, 'the other call was served while this one trickled');
    const giveUp = setTimeout(() => stream.close(), GIVE_UP_MS);
    const code = await closed;
    clearTimeout(giveUp);
    clearInterval(timer);
    session.close();
    assert.equal(code, constants.NGHTTP2_CANCEL, 'the server cancelled the stream');
  });
});

describe('many slow clients at once', () => {
  it('do not hold up exports, queries or the event stream, and are all cut off', async () => {
    // Limits long enough that every other client is served before the first cut-off.
    const running = await start(undefined, { headersMs: 5000, requestMs: 6000, shutdownGraceMs: 1500 });
    try {
      const body = tracesRequest([validSpan()]);
      const slow = Array.from({ length: 40 }, (_, i) => i % 2
        ? trickle(running.httpPort, 'POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n', () => 'x-slow: 1\r\n', 100)
        : trickle(running.httpPort, `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${body.length + 100000}\r\n\r\n`, () => body.subarray(0, 1), 100));
      const events = await fetch(`${running.httpUrl}/api/events`);
      const reader = events.body!.getReader();
      const firstEvent = await reader.read();
      assert.match(Buffer.from(firstEvent.value!).toString(), /instanceId/, 'the event stream opened while they trickle');
      for (let i = 0; i < 5; i++) assert.equal(await httpExport(running), 200);
      const ok = await grpcExport(running.grpcAddress);
      assert.equal(ok.code, ExportResultCode.SUCCESS, ok.error?.message);
      const traces = await fetch(`${running.httpUrl}/api/traces?limit=10`);
      assert.equal(traces.status, 200);
      assert.equal(((await traces.json()) as { traces: unknown[] }).traces.length, 6, 'a trace per export: five over HTTP, one over gRPC');
      assert.equal(slow.filter((s) => s.socket.destroyed).length, 0, 'all served while every slow client was still connected');
      const answers = await Promise.all(slow.map((s) => s.closed));
      for (const answer of answers) assert.match(answer, /^HTTP\/1\.1 408/);
      assert.equal(running.engine.traces.spanCount, 6, 'nothing of the slow requests stored');
      await reader.cancel();
    } finally {
      await running.close();
    }
  });
});

describe('shutdown during ingest', () => {
  it('answers every in-flight request with 200 or 503, keeps what it answered 200 for, and frees both ports at once', async () => {
    const running = await start(undefined, SHUTDOWN_LIMITS);
    const { httpPort, grpcPort } = running;
    const connections = 6;
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    const spansPerRequest = 2000;
    const body = tracesRequest(Array.from({ length: spansPerRequest }, () => validSpan()));
    /** Sends the headers and half the body now; `finish` sends the rest. */
    const post = () => {
      let finish = () => {};
      const answer = new Promise<number | string>((resolve) => {
        const req = request({ host: '127.0.0.1', port: httpPort, method: 'POST', path: '/v1/traces', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        req.write(body.subarray(0, body.length >> 1));
        finish = () => req.end(body.subarray(body.length >> 1));
      });
      return { answer, finish: () => finish() };
    };
    // Connections open and warm.
    const warm = Array.from({ length: connections }, post);
    warm.forEach((p) => p.finish());
    assert.deepEqual(await Promise.all(warm.map((p) => p.answer)), Array(connections).fill(200));
    const stored = running.engine.traces.spanCount;

    const client = new grpc.Client(running.grpcAddress, grpc.credentials.createInsecure());
    const grpcCall = () => new Promise<grpc.status>((resolve) => {
      client.makeUnaryRequest(TRACE_EXPORT, (b: Buffer) => b, (b: Buffer) => b, tracesRequest([validSpan()]), (err) => resolve(err ? err.code : grpc.status.OK));
    });
    assert.equal(await grpcCall(), grpc.status.OK);

    // A window's live event stream is open too: it must end, not keep the engine from stopping.
    const events = (await fetch(`${running.httpUrl}/api/events`)).body!.getReader();
    await events.read();
    // Ended cleanly or cut: either way the window notices at once.
    const eventsEnded = (async () => { while (!(await events.read()).done); })().catch(() => undefined);
    const inFlight = Array.from({ length: connections }, post);
    const grpcInFlight = Array.from({ length: 4 }, grpcCall);
    // Every request is in flight (its headers read, its body arriving) when the engine stops;
    // the rest of each body comes while it stops, and is stored while it stops.
    await new Promise((r) => setTimeout(r, 300));
    const closing = running.close();
    inFlight.forEach((p) => p.finish());
    const answers = await Promise.all(inFlight.map((p) => p.answer));
    const grpcAnswers = await Promise.all(grpcInFlight);
    await closing;
    await eventsEnded;
    agent.destroy();
    client.close();

    for (const answer of answers) assert.ok(answer === 200 || answer === 503, `an in-flight request got ${answer}`);
    for (const code of grpcAnswers) assert.ok(code === grpc.status.OK || code === grpc.status.UNAVAILABLE, `an in-flight gRPC call got ${grpc.status[code]}`);
    const accepted = answers.filter((a) => a === 200).length;
    assert.equal(running.engine.traces.spanCount, stored + 1 + accepted * spansPerRequest + grpcAnswers.filter((c) => c === grpc.status.OK).length, 'every 200 is stored, nothing else');

    // The same ports, right away.
    const next = await start({ httpPort, grpcPort }, SHUTDOWN_LIMITS);
    try {
      assert.equal(await httpExport(next), 200);
      const ok = await grpcExport(next.grpcAddress);
      assert.equal(ok.code, ExportResultCode.SUCCESS, ok.error?.message);
    } finally {
      await next.close();
    }
  });

  it('answers 503 with Retry-After to a request that follows an in-flight one on its connection', async () => {
    const running = await start(undefined, SHUTDOWN_LIMITS);
    const body = tracesRequest([validSpan()]);
    const head = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${body.length}\r\n\r\n`;
    const socket = connect(running.httpPort, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => { answer += d.toString('latin1'); });
    const closed = new Promise((r) => socket.on('close', r));
    await new Promise((r) => socket.once('connect', r));
    // The first request is in flight (half its body sent) when the engine starts to stop…
    socket.write(head + body.subarray(0, 10).toString('latin1'), 'latin1');
    await new Promise((r) => setTimeout(r, 100));
    const closing = running.close();
    // …then it completes, and a second request follows on the same connection.
    socket.write(Buffer.concat([body.subarray(10), Buffer.from(head, 'latin1'), body]));
    await closing;
    await closed;
    const statuses = [...answer.matchAll(/^HTTP\/1\.1 (\d+)/gm)].map((m) => Number(m[1]));
    assert.deepEqual(statuses, [200, 503], answer);
    assert.match(answer, /retry-after: 1/i);
    assert.equal(running.engine.traces.spanCount, 1);
  });
});
