import assert from 'node:assert/strict';
import { once } from 'node:events';
import http2 from 'node:http2';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { FLOW_CONTROL_WINDOW_BYTES, startOtlpGrpc, type OtlpGrpcListener } from './otlpGrpc.ts';
import type { RequestReport } from './observer.ts';
import { FakeIngest } from './testing/fakeIngest.ts';

const MIB = 1024 * 1024;
const TRACES = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const LOGS = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const METRICS = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';
const GZIP = { 'grpc.default_compression_algorithm': 2 };

/** One unary call with raw bytes both ways, as any OTLP/gRPC client makes it. */
function exportCall(client: grpc.Client, path: string, body: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, body, (err, response) => {
      if (err) reject(err);
      else resolve(response ?? Buffer.alloc(0));
    });
  });
}

/** A TCP relay that counts the bytes the client sends, to see what went over the wire. */
async function startCountingProxy(targetPort: number): Promise<{ port: number; sent(): number; close(): void }> {
  let sent = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => { sent += chunk.length; });
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    sent: () => sent,
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}

describe('OTLP/gRPC receiver', () => {
  const ingest = new FakeIngest();
  const reports: RequestReport[] = [];
  let listener: OtlpGrpcListener;
  let client: grpc.Client;
  let gzipClient: grpc.Client;

  before(async () => {
    listener = await startOtlpGrpc(ingest, { host: '127.0.0.1', port: 0, maxMessageBytes: MIB }, {
      onRequest: (report) => reports.push(report),
    });
    const address = `127.0.0.1:${listener.port}`;
    client = new grpc.Client(address, grpc.credentials.createInsecure());
    gzipClient = new grpc.Client(address, grpc.credentials.createInsecure(), GZIP);
  });
  after(async () => {
    client.close();
    gzipClient.close();
    await listener.close();
  });

  /** After every bad call: the same channel still exports. */
  async function assertStillServes(): Promise<void> {
    const response = await exportCall(client, TRACES, Buffer.from('still ok'));
    assert.equal(response.length, 0);
    assert.equal(ingest.lastCall?.body.toString(), 'still ok');
  }

  it('gives clients HTTP/2 flow-control windows large enough for whole export batches', async () => {
    const session = http2.connect(`http://127.0.0.1:${listener.port}`);
    await once(session, 'remoteSettings');
    assert.equal(session.remoteSettings.initialWindowSize, FLOW_CONTROL_WINDOW_BYTES);
    // The connection window grows with a WINDOW_UPDATE right after the settings.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(session.state.remoteWindowSize! >= FLOW_CONTROL_WINDOW_BYTES, `connection window ${session.state.remoteWindowSize}`);
    session.close();
  });

  it('listens on the free port it picked', () => {
    assert.ok(listener.port > 0);
  });

  it('hands each signal\'s message to ingest as raw protobuf and answers with an empty response', async () => {
    for (const [path, signal] of [[TRACES, 'traces'], [LOGS, 'logs'], [METRICS, 'metrics']] as const) {
      const response = await exportCall(client, path, Buffer.from(`a ${signal} export`));
      assert.equal(response.length, 0);
      assert.deepEqual(ingest.lastCall, { signal, body: Buffer.from(`a ${signal} export`), encoding: 'protobuf', transport: 'grpc' });
      assert.deepEqual(reports.at(-1), { ...reports.at(-1), signal, transport: 'grpc', outcome: 'ok', status: grpc.status.OK });
    }
  });

  it('accepts gzip-compressed messages', async () => {
    const proxy = await startCountingProxy(listener.port);
    const viaProxy = new grpc.Client(`127.0.0.1:${proxy.port}`, grpc.credentials.createInsecure(), GZIP);
    try {
      const body = Buffer.alloc(512 * 1024, 'span ');
      await exportCall(viaProxy, TRACES, body);
      assert.deepEqual(ingest.lastCall?.body, body);
      assert.ok(proxy.sent() < 64 * 1024, `${proxy.sent()} bytes went over the wire for 512 KiB`);
    } finally {
      viaProxy.close();
      proxy.close();
    }
  });

  it('answers INVALID_ARGUMENT with the decoder message when ingest cannot decode', async () => {
    await assert.rejects(exportCall(client, LOGS, Buffer.from('BAD')), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.INVALID_ARGUMENT);
      assert.equal(err.details, 'cannot decode the OTLP logs request: unexpected end of message at byte 3');
      return true;
    });
    assert.equal(reports.at(-1)?.outcome, 'error');
    assert.equal(reports.at(-1)?.status, grpc.status.INVALID_ARGUMENT);
    await assertStillServes();
  });

  it('answers INTERNAL with a message when ingest fails for another reason', async () => {
    await assert.rejects(exportCall(gzipClient, METRICS, Buffer.from('BOOM')), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.INTERNAL);
      assert.match(err.details, /store exploded/);
      return true;
    });
    await assertStillServes();
  });

  it('answers RESOURCE_EXHAUSTED to a message over the limit, compressed or not', async () => {
    const calls = ingest.calls.length;
    await assert.rejects(exportCall(client, TRACES, Buffer.alloc(MIB + 1)), { code: grpc.status.RESOURCE_EXHAUSTED });
    // 8 MiB of zeros gzip to a few KiB: the limit must hold after decompression.
    await assert.rejects(exportCall(gzipClient, TRACES, Buffer.alloc(8 * MIB)), { code: grpc.status.RESOURCE_EXHAUSTED });
    assert.equal(ingest.calls.length, calls);
    await assertStillServes();
  });

  it('reports a partial success only when something was rejected, readable by the SDK', async () => {
    const response = await exportCall(gzipClient, LOGS, Buffer.from('REJECT 4'));
    const decoded = ProtobufLogsSerializer.deserializeResponse(new Uint8Array(response));
    assert.equal(Number(decoded.partialSuccess?.rejectedLogRecords), 4);
    assert.equal(decoded.partialSuccess?.errorMessage, '4 items had invalid ids');
    assert.deepEqual(reports.at(-1), { ...reports.at(-1), outcome: 'partial', rejected: 4 });
  });

  it('answers an empty message with success', async () => {
    const calls = ingest.calls.length;
    assert.equal((await exportCall(client, METRICS, Buffer.alloc(0))).length, 0);
    assert.equal(ingest.calls.length, calls);
  });

  it('answers UNIMPLEMENTED for services it does not offer', async () => {
    const unknown = '/opentelemetry.proto.collector.profiles.v1.ProfilesService/Export';
    await assert.rejects(exportCall(client, unknown, Buffer.from('x')), { code: grpc.status.UNIMPLEMENTED });
  });
});

