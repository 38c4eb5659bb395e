// The load generator, run as a separate process: sends pre-encoded batches over
// loopback with a fixed number of requests in flight, for a bounded time and count, and
// prints what the receiver acknowledged as JSON.
// Usage: load.ts <http|grpc> <url or host:port> <protobuf|json> <seconds> <maxRequests> [traces|logs|metrics] [first send number]
// (Trace ids are made from the send number: a later run starting past an earlier one's
// last send makes new traces.)

import * as grpc from '@grpc/grpc-js';
import http from 'node:http';
import { encodeBatch, makeSpans, patchTraceIds, SPANS_PER_BATCH, type Batch } from './batches.ts';
import { LOGS_PER_BATCH, makeLogBatch, makeMetricBatch } from './logMetricLoad.ts';

type Signal = 'traces' | 'logs' | 'metrics';
const [transport, target, encoding, secondsArg, maxArg, signalArg, firstArg] = process.argv.slice(2);
const firstSend = Number(firstArg ?? 0);
const signal = (signalArg ?? 'traces') as Signal;
const seconds = Number(secondsArg);
const maxRequests = Number(maxArg);
const IN_FLIGHT = 8;
const BATCHES = 8;
const SERVICES: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
};

void (async () => {
  const { batches, itemsPerBatch } = await makeBatches();
  const send = transport === 'grpc' ? grpcSender() : httpSender();
  let sent = 0;
  let acknowledged = 0;
  let failed = 0;
  let wireBytes = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (Date.now() < deadline && sent < maxRequests) {
      const n = sent++;
      // Each worker owns its copy while the request is in flight, so patching is safe.
      const batch = batches[n % BATCHES];
      const copy = { ...batch, bytes: Buffer.from(batch.bytes) };
      if (signal === 'traces') patchTraceIds(copy, firstSend + n);
      wireBytes += copy.bytes.length;
      if (await send(copy.bytes)) acknowledged++;
      else failed++;
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const items = acknowledged * itemsPerBatch;
  console.log(JSON.stringify({ requests: acknowledged, failed, items, spans: signal === 'traces' ? items : 0, seconds: elapsed, wireBytes, itemsPerBatch }));
  process.exit(0);
})();

async function makeBatches(): Promise<{ batches: Batch[]; itemsPerBatch: number }> {
  const indexes = Array.from({ length: BATCHES }, (_, i) => i);
  if (signal === 'traces') return { batches: indexes.map((i) => encodeBatch(makeSpans(i), encoding as 'protobuf' | 'json')), itemsPerBatch: SPANS_PER_BATCH };
  if (encoding !== 'protobuf') throw new Error('logs and metrics load is protobuf only');
  const raw = (bytes: Buffer): Batch => ({ bytes, traceIdOffsets: [], hex: false });
  if (signal === 'logs') return { batches: indexes.map((i) => raw(makeLogBatch(i))), itemsPerBatch: LOGS_PER_BATCH };
  const metrics = await Promise.all(indexes.map((i) => makeMetricBatch(i)));
  return { batches: metrics.map((m) => raw(m.bytes)), itemsPerBatch: metrics[0].points };
}

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
    client.makeUnaryRequest(`/${SERVICES[signal]}/Export`, identity, identity, body, (err) => resolve(!err));
  });
}
