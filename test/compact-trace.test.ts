// The compact trace: `GET /api/traces/{id}` in columns when asked for
// application/vnd.loupe.trace (OTLP/JSON stays the default), one span at a time as
// OTLP/JSON, and the engine's search within a trace.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningEngine } from '../src/engine/server.ts';
import { SpanFlag, TRACE_MEDIA_TYPE } from '../src/protocol/compactTrace.ts';
import type { Span, TracesData } from '../src/protocol/otlp.ts';
import { decodeCompactTrace } from '../src/shared/trace/codec.ts';
import { getJson, startTestEngine } from './support/engine.ts';
import { tracesRequest } from './support/otlp.ts';

const TRACE = '5'.repeat(32);
const T0 = 1_700_000_000_000_000_000n;
let running: RunningEngine;

function span(id: string, parent: string, startMs: number, endMs: number, extra: Partial<Span> = {}): Span {
  return {
    traceId: TRACE, spanId: id.padStart(16, '0'), parentSpanId: parent ? parent.padStart(16, '0') : undefined, name: `op ${id}`, kind: 2,
    startTimeUnixNano: (T0 + BigInt(startMs) * 1_000_000n).toString(), endTimeUnixNano: (T0 + BigInt(endMs) * 1_000_000n).toString(), ...extra,
  };
}

before(async () => {
  running = await startTestEngine();
  // Children arrive before their parent and out of start order.
  const spans = [
    span('3', '1', 50, 90, { status: { code: 2, message: 'Deadlock found' }, events: [{ name: 'exception', timeUnixNano: (T0 + 60_000_000n).toString(), attributes: [{ key: 'exception.type', value: { stringValue: 'DbError' } }] }] }),
    span('2', '1', 10, 40, { attributes: [{ key: 'db.statement', value: { stringValue: 'SELECT * FROM Ünïcode_Table' } }], links: [{ traceId: '6'.repeat(32), spanId: '7'.repeat(16) }] }),
    span('4', 'ff', 20, 30),
    span('1', '', 0, 100, { name: 'GET /ünïcode' }),
  ];
  await fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: tracesRequest(spans) });
});
after(async () => { await running.close(); });

async function compact() {
  const res = await fetch(`${running.httpUrl}/api/traces/${TRACE}`, { headers: { accept: TRACE_MEDIA_TYPE } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), TRACE_MEDIA_TYPE);
  return decodeCompactTrace(new Uint8Array(await res.arrayBuffer()));
}

describe('the compact trace', () => {
  it('sends columns in start order, parents as indexes, strings once', async () => {
    const t = await compact();
    assert.equal(t.traceId, TRACE);
    assert.equal(t.count, 4);
    const names = Array.from(t.name, (n) => t.strings.get(n));
    assert.deepEqual(names, ['GET /ünïcode', 'op 2', 'op 4', 'op 3']);
    assert.deepEqual([...t.start], [0, 10e6, 20e6, 50e6]);
    assert.deepEqual([...t.duration], [100e6, 30e6, 10e6, 40e6]);
    assert.deepEqual([...t.parent], [-1, 0, -1, 0], 'op 4 names a parent that is not in the trace');
    assert.equal((BigInt(t.baseHi) << 32n) + BigInt(t.baseLo), T0);
    assert.deepEqual([...t.status], [0, 0, 0, 2]);
    assert.deepEqual([...t.kind], [2, 2, 2, 2]);
    assert.equal(t.strings.get(t.service[0]), 'bad-input');
    assert.equal(t.flags[0], 0);
    assert.equal(t.flags[1], SpanFlag.HasParentId | SpanFlag.HasLinks);
    assert.equal(t.flags[2], SpanFlag.HasParentId);
    assert.equal(t.flags[3], SpanFlag.HasParentId | SpanFlag.HasEvents | SpanFlag.HasException);
    assert.equal(Buffer.from(t.spanIds.subarray(8, 16)).toString('hex'), '2'.padStart(16, '0'));
  });

  it('stays OTLP/JSON by default', async () => {
    const { status, body } = await getJson<TracesData>(running.httpUrl, `/api/traces/${TRACE}`);
    assert.equal(status, 200);
    assert.equal(body.resourceSpans![0].scopeSpans![0].spans!.length, 4);
  });

  it('gives one span as OTLP/JSON under its resource and scope', async () => {
    const { status, body } = await getJson<TracesData>(running.httpUrl, `/api/traces/${TRACE}/spans/${'3'.padStart(16, '0')}`);
    assert.equal(status, 200);
    const span = body.resourceSpans![0].scopeSpans![0].spans![0];
    assert.equal(span.status?.message, 'Deadlock found');
    assert.equal(span.events?.[0].name, 'exception');
    assert.equal(body.resourceSpans![0].resource?.attributes?.[0].key, 'service.name');
  });

  it('says what was wrong with a span request', async () => {
    const missing = await getJson<{ error: string }>(running.httpUrl, `/api/traces/${TRACE}/spans/${'9'.repeat(16)}`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error, /span 9{16} is not in trace 5{32}/);
    const bad = await getJson<{ error: string }>(running.httpUrl, `/api/traces/${TRACE}/spans/xyz`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /span id: expected 16 hex digits/);
  });

  it('searches attributes, events and status messages in any case', async () => {
    const find = async (q: string) => (await getJson<{ spanIds: string[] }>(running.httpUrl, `/api/traces/${TRACE}/search?q=${encodeURIComponent(q)}`)).body.spanIds;
    assert.deepEqual(await find('deadlock'), ['3'.padStart(16, '0')]);
    assert.deepEqual(await find('DBERROR'), ['3'.padStart(16, '0')]);
    assert.deepEqual(await find('from ünïcode'), ['2'.padStart(16, '0')]);
    assert.deepEqual(await find('nothing like this'), []);
    const empty = await getJson<{ error: string }>(running.httpUrl, `/api/traces/${TRACE}/search?q=`);
    assert.equal(empty.status, 400);
  });

  it('rejects bytes that are not a compact trace with a clear message', () => {
    assert.throws(() => decodeCompactTrace(new Uint8Array(10)), /shorter than its header/);
    assert.throws(() => decodeCompactTrace(new Uint8Array(64)), /bad magic/);
  });
});