describe('OTLP/gRPC listener', () => {
  it('reports a port already in use with the address', async () => {
    const first = await startOtlpGrpc(new FakeIngest(), { host: '127.0.0.1', port: 0, maxMessageBytes: MIB });
    grpc.setLogVerbosity(grpc.logVerbosity.NONE); // grpc-js would also print the bind failure
    try {
      await assert.rejects(
        startOtlpGrpc(new FakeIngest(), { host: '127.0.0.1', port: first.port, maxMessageBytes: MIB }),
        new RegExp(`cannot listen for OTLP/gRPC on 127\\.0\\.0\\.1:${first.port}`),
      );
    } finally {
      grpc.setLogVerbosity(grpc.logVerbosity.ERROR);
      await first.close();
    }
  });

  it('closes while a client is still connected', async () => {
    const listener = await startOtlpGrpc(new FakeIngest(), { host: '127.0.0.1', port: 0, maxMessageBytes: MIB });
    const client = new grpc.Client(`127.0.0.1:${listener.port}`, grpc.credentials.createInsecure());
    await exportCall(client, TRACES, Buffer.from('x'));
    await listener.close();
    await assert.rejects(exportCall(client, TRACES, Buffer.from('x')), { code: grpc.status.UNAVAILABLE });
    client.close();
  });
});
