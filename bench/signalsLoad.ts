// Load for the signals benchmark, run as a separate process: one hour of traffic at
// `rate` requests/s (server spans of real SDK encoding, a few routes, log-normal
// latencies, 2 % errors), timestamped across the hour before now and sent as fast as
// the engine takes it. Prints what was acknowledged as JSON.
// Usage: signalsLoad.ts <url> <rate> <seconds> <first second, Unix ms>

import http from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { encodeBatch, patchTraceIds, type Batch } from './batches.ts';

const [url, rateArg, secondsArg, startArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const ROUTES = ['/users/:id', '/orders/:id', '/cart', '/search', '/checkout', '/login', '/products/:id', '/health'];
const TEMPLATES = 4;
const IN_FLIGHT = 4;
/** All template spans start in one second from this instant; each send shifts them. */
const TEMPLATE_START_MS = 1_600_000_000_000;

interface Template { batch: Batch; starts: number[]; ends: number[] }

function template(index: number): Template {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `shop-${index % 2}` }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('signals-bench');
  for (let i = 0; i < rate; i++) {
    const route = ROUTES[(i * 7 + index) % ROUTES.length];
    const start = TEMPLATE_START_MS + (i * 1000) / rate;
    const u = 1 - Math.random();
    const ms = 20 * Math.exp(0.8 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random()));
    const error = Math.random() < 0.02;
    const span = tracer.startSpan(`GET ${route}`, { kind: SpanKind.SERVER, startTime: start, attributes: { 'http.route': route, 'http.response.status_code': error ? 500 : 200, 'http.request.method': 'GET' } });
    if (error) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(start + ms);
  }
  const spans = memory.getFinishedSpans();
  void provider.shutdown();
  const batch = encodeBatch(spans, 'protobuf');
  // Where each span's start and end times are: fixed64 fields 7 (tag 0x39) and 8 (0x41).
  const starts: number[] = [];
  const ends: number[] = [];
  const bytes = batch.bytes;
  for (let at = 0; at < bytes.length - 8; at++) {
    if (bytes[at] !== 0x39 && bytes[at] !== 0x41) continue;
    const ns = bytes.readBigUInt64LE(at + 1);
    if (ns < BigInt(TEMPLATE_START_MS) * 1_000_000n || ns > BigInt(TEMPLATE_START_MS + 100_000) * 1_000_000n) continue;
    (bytes[at] === 0x39 ? starts : ends).push(at + 1);
  }
  if (starts.length !== spans.length || ends.length !== spans.length) throw new Error(`found ${starts.length}/${ends.length} times for ${spans.length} spans`);
  return { batch, starts, ends };
}

const templates = Array.from({ length: TEMPLATES }, (_, i) => template(i));
const hourStartMs = Number(startArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
const target = new URL(url);
let next = 0, acknowledged = 0, failed = 0;
const started = performance.now();

function send(second: number): Promise<boolean> {
  const t = templates[second % TEMPLATES];
  const body = Buffer.from(t.batch.bytes);
  const copy = { ...t.batch, bytes: body };
  patchTraceIds(copy, second + 1);
  const shiftNs = BigInt(hourStartMs + second * 1000 - TEMPLATE_START_MS) * 1_000_000n;
  for (const at of t.starts) body.writeBigUInt64LE(body.readBigUInt64LE(at) + shiftNs, at);
  for (const at of t.ends) body.writeBigUInt64LE(body.readBigUInt64LE(at) + shiftNs, at);
  return new Promise((resolve) => {
    const req = http.request({ agent, host: target.hostname, port: target.port, path: '/v1/traces', method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

void Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
  while (next < seconds) {
    if (await send(next++)) acknowledged++;
    else failed++;
  }
})).then(() => {
  console.log(JSON.stringify({ requests: acknowledged, failed, spans: acknowledged * rate, seconds: (performance.now() - started) / 1000 }));
  process.exit(0);
});
