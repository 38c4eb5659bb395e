// `GET /api/traces?limit=N` lists the newest N traces by start time, whatever order
// their spans arrived in and however large the store is.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Engine } from '../src/engine/engine.ts';
import { encodeSpan } from '../src/engine/otlp/protobuf/encodeTraces.ts';
import { parseTraceFilter, searchTraces } from '../src/engine/query/traceSearch.ts';
import type { Span } from '../src/protocol/otlp.ts';
import { getJson, startTestEngine } from './support/engine.ts';
import { field } from './support/otlp.ts';

const T0 = 1_700_000_000_000_000_000n;

function request(service: string, spans: Span[]): Buffer {
  const resource = field(1, field(1, Buffer.concat([field(1, Buffer.from('service.name')), field(2, field(1, Buffer.from(service)))])));
  return field(1, Buffer.concat([resource, field(2, Buffer.concat(spans.map((s) => field(2, encodeSpan(s)))))]));
}

interface Made { traceId: string; start: bigint; service: string }

/** `count` traces of 1–3 spans with random starts, their spans sent in shuffled batches. */
function outOfOrder(count: number, seed: number): { requests: [string, Span[]][]; traces: Made[] } {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const traces: Made[] = [];
  const spans: [string, Span][] = [];
  for (let t = 0; t < count; t++) {
    const traceId = (t + 1).toString(16).padStart(32, '0');
    const start = T0 + BigInt(Math.floor(rnd() * 3.6e12));
    const service = rnd() < 0.5 ? 'web' : 'worker';
    traces.push({ traceId, start, service });
    const n = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < n; k++) {
      // The first span starts the trace; the others start later.
      const at = start + BigInt(k * 1000);
      spans.push([service, { traceId, spanId: (t * 4 + k + 1).toString(16).padStart(16, '0'), parentSpanId: k ? (t * 4 + 1).toString(16).padStart(16, '0') : undefined,
        name: `op ${t % 7}`, startTimeUnixNano: at.toString(), endTimeUnixNano: (at + 5000n).toString(), attributes: [{ key: 'pad', value: { stringValue: 'p'.repeat(300) } }] }]);
    }
  }
  for (let i = spans.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [spans[i], spans[j]] = [spans[j], spans[i]];
  }
  const requests: [string, Span[]][] = [];
  for (let i = 0; i < spans.length; i += 100) {
    for (const service of ['web', 'worker']) requests.push([service, spans.slice(i, i + 100).filter(([svc]) => svc === service).map(([, sp]) => sp)]);
  }
  return { requests, traces };
}

const newest = (traces: Made[], n: number) => [...traces].sort((a, b) => (b.start > a.start ? 1 : b.start < a.start ? -1 : 0)).slice(0, n).map((t) => t.traceId);

describe('the trace list', () => {
  it('gives the newest N by start time when traces arrive out of order, over many chunks', () => {
    const engine = new Engine({ memoryBudgetBytes: 512 << 20 });
    const { requests, traces } = outOfOrder(30_000, 7);
    for (const [service, spans] of requests) if (spans.length) engine.export('traces', request(service, spans), 'protobuf', 'http');
    assert.ok(engine.traces.chunks.length >= 4, `the store spans several chunks (${engine.traces.chunks.length})`);
    for (const limit of [1, 10, 50, 1000]) {
      const got = searchTraces(engine.traces, parseTraceFilter(new URLSearchParams({ limit: String(limit) }))).map((t) => t.traceId);
      assert.deepEqual(got, newest(traces, limit), `limit ${limit}`);
    }
    const workers = searchTraces(engine.traces, parseTraceFilter(new URLSearchParams({ limit: '100', service: 'worker' }))).map((t) => t.traceId);
    assert.deepEqual(workers, newest(traces.filter((t) => t.service === 'worker'), 100), 'with a span-level filter');
  });

  it('answers GET /api/traces?limit=N the same way', async () => {
    const running = await startTestEngine();
    try {
      const { requests, traces } = outOfOrder(2000, 11);
      for (const [service, spans] of requests) {
        if (!spans.length) continue;
        await fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: request(service, spans) });
      }
      const { body } = await getJson<{ traces: { traceId: string }[] }>(running.httpUrl, '/api/traces?limit=20');
      assert.deepEqual(body.traces.map((t) => t.traceId), newest(traces, 20));
    } finally {
      await running.close();
    }
  });
});
