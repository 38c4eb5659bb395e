import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { WireReader } from '../otlp/protobuf/wire.ts';
import { startOtlpHttpTestServer, type OtlpHttpTestServer, type TestResponse } from './testing/otlpHttpServer.ts';

const PROTOBUF = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

/** google.rpc.Status { code = 1; message = 2 } read with the engine's own wire reader. */
function decodeStatus(bytes: Buffer): { code: number; message: string } {
  const reader = WireReader.of(bytes);
  const status = { code: 0, message: '' };
  while (!reader.done) {
    const tag = reader.tag();
    if (tag >>> 3 === 1) status.code = reader.int32();
    else if (tag >>> 3 === 2) status.message = reader.string();
    else reader.skip(tag & 7);
  }
  return status;
}

function jsonBody(response: TestResponse): unknown {
  assert.match(String(response.headers['content-type']), /^application\/json/);
  return JSON.parse(response.body.toString('utf8'));
}

describe('OTLP/HTTP receiver', () => {
  let server: OtlpHttpTestServer;
  before(async () => {
    server = await startOtlpHttpTestServer(1024 * 1024);
  });
  after(() => server.close());

  /** After every bad request: the receiver still takes a good one (on the same keep-alive agent). */
  async function assertStillServes(): Promise<void> {
    const response = await server.send('/v1/traces', { headers: PROTOBUF, body: 'still ok' });
    assert.equal(response.status, 200);
    assert.equal(server.ingest.lastCall?.body.toString(), 'still ok');
  }

  it('hands a protobuf export to ingest and answers with an empty protobuf response', async () => {
    for (const signal of ['traces', 'logs', 'metrics'] as const) {
      const response = await server.send(`/v1/${signal}`, { headers: PROTOBUF, body: `a ${signal} request` });
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'application/x-protobuf');
      assert.equal(response.body.length, 0);
      assert.deepEqual(server.ingest.lastCall, {
        signal, body: Buffer.from(`a ${signal} request`), encoding: 'protobuf', transport: 'http',
      });
    }
    assert.deepEqual(server.reports.at(-1), {
      ...server.reports.at(-1), signal: 'metrics', transport: 'http', outcome: 'ok', status: 200, rejected: 0,
    });
  });

  it('leaves other paths to the caller, and ignores query strings', async () => {
    assert.equal((await server.send('/api/status', { method: 'GET' })).status, 404);
    assert.equal((await server.send('/v1/profiles', { headers: PROTOBUF, body: 'x' })).status, 404);
    assert.equal((await server.send('/v1development/profiles', { headers: PROTOBUF, body: 'x' })).status, 200);
    assert.equal(server.ingest.lastCall?.signal, 'profiles');
    assert.equal((await server.send('/v1/traces/extra', { headers: PROTOBUF, body: 'x' })).status, 404);
    assert.equal((await server.send('/v1/traces?tenant=a', { headers: PROTOBUF, body: 'x' })).status, 200);
  });

  it('answers a JSON request in JSON', async () => {
    const response = await server.send('/v1/logs', { headers: JSON_TYPE, body: '{"resourceLogs":[]}' });
    assert.equal(response.status, 200);
    assert.deepEqual(jsonBody(response), {});
    assert.equal(server.ingest.lastCall?.encoding, 'json');
  });

  it('ignores case and parameters of the content type', async () => {
    const response = await server.send('/v1/traces', { headers: { 'Content-Type': 'Application/JSON; charset=utf-8' }, body: '{}' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.equal(server.ingest.lastCall?.encoding, 'json');
    const proto = await server.send('/v1/traces', { headers: { 'Content-Type': 'APPLICATION/X-PROTOBUF ; proto=x' }, body: 'p' });
    assert.equal(proto.status, 200);
    assert.equal(server.ingest.lastCall?.encoding, 'protobuf');
  });

  it('refuses methods other than POST with 405 and Allow: POST', async () => {
    const calls = server.ingest.calls.length;
    const response = await server.send('/v1/traces', { method: 'GET' });
    assert.equal(response.status, 405);
    assert.equal(response.headers.allow, 'POST');
    assert.match((jsonBody(response) as { message: string }).message, /use POST/);
    const put = await server.send('/v1/metrics', { method: 'PUT', headers: PROTOBUF, body: 'x' });
    assert.equal(put.status, 405);
    assert.equal(server.ingest.calls.length, calls);
    await assertStillServes();
  });

  it('refuses unsupported or missing content types with 415 naming the supported ones', async () => {
    const calls = server.ingest.calls.length;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/protobuf']) {
      const response = await server.send('/v1/traces', { headers: { 'Content-Type': type }, body: 'x' });
      assert.equal(response.status, 415, type);
      const { message } = jsonBody(response) as { message: string };
      assert.match(message, /application\/x-protobuf or application\/json/);
      assert.ok(message.includes(type), message);
    }
    const missing = await server.send('/v1/traces', { body: 'x' });
    assert.equal(missing.status, 415);
    assert.match((jsonBody(missing) as { message: string }).message, /without Content-Type/);
    assert.equal(server.ingest.calls.length, calls);
    await assertStillServes();
  });

  it('decompresses gzip and deflate bodies, whatever the case of the coding', async () => {
    const body = Buffer.from('compressed export '.repeat(1000));
    const cases = [
      ['gzip', zlib.gzipSync(body)], ['GZip', zlib.gzipSync(body)], ['deflate', zlib.deflateSync(body)], ['identity', body],
    ] as const;
    for (const [coding, sent] of cases) {
      const response = await server.send('/v1/traces', { headers: { ...PROTOBUF, 'Content-Encoding': coding }, body: sent });
      assert.equal(response.status, 200, coding);
      assert.deepEqual(server.ingest.lastCall?.body, body, coding);
    }
  });

  it('answers 400 when a body claims gzip but is not', async () => {
    const response = await server.send('/v1/traces', { headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' }, body: 'plain text' });
    assert.equal(response.status, 400);
    assert.match(decodeStatus(response.body).message, /not valid gzip/);
    const truncated = zlib.gzipSync(Buffer.alloc(10000, 7)).subarray(0, 20);
    const cut = await server.send('/v1/traces', { headers: { ...JSON_TYPE, 'Content-Encoding': 'gzip' }, body: truncated });
    assert.equal(cut.status, 400);
    await assertStillServes();
  });

  it('refuses an unknown content encoding with 415', async () => {
    for (const coding of ['br', 'zstd', 'gzip, br']) {
      const response = await server.send('/v1/traces', { headers: { ...JSON_TYPE, 'Content-Encoding': coding }, body: 'x' });
      assert.equal(response.status, 415, coding);
      assert.match((jsonBody(response) as { message: string }).message, /Content-Encoding .*gzip, deflate or identity/);
    }
    await assertStillServes();
  });

  it('answers an empty body with success without calling ingest', async () => {
    const calls = server.ingest.calls.length;
    const proto = await server.send('/v1/traces', { headers: PROTOBUF });
    assert.equal(proto.status, 200);
    assert.equal(proto.body.length, 0);
    const json = await server.send('/v1/logs', { headers: JSON_TYPE, body: '' });
    assert.deepEqual(jsonBody(json), {});
    assert.equal(server.ingest.calls.length, calls);
  });

  it('answers 400 with the decoder message when ingest cannot decode the body', async () => {
    const proto = await server.send('/v1/traces', { headers: PROTOBUF, body: 'BAD payload' });
    assert.equal(proto.status, 400);
    assert.equal(proto.headers['content-type'], 'application/x-protobuf');
    assert.deepEqual(decodeStatus(proto.body), {
      code: 3, message: 'cannot decode the OTLP traces request: unexpected end of message at byte 3',
    });
    const json = await server.send('/v1/logs', { headers: JSON_TYPE, body: 'BAD json' });
    assert.equal(json.status, 400);
    assert.match((jsonBody(json) as { message: string }).message, /logs request: unexpected end of message at byte 3/);
    assert.equal(server.reports.at(-1)?.outcome, 'error');
    assert.equal(server.reports.at(-1)?.status, 400);
    await assertStillServes();
  });

  it('answers 500 with a message when ingest fails for another reason', async () => {
    const response = await server.send('/v1/metrics', { headers: JSON_TYPE, body: 'BOOM' });
    assert.equal(response.status, 500);
    assert.match((jsonBody(response) as { message: string }).message, /failed to store the metrics.*store exploded/);
    await assertStillServes();
  });

  it('reports a partial success in protobuf, readable by the OpenTelemetry SDK', async () => {
    const response = await server.send('/v1/traces', { headers: PROTOBUF, body: 'REJECT 3' });
    assert.equal(response.status, 200);
    const decoded = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(response.body));
    assert.equal(Number(decoded.partialSuccess?.rejectedSpans), 3);
    assert.equal(decoded.partialSuccess?.errorMessage, '3 items had invalid ids');
    assert.equal(server.reports.at(-1)?.outcome, 'partial');
    assert.equal(server.reports.at(-1)?.rejected, 3);
  });

  it('reports a partial success in JSON with int64 counts as strings and per-signal names', async () => {
    const expected = { traces: 'rejectedSpans', logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' };
    for (const [signal, field] of Object.entries(expected)) {
      const response = await server.send(`/v1/${signal}`, { headers: JSON_TYPE, body: 'REJECT 2' });
      assert.equal(response.status, 200);
      assert.deepEqual(jsonBody(response), { partialSuccess: { [field]: '2', errorMessage: '2 items had invalid ids' } });
    }
  });

  it('survives a client that goes away in the middle of the body', async () => {
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/v1/traces', method: 'POST', headers: { ...PROTOBUF, 'Content-Length': 1000 } });
      req.on('error', () => resolve());
      req.write('only part of it', () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    await waitFor(() => server.reports.at(-1)?.status === 499);
    await assertStillServes();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(condition(), 'condition not met within 2 s');
}
