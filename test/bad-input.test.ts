// Bad input to a real engine: each case gets a clear answer, nothing of a rejected
// request is stored, and the engine goes on accepting and serving valid data.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { RunningEngine } from '../src/engine/server.ts';
import { field, nestedArrayBytes, nestedArrayJson, tracesRequest, validSpan } from './support/otlp.ts';
import { getJson, startTestEngine } from './support/engine.ts';

let running: RunningEngine;
before(async () => { running = await startTestEngine(); });
after(async () => { await running.close(); });

async function post(body: Buffer | string, contentType: string, path = '/v1/traces'): Promise<{ status: number; text: string; json?: any }> {
  const res = await fetch(running.httpUrl + path, { method: 'POST', headers: { 'content-type': contentType }, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = res.headers.get('content-type')?.includes('json') ? bytes.toString() : bytes.toString('latin1');
  return { status: res.status, text, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
}

async function spanCount(): Promise<number> {
  return (await getJson(running.httpUrl, '/api/status')).body.counts.spans;
}

/** After every bad request: a valid one is stored and can be fetched. */
async function stillWorks(): Promise<void> {
  const span = validSpan();
  const res = await post(tracesRequest([span]), 'application/x-protobuf');
  assert.equal(res.status, 200);
  const fetched = await getJson(running.httpUrl, `/api/traces/${span.traceId}`);
  assert.equal(fetched.status, 200);
  assert.equal(fetched.body.resourceSpans[0].scopeSpans[0].spans[0].name, span.name);
}

describe('a real engine given bad input', () => {
  it('answers undecodable protobuf with 400 naming the problem, storing nothing', async () => {
    const before = await spanCount();
    const good = tracesRequest([validSpan(), validSpan()]);
    for (const body of [good.subarray(0, good.length - 3), Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), Buffer.from('not protobuf at all')]) {
      const res = await post(body, 'application/x-protobuf');
      assert.equal(res.status, 400);
      assert.match(res.text, /truncated|length|wire type|field/);
    }
    assert.equal(await spanCount(), before);
    await stillWorks();
  });

  it('answers undecodable or mistyped JSON with 400 naming the field', async () => {
    const before = await spanCount();
    let res = await post('{"resourceSpans": [', 'application/json');
    assert.equal(res.status, 400);
    res = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), startTimeUnixNano: 'soon' }] }] }] }), 'application/json');
    assert.equal(res.status, 400);
    assert.match(res.json.message, /startTimeUnixNano/);
    assert.equal(await spanCount(), before);
    await stillWorks();
  });

  it('rejects spans with bad ids one by one in partial_success and keeps the rest', async () => {
    const good = validSpan();
    const body = tracesRequest([
      good,
      validSpan({ traceId: 'abcd' }),
      validSpan({ spanId: 'ab'.repeat(7) }),
      validSpan({ traceId: '0'.repeat(32) }),
    ]);
    const res = await post(body, 'application/x-protobuf');
    assert.equal(res.status, 200);
    assert.ok(res.text.length > 0, 'a partial success is in the response');
    assert.match(res.text, /3 spans rejected/);
    assert.equal((await getJson(running.httpUrl, `/api/traces/${good.traceId}`)).status, 200);

    const json = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [
      { traceId: 'zz'.repeat(16), spanId: 'ab'.repeat(8), name: 'not hex' },
      { traceId: 'ab'.repeat(16), spanId: 'ab', name: 'short span id' },
      { traceId: '12'.repeat(16), spanId: '34'.repeat(8), name: 'fine', startTimeUnixNano: 'BARE', endTimeUnixNano: '1700000000123456790' },
    ] }] }] }).replace('"BARE"', '1700000000123456789'), 'application/json');
    assert.equal(json.status, 200);
    assert.equal(json.json.partialSuccess.rejectedSpans, '2');
    const kept = await getJson(running.httpUrl, `/api/traces/${'12'.repeat(16)}`);
    assert.equal(kept.body.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano, '1700000000123456789', 'a bare 64-bit JSON number keeps every digit');
    await stillWorks();
  });

  it('counts the data points of a metric without a name as rejected, and keeps the rest', async () => {
    const point = (v: number) => ({ timeUnixNano: '1700000000000000000', asDouble: v });
    const res = await post(JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [
      { gauge: { dataPoints: [point(1), point(2), point(3)] } },
      { name: 'kept', gauge: { dataPoints: [point(4)] } },
    ] }] }] }), 'application/json', '/v1/metrics');
    assert.equal(res.status, 200);
    assert.equal(res.json.partialSuccess.rejectedDataPoints, '3');
    assert.match(res.json.partialSuccess.errorMessage, /3 data points rejected: 3 × a metric must have a name/);
    const kept = await getJson(running.httpUrl, '/api/metrics/series?name=kept');
    assert.equal(kept.body.series[0].points.length, 1);
  });

  it('refuses attribute values nested 10,000 deep (protobuf and JSON) and stays alive', async () => {
    const before = await spanCount();
    const deepAttr = field(9, Buffer.concat([field(1, Buffer.from('deep')), field(2, nestedArrayBytes(10_000))]));
    const span = Buffer.concat([field(1, Buffer.alloc(16, 7)), field(2, Buffer.alloc(8, 7)), deepAttr]);
    let res = await post(tracesRequest([span]), 'application/x-protobuf');
    assert.equal(res.status, 400);
    assert.match(res.text, /nested deeper/);
    const deepJson = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [validSpan({ attributes: [{ key: 'deep', value: { stringValue: 'DEEP' } }] })] }] }] })
      .replace('{"stringValue":"DEEP"}', nestedArrayJson(10_000));
    res = await post(deepJson, 'application/json');
    assert.equal(res.status, 400);
    assert.equal(await spanCount(), before);
    await stillWorks();
  });

  it('stores attribute keys __proto__ and constructor as plain data', async () => {
    const span = validSpan({ attributes: [{ key: '__proto__', value: { stringValue: 'polluted?' } }, { key: 'constructor', value: { kvlistValue: { values: [{ key: '__proto__', value: { boolValue: true } }] } } }] });
    const res = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }), 'application/json');
    assert.equal(res.status, 200);
    const fetched = await getJson(running.httpUrl, `/api/traces/${span.traceId}`);
    assert.deepEqual(fetched.body.resourceSpans[0].scopeSpans[0].spans[0].attributes, span.attributes);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const found = await getJson(running.httpUrl, `/api/traces?attr=${encodeURIComponent('__proto__=polluted?')}`);
    assert.deepEqual(found.body.traces.map((t: { traceId: string }) => t.traceId), [span.traceId]);
    await stillWorks();
  });

  it('answers an undecodable gRPC export with INVALID_ARGUMENT and goes on', async () => {
    const client = new grpc.Client(running.grpcAddress, grpc.credentials.createInsecure());
    const identity = (b: Buffer) => b;
    const call = (body: Buffer) => new Promise<grpc.ServiceError | null>((resolve) =>
      client.makeUnaryRequest('/opentelemetry.proto.collector.trace.v1.TraceService/Export', identity, identity, body, (err) => resolve(err)));
    const err = await call(Buffer.from([0x0a, 0x05, 0x01]));
    assert.equal(err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(err!.details, /truncated|length/);
    const span = validSpan();
    assert.equal(await call(tracesRequest([span])), null);
    assert.equal((await getJson(running.httpUrl, `/api/traces/${span.traceId}`)).status, 200);
    client.close();
  });

  it('answers an empty body with 200 and stores nothing', async () => {
    const before = await spanCount();
    assert.equal((await post(Buffer.alloc(0), 'application/x-protobuf')).status, 200);
    assert.equal(await spanCount(), before);
  });
});
