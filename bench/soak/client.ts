// One soak client process: sends traces, logs and metrics over one protocol at fixed
// rates for a bounded time, retrying exports the engine refuses (429/503 with
// Retry-After, gRPC UNAVAILABLE with a pushback) the way OTLP exporters do, and prints
// what it sent and what the engine answered as one JSON line. The JSON client's spans
// go through the SDK's own exporter (sdkTraces.ts), retries and all.
// Usage: client.ts '<ClientPlan as JSON>'; it prints "ready" once its payloads are made
// and starts sending when a line arrives on its stdin.

import * as grpc from '@grpc/grpc-js';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { makeSource, type Request, type Signal } from './payloads.ts';
import { SdkTraceSender } from './sdkTraces.ts';
import { emptyTally, type ClientPlan, type ClientReport, type SignalTally } from './plan.ts';

const GRPC_SERVICES: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
};
const JSON_REJECTED: Record<Signal, string> = { traces: 'rejectedSpans', logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' };
/** Requests of one signal in flight at once; past that the client falls behind its rate (and says so). */
const IN_FLIGHT = 4;
const MAX_ATTEMPTS = 8;
const REQUEST_TIMEOUT_MS = 30_000;
/** Refused exports are retried until this long after the run's end, then given up. */
const RETRY_GRACE_MS = 15_000;
let deadlineMs = Infinity;

type Answer =
  | { kind: 'ok'; rejected: number }
  | { kind: 'refused'; retryAfterMs: number }
  | { kind: 'failed'; error: string };

type Send = (signal: Signal, body: Buffer) => Promise<Answer>;

const plan = JSON.parse(process.argv[2]) as ClientPlan;

void (async () => {
  const send = plan.protocol === 'grpc' ? grpcSender(plan.target) : httpSender(plan.target, plan.protocol === 'http-json-gzip');
  const encoding = plan.protocol === 'http-json-gzip' ? 'json' : 'protobuf';
  const signals = (Object.keys(plan.rates) as Signal[]).filter((s) => plan.rates[s] > 0);
  const report: ClientReport = { protocol: plan.protocol, signals: {} };
  const senders = await Promise.all(signals.map(async (signal) => {
    const tally = emptyTally();
    report.signals[signal] = tally;
    if (signal === 'traces' && encoding === 'json') {
      const sdk = new SdkTraceSender(plan.target, plan.wide, tally);
      return { signal, itemsPerBatch: sdk.itemsPerBatch, deliverOne: (n: number) => sdk.deliver(n), tally };
    }
    const source = await makeSource(signal, encoding, plan.wide && signal === 'traces');
    return { signal, itemsPerBatch: source.itemsPerBatch, deliverOne: (n: number) => deliver(signal, source.next(n), send, tally), tally };
  }));
  // Payloads are made; the clock starts when the soak says go (every client is ready then).
  console.log('ready');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const started = Date.now();
  const deadline = started + plan.seconds * 1000;
  deadlineMs = deadline;
  await Promise.all(senders.map((s) => paced(s.itemsPerBatch, plan.rates[s.signal], deadline, s.deliverOne, s.tally)));
  report.seconds = (Date.now() - started) / 1000;
  console.log(JSON.stringify(report));
  process.exit(0);
})();

/** Sends batch after batch at `rate` items/s until the deadline, at most IN_FLIGHT at once. */
async function paced(itemsPerBatch: number, rate: number, deadline: number, deliverOne: (n: number) => Promise<void>, tally: SignalTally): Promise<void> {
  const intervalMs = (1000 * itemsPerBatch) / rate;
  const maxSends = Math.ceil((deadline - Date.now()) / intervalMs) + 1;
  const t0 = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < maxSends) {
      const k = next++;
      const due = t0 + k * intervalMs;
      // A client that fell behind does not make up its backlog after the end.
      if (due >= deadline || Date.now() >= deadline) return;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      else if (-wait > intervalMs) tally.lateSends++;
      // Send numbers are unique across the run's clients: they make the trace ids.
      await deliverOne(plan.firstSend + k);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** One export, retried while refused (bounded in attempts), tallied by what became of it. */
async function deliver(signal: Signal, request: Request, send: Send, tally: SignalTally): Promise<void> {
  const body = plan.protocol === 'http-json-gzip' ? gzipSync(request.body, { level: 1 }) : request.body;
  tally.wireBytes += body.length;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const t0 = performance.now();
    const answer = await send(signal, body);
    if (answer.kind === 'ok') {
      tally.latenciesMs.push(Math.round((performance.now() - t0) * 100) / 100);
      tally.requests++;
      tally.items += request.items;
      tally.invalidSent += request.invalid;
      tally.rejectedAnswered += answer.rejected;
      return;
    }
    if (answer.kind === 'failed') {
      // Stored or not, the client cannot tell: the soak's sum cannot be exact then.
      tally.failed++;
      tally.failedItems += request.items;
      if (tally.errors.length < 5) tally.errors.push(answer.error);
      return;
    }
    tally.refusals++;
    // Past the run's end (and a grace for what was already waiting) a refused export is given up.
    if (Date.now() + answer.retryAfterMs > deadlineMs + RETRY_GRACE_MS) break;
    await sleep(answer.retryAfterMs);
  }
  tally.gaveUp++;
  tally.gaveUpItems += request.items;
}

function httpSender(base: string, json: boolean): Send {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT * 3 });
  const url = new URL(base);
  const headers = json
    ? { 'content-type': 'application/json', 'content-encoding': 'gzip' }
    : { 'content-type': 'application/x-protobuf' };
  return (signal, body) => new Promise((resolve) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: `/v1/${signal}`, method: 'POST', headers: { ...headers, 'content-length': body.length }, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const answer = Buffer.concat(chunks);
        if (status === 200) resolve({ kind: 'ok', rejected: json ? jsonRejected(signal, answer) : protobufRejected(answer) });
        else if (status === 429 || status === 503) resolve({ kind: 'refused', retryAfterMs: 1000 * (Number(res.headers['retry-after']) || 1) });
        else resolve({ kind: 'failed', error: `HTTP ${status}: ${answer.toString().slice(0, 200)}` });
      });
      res.on('error', (err) => resolve({ kind: 'failed', error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve({ kind: 'failed', error: err.message }));
    req.end(body);
  });
}

