// Benchmark load: real SDK spans serialized by the OpenTelemetry JS serializers into
// batches of 512 spans with 10 attributes each (8-span traces: a server span and its
// children). `IdPatcher` gives each send fresh trace ids without re-encoding.

import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

export const SPANS_PER_BATCH = 512;
const SPANS_PER_TRACE = 8;
const ROUTES = ['/users/:id', '/orders/:id', '/cart', '/search', '/checkout'];

export function makeSpans(batchIndex: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `bench-service-${batchIndex % 4}`, 'service.version': '1.4.2', 'deployment.environment': 'local', 'host.name': 'devbox' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('bench', '1.0.0');
  for (let t = 0; t < SPANS_PER_BATCH / SPANS_PER_TRACE; t++) {
    const route = ROUTES[t % ROUTES.length];
    const n = batchIndex * 1000 + t;
    const root = tracer.startSpan(`GET ${route}`, {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET', 'http.route': route, 'url.path': route.replace(':id', String(n)), 'http.response.status_code': n % 50 === 0 ? 500 : 200,
        'server.address': 'localhost', 'server.port': 8080, 'user_agent.original': 'bench/1.0', 'client.address': '127.0.0.1',
        'code.function.name': 'handleRequest', 'code.file.path': '/srv/app/src/routes/handler.ts',
      },
    });
    const ctx = trace.setSpan(context.active(), root);
    for (let c = 1; c < SPANS_PER_TRACE; c++) {
      const child = tracer.startSpan(c % 2 ? 'SELECT app.users' : 'cache.get', {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': c % 2 ? 'postgresql' : 'redis', 'db.query.text': c % 2 ? 'SELECT * FROM users WHERE id = $1' : `GET user:${n}`,
          'db.namespace': 'app', 'server.address': 'db.local', 'server.port': 5432, 'db.response.returned_rows': c,
          'code.function.name': 'findUser', 'code.file.path': '/srv/app/src/db/users.ts', 'code.line.number': 40 + c, 'thread.id': 1,
        },
      }, ctx);
      child.end();
    }
    if (n % 50 === 0) root.setStatus({ code: SpanStatusCode.ERROR, message: 'internal error' });
    root.end();
  }
  const spans = memory.getFinishedSpans();
  void provider.shutdown();
  return spans;
}

export interface Batch {
  bytes: Buffer;
  /** Offsets of each trace id occurrence, by trace. */
  traceIdOffsets: number[][];
  hex: boolean;
}

export function encodeBatch(spans: ReadableSpan[], encoding: 'protobuf' | 'json'): Batch {
  const serialized = encoding === 'protobuf' ? ProtobufTraceSerializer.serializeRequest(spans) : JsonTraceSerializer.serializeRequest(spans);
  const bytes = Buffer.from(serialized!);
  const traceIds = [...new Set(spans.map((s) => s.spanContext().traceId))];
  const traceIdOffsets = traceIds.map((id) => {
    const needle = encoding === 'protobuf' ? Buffer.from(id, 'hex') : Buffer.from(id);
    const offsets: number[] = [];
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) offsets.push(at);
    return offsets;
  });
  return { bytes, traceIdOffsets, hex: encoding === 'json' };
}

/** Rewrites the batch's trace ids in place so that each send carries new traces. */
export function patchTraceIds(batch: Batch, sendNumber: number): void {
  batch.traceIdOffsets.forEach((offsets, k) => {
    for (const at of offsets) {
      if (batch.hex) {
        batch.bytes.write(sendNumber.toString(16).padStart(8, '0') + k.toString(16).padStart(8, '0'), at, 'latin1');
      } else {
        batch.bytes.writeUInt32BE(sendNumber >>> 0, at);
        batch.bytes.writeUInt32BE(k, at + 4);
      }
    }
  });
}
