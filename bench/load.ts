// The load generator, run as a separate process: sends pre-encoded batches over
// loopback with a fixed number of requests in flight, for a bounded time and count, and
// prints what the receiver acknowledged as JSON.
// Usage: load.ts <http|grpc> <url or host:port> <protobuf|json> <seconds> <maxRequests>

import * as grpc from '@grpc/grpc-js';
import http from 'node:http';
import { encodeBatch, makeSpans, patchTraceIds, SPANS_PER_BATCH, type Batch } from './batches.ts';

const [transport, target, encoding, secondsArg, maxArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
const maxRequests = Number(maxArg);
const IN_FLIGHT = 8;
const BATCHES = 8;

const batches: Batch[] = Array.from({ length: BATCHES }, (_, i) => encodeBatch(makeSpans(i), encoding as 'protobuf' | 'json'));
const send = transport === 'grpc' ? grpcSender() : httpSender();

let sent = 0;
let acknowledged = 0;
let failed = 0;
let wireBytes = 0;
const started = process.hrtime.bigint();
const deadline = Date.now() + seconds * 1000;

void Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
  while (Date.now() < deadline && sent < maxRequests) {
    const n = sent++;
    // Each worker owns its batch while the request is in flight, so patching is safe.
    const batch = batches[n % BATCHES];
    const copy = { ...batch, bytes: Buffer.from(batch.bytes) };
    patchTraceIds(copy, n);
    wireBytes += copy.bytes.length;
    if (await send(copy.bytes)) acknowledged++;
    else failed++;
  }
})).then(() => {
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ requests: acknowledged, failed, spans: acknowledged * SPANS_PER_BATCH, seconds: elapsed, wireBytes }));
  process.exit(0);
});

function httpSender(): (body: Buffer) => Promise<boolean> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const url = new URL(target);
  const contentType = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
  return (body) => new Promise((resolve) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': contentType, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

function grpcSender(): (body: Buffer) => Promise<boolean> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  const identity = (b: Buffer) => b;
  return (body) => new Promise((resolve) => {
    client.makeUnaryRequest('/opentelemetry.proto.collector.trace.v1.TraceService/Export', identity, identity, body, (err) => resolve(!err));
  });
}
