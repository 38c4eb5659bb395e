// The real OpenTelemetry JS SDK sends traces to a real engine over all three trace
// exporters; the query API then returns exactly what was sent.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RunningEngine } from '../src/engine/server.ts';
import type { Span, TracesData } from '../src/protocol/otlp.ts';
import type { TracesResponse } from '../src/protocol/api.ts';
import { plainAttributes } from '../src/shared/plainValue.ts';
import { getJson, hrTimeToNanos, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => { await running.close(); });

/** Sends one small trace through `exporter`; returns what the SDK recorded. */
async function sendTrace(exporter: SpanExporter, service: string): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.2.3', 'host.cores': 8 }),
    spanProcessors: [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('interop-test', '0.9.0');
  const root = tracer.startSpan('GET /users/:id', {
    kind: SpanKind.SERVER,
    attributes: { 'http.route': '/users/:id', 'http.response.status_code': 500, 'ratio': 0.25, 'cached': false, 'tags': ['a', 'b'], 'ports': [80, 443], '__proto__': 'plain', 'constructor': 'data' },
  });
  const rootCtx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan('SELECT users', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } }, rootCtx);
  child.addEvent('rows fetched', { rows: 3 });
  child.end();
  const other = tracer.startSpan('background job', { links: [{ context: child.spanContext(), attributes: { reason: 'follows' } }] });
  other.end();
  root.recordException(new Error('user 42 not found'));
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'not found' });
  root.end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

function findSpan(data: TracesData, spanId: string): { span: Span; resource: Record<string, unknown>; scope: { name?: string; version?: string } } {
  for (const rs of data.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      const span = ss.spans?.find((s) => s.spanId === spanId);
      if (span) return { span, resource: plainAttributes(rs.resource?.attributes), scope: ss.scope ?? {} };
    }
  }
  throw new Error(`span ${spanId} not in the answer`);
}

function assertSameSpan(got: Span, want: ReadableSpan): void {
  const ctx = want.spanContext();
  assert.equal(got.traceId, ctx.traceId);
  assert.equal(got.spanId, ctx.spanId);
  assert.equal(got.parentSpanId, want.parentSpanContext?.spanId);
  assert.equal(got.name, want.name);
  assert.equal(got.kind, want.kind + 1); // the API's SpanKind starts at INTERNAL = 0
  assert.equal(got.startTimeUnixNano, hrTimeToNanos(want.startTime));
  assert.equal(got.endTimeUnixNano, hrTimeToNanos(want.endTime));
  assert.deepEqual(plainAttributes(got.attributes), { ...want.attributes });
  assert.equal(got.events?.length ?? 0, want.events.length);
  want.events.forEach((e, i) => {
    assert.equal(got.events![i].name, e.name);
    assert.equal(got.events![i].timeUnixNano, hrTimeToNanos(e.time));
    assert.deepEqual(plainAttributes(got.events![i].attributes), { ...e.attributes });
  });
  assert.equal(got.links?.length ?? 0, want.links.length);
  want.links.forEach((l, i) => {
    assert.equal(got.links![i].traceId, l.context.traceId);
    assert.equal(got.links![i].spanId, l.context.spanId);
    assert.deepEqual(plainAttributes(got.links![i].attributes), { ...l.attributes });
  });
  assert.equal(got.status?.code ?? 0, want.status.code);
  assert.equal(got.status?.message, want.status.message);
}

const exporters: [string, (url: string, grpc: string) => SpanExporter][] = [
  ['OTLP/HTTP protobuf', (url) => new ProtoExporter({ url: `${url}/v1/traces` })],
  ['OTLP/HTTP JSON', (url) => new JsonExporter({ url: `${url}/v1/traces` })],
  ['OTLP/gRPC', (_url, grpc) => new GrpcExporter({ url: `http://${grpc}` })],
  ['OTLP/gRPC gzip', (_url, grpc) => new GrpcExporter({ url: `http://${grpc}`, compression: 'gzip' as never })],
  ['OTLP/HTTP protobuf gzip', (url) => new ProtoExporter({ url: `${url}/v1/traces`, compression: 'gzip' as never })],
];

describe('traces sent by the OpenTelemetry JS SDK', () => {
  for (const [name, make] of exporters) {
    it(`come back exactly over ${name}`, async () => {
      const service = `interop-${name.replace(/\W+/g, '-')}`;
      const sent = await sendTrace(make(running.httpUrl, running.grpcAddress), service);
      const traceId = sent[0].spanContext().traceId;

      const list = await getJson<TracesResponse>(running.httpUrl, `/api/traces?service=${encodeURIComponent(service)}`);
      assert.equal(list.status, 200);
      const summaries = list.body.traces.filter((t) => t.traceId === traceId);
      assert.equal(summaries.length, 1, 'the trace is listed once');
      const root = sent.find((s) => s.name === 'GET /users/:id')!;
      // The "background job" span started its own trace: the listed trace is the root's.
      const sameTrace = sent.filter((s) => s.spanContext().traceId === traceId);
      assert.equal(summaries[0].rootName, root.spanContext().traceId === traceId ? root.name : 'background job');
      assert.equal(summaries[0].spanCount, sameTrace.length);
      assert.deepEqual(summaries[0].services, [service]);

      for (const want of sent) {
        const id = want.spanContext().traceId;
        const { status, body } = await getJson<TracesData>(running.httpUrl, `/api/traces/${id}`);
        assert.equal(status, 200);
        const got = findSpan(body, want.spanContext().spanId);
        assertSameSpan(got.span, want);
        assert.deepEqual(got.resource, { ...want.resource.attributes });
        assert.equal(got.scope.name, 'interop-test');
        assert.equal(got.scope.version, '0.9.0');
      }
    });
  }

  it('are found by attribute, status, operation and text', async () => {
    const service = 'interop-search';
    const sent = await sendTrace(new ProtoExporter({ url: `${running.httpUrl}/v1/traces` }), service);
    const rootTrace = sent.find((s) => s.name === 'GET /users/:id')!.spanContext().traceId;
    const ids = async (query: string) => (await getJson<TracesResponse>(running.httpUrl, `/api/traces?service=${service}&${query}`)).body.traces.map((t) => t.traceId);
    assert.deepEqual(await ids('attr=http.route=/users/:id'), [rootTrace]);
    assert.deepEqual(await ids('attr=http.response.status_code=500'), [rootTrace]);
    assert.deepEqual(await ids('attr=service.version=1.2.3&operation=SELECT%20users'), [rootTrace]);
    assert.deepEqual(await ids('status=error'), [rootTrace]);
    assert.deepEqual(await ids('q=postgres'), [rootTrace]);
    assert.deepEqual(await ids('q=select'), [rootTrace]);
    assert.deepEqual(await ids('attr=db.system=mysql'), []);
    assert.equal((await ids('operation=background%20job')).length, 1);
  });

  it('answer bad query parameters with 400 naming the parameter', async () => {
    for (const [query, param] of [['minDurationMs=abc', 'minDurationMs'], ['status=broken', 'status'], ['limit=0', 'limit'], ['attr=novalue', 'attr'], ['start=yesterday', 'start']]) {
      const { status, body } = await getJson<{ error: string }>(running.httpUrl, `/api/traces?${query}`);
      assert.equal(status, 400, query);
      assert.match(body.error, new RegExp(`^${param}:`));
    }
    assert.equal((await getJson(running.httpUrl, '/api/traces/xyz')).status, 400);
    assert.equal((await getJson(running.httpUrl, `/api/traces/${'ab'.repeat(16)}`)).status, 404);
  });
});
