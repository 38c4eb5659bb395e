import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { tracesRequest, validSpan } from '../../../test/support/otlp.ts';
import { recordSpans } from '../otlp/testSupport/sdkTelemetry.ts';
import { traceAsOtlp } from '../query/traceExport.ts';
import { startEngine, type RunningEngine } from '../server.ts';
import { traceKeyFromHex } from '../store/traceEntry.ts';

const BIG = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** The body, read slowly: the reader pauses after every piece, so the engine must wait for it. */
function slowGet(url: string, onFirstPiece = () => {}): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => {
        if (parts.length === 0) onFirstPiece();
        parts.push(d);
        res.pause();
        setTimeout(() => res.resume(), 2);
      });
      res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('GET /api/traces/{id}, written span by span', () => {
  let running: RunningEngine;
  const sdkSpans = recordSpans();
  const post = (body: Uint8Array) => fetch(`${running.httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
  const expected = (id: string) => JSON.stringify(traceAsOtlp(running.engine.traces, running.engine.traces.get(traceKeyFromHex(id)!)!));

  before(async () => {
    running = await startEngine({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, memoryBudgetBytes: 256 << 20, maxBodyBytes: 20 << 20 });
    assert.equal((await post(ProtobufTraceSerializer.serializeRequest(sdkSpans)!)).status, 200);
    // A trace far larger than one written piece, sent in several requests.
    for (let r = 0; r < 6; r++) {
      const spans = Array.from({ length: 500 }, (_, i) => validSpan({ traceId: BIG, name: `step ${r}.${i}`, attributes: [{ key: 'note', value: { stringValue: 'x'.repeat(2000) } }] }));
      assert.equal((await post(tracesRequest(spans))).status, 200);
    }
  });
  after(() => running.close());

  it('is the same text as the trace serialized whole: resources, scopes, schema URLs and spans in order', async () => {
    const id = sdkSpans[0].spanContext().traceId;
    const res = await fetch(`${running.httpUrl}/api/traces/${id}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /application\/json/);
    const text = await res.text();
    assert.equal(text, expected(id));
    assert.ok(JSON.parse(text).resourceSpans[0].scopeSpans.length >= 1);
  });

  it('waits for a slow reader and still sends every span of a large trace', async () => {
    const text = await slowGet(`${running.httpUrl}/api/traces/${BIG}`);
    assert.ok(text.length > 500_000, `${text.length} characters`);
    assert.equal(text, expected(BIG));
    assert.equal(JSON.parse(text).resourceSpans[0].scopeSpans[0].spans.length, 3000);
  });

  it('is whole even when the trace is evicted, and its chunks reused, while it is being read', async () => {
    const whole = expected(BIG);
    const chunksBefore = running.engine.traces.chunks.length;
    const text = await slowGet(`${running.httpUrl}/api/traces/${BIG}`, () => {
      // Ingest enough to evict everything before it, with the budget lowered to force it.
      (running.engine.options as { memoryBudgetBytes: number }).memoryBudgetBytes = 12 << 20;
      for (let r = 0; r < 80; r++) {
        const spans = Array.from({ length: 500 }, (_, i) => validSpan({ name: `later ${r}.${i}`, attributes: [{ key: 'note', value: { stringValue: 'y'.repeat(400) } }] }));
        running.engine.export('traces', tracesRequest(spans), 'protobuf', 'http');
      }
    });
    assert.equal(running.engine.traces.get(traceKeyFromHex(BIG)!), undefined, 'the trace was evicted meanwhile');
    assert.ok(running.engine.traces.evictedSpans >= 3000 && chunksBefore > 0);
    assert.equal(text, whole);
  });
});