function grpcSender(address: string): Send {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const identity = (b: Buffer): Buffer => b;
  return (signal, body) => new Promise((resolve) => {
    client.makeUnaryRequest(`/${GRPC_SERVICES[signal]}/Export`, identity, identity, body, { deadline: Date.now() + REQUEST_TIMEOUT_MS }, (err, response) => {
      if (!err) return resolve({ kind: 'ok', rejected: protobufRejected(response ?? Buffer.alloc(0)) });
      if (err.code === grpc.status.UNAVAILABLE && err.metadata?.get('grpc-retry-pushback-ms').length) {
        return resolve({ kind: 'refused', retryAfterMs: Number(err.metadata.get('grpc-retry-pushback-ms')[0]) || 1000 });
      }
      resolve({ kind: 'failed', error: `${grpc.status[err.code]}: ${err.details}` });
    });
  });
}

/** Export*ServiceResponse { partial_success = 1 { int64 rejected_* = 1; … } } → rejected_* (fields come in order). */
function protobufRejected(bytes: Buffer): number {
  let pos = 0;
  const varint = (): number => {
    let n = 0;
    for (let scale = 1; pos < bytes.length; scale *= 128) {
      const b = bytes[pos++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) break;
    }
    return n;
  };
  if (bytes[pos++] !== 0x0a) return 0;
  varint();
  return bytes[pos++] === 0x08 ? varint() : 0;
}

function jsonRejected(signal: Signal, bytes: Buffer): number {
  if (bytes.length === 0) return 0;
  const parsed = JSON.parse(bytes.toString()) as { partialSuccess?: Record<string, string | number> };
  return Number(parsed.partialSuccess?.[JSON_REJECTED[signal]] ?? 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
