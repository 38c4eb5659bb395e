import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { startOtlpHttpTestServer, type OtlpHttpTestServer } from './testing/otlpHttpServer.ts';

const MIB = 1024 * 1024;
const PROTOBUF = { 'Content-Type': 'application/x-protobuf' };

/** `total` bytes of `fill`, produced lazily so the test itself holds little of it. */
function streamOf(total: number, fill = 0x61): Readable {
  const chunk = Buffer.alloc(64 * 1024, fill);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += piece.length;
      this.push(piece);
    },
  });
}

/** gzip of `size` zero bytes, compressed chunk by chunk (Z_RLE: as small as level 9 on zeros, and fast). */
async function gzippedZeros(size: number): Promise<Buffer> {
  const gzip = zlib.createGzip({ strategy: zlib.constants.Z_RLE });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(MIB);
  for (let written = 0; written < size; written += zeros.length) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await ended;
  return Buffer.concat(out);
}

describe('OTLP/HTTP receiver size limits', () => {
  let server: OtlpHttpTestServer;
  before(async () => {
    server = await startOtlpHttpTestServer(MIB);
  });
  after(() => server.close());

  async function assertStillServes(): Promise<void> {
    const response = await server.send('/v1/traces', { headers: PROTOBUF, body: 'still ok' });
    assert.equal(response.status, 200);
    assert.equal(server.ingest.lastCall?.body.toString(), 'still ok');
  }

  it('accepts a body of exactly the limit', async () => {
    const response = await server.send('/v1/traces', { headers: PROTOBUF, body: Buffer.alloc(MIB, 0x61) });
    assert.equal(response.status, 200);
    assert.equal(server.ingest.lastCall?.body.length, MIB);
  });

  it('answers 413 to a streamed body over the limit without passing it on', async () => {
    const calls = server.ingest.calls.length;
    const response = await server.send('/v1/traces', { headers: PROTOBUF, body: streamOf(3 * MIB) });
    assert.equal(response.status, 413);
    assert.equal(response.headers['content-type'], 'application/x-protobuf');
    assert.match(response.body.toString('utf8'), /larger than the limit of 1048576 bytes \(as sent\).*--max-body-mb/);
    assert.equal(server.ingest.calls.length, calls);
    await assertStillServes();
  });

  it('answers 413 at once when Content-Length is over the limit', async () => {
    const response = await server.send('/v1/logs', {
      headers: { 'Content-Type': 'application/json', 'Content-Length': 2 * MIB }, body: streamOf(2 * MIB),
    });
    assert.equal(response.status, 413);
    assert.match(JSON.parse(response.body.toString()).message, /the request says it is 2097152 bytes/);
    await assertStillServes();
  });

  it('answers 413 to a body that never ends, then closes that connection', async () => {
    const endless = new Readable({ read() { this.push(Buffer.alloc(64 * 1024, 0x62)); } });
    const started = Date.now();
    const { status, socketClosed } = await new Promise<{ status: number; socketClosed: Promise<void> }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/v1/traces', method: 'POST', headers: PROTOBUF });
      req.on('error', () => undefined); // the reset after the answer is expected
      req.on('response', (res) => {
        res.resume();
        const socketClosed = new Promise<void>((done) => req.socket?.once('close', () => done()));
        resolve({ status: res.statusCode ?? 0, socketClosed });
      });
      req.on('close', () => reject(new Error('closed without an answer')));
      endless.pipe(req);
    });
    assert.equal(status, 413);
    await socketClosed;
    endless.destroy();
    assert.ok(Date.now() - started < 5000, 'the endless upload was cut off');
    await assertStillServes();
  });

  it('answers 413 when the body is over the limit only after decompression', async () => {
    const compressed = await gzippedZeros(4 * MIB);
    assert.ok(compressed.length < MIB);
    const response = await server.send('/v1/metrics', {
      headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' }, body: compressed,
    });
    assert.equal(response.status, 413);
    assert.match(response.body.toString('latin1'), /after decompression/);
    const deflated = await server.send('/v1/metrics', {
      headers: { ...PROTOBUF, 'Content-Encoding': 'deflate' }, body: zlib.deflateSync(Buffer.alloc(2 * MIB)),
    });
    assert.equal(deflated.status, 413);
    await assertStillServes();
  });
});

describe('OTLP/HTTP receiver against a gzip bomb', () => {
  let server: OtlpHttpTestServer;
  before(async () => {
    server = await startOtlpHttpTestServer(20 * MIB);
  });
  after(() => server.close());

  it('answers 413 to 1 GiB of zeros compressed to about 1 MiB, with memory staying bounded', async () => {
    const bomb = await gzippedZeros(1024 * MIB);
    assert.ok(bomb.length < 2 * MIB, `bomb is ${bomb.length} bytes`);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 5);
    const started = Date.now();
    const response = await server.send('/v1/traces', {
      headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' }, body: bomb,
    });
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    assert.equal(response.status, 413);
    assert.equal(server.ingest.calls.length, 0);
    assert.ok(rssPeak - rssBefore < 300 * MIB, `RSS grew by ${Math.round((rssPeak - rssBefore) / MIB)} MiB`);
    // Stopping at the limit means inflating ~20 MiB, not 1 GiB.
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    const ok = await server.send('/v1/traces', { headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' }, body: zlib.gzipSync('fine') });
    assert.equal(ok.status, 200);
  });
});
